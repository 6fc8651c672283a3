package io.cursus.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.testkit.EngineException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocationsTest {
  private static final String PROPERTY = "cursus.test.lib";

  @Test
  void missingPropertyNamesItAndTheModuleToBuild() {
    System.clearProperty(PROPERTY);

    assertThatThrownBy(() -> Locations.serverLib(PROPERTY, "Kafka", "testkit/engines/kafka-server"))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("System property " + PROPERTY + " is not set")
        .hasMessageContaining("mvn -pl testkit/engines/kafka-server package");
  }

  @Test
  void folderWithoutJarsIsRejected(@TempDir Path dir) {
    System.setProperty(PROPERTY, dir.toString());
    try {
      assertThatThrownBy(
              () -> Locations.serverLib(PROPERTY, "Kafka", "testkit/engines/kafka-server"))
          .isInstanceOf(EngineException.class)
          .hasMessageContaining(dir + " holds no jars");
    } finally {
      System.clearProperty(PROPERTY);
    }
  }

  @Test
  void folderWithJarsIsReturned(@TempDir Path dir) throws Exception {
    Files.createFile(dir.resolve("server.jar"));
    System.setProperty(PROPERTY, dir.toString());
    try {
      assertThat(Locations.serverLib(PROPERTY, "Kafka", "testkit/engines/kafka-server"))
          .isEqualTo(dir.toAbsolutePath());
    } finally {
      System.clearProperty(PROPERTY);
    }
  }

  @Test
  void everyInstanceGetsAFolderOfItsOwn() {
    Path first = Locations.newInstanceDir("unit");
    Path second = Locations.newInstanceDir("unit");

    assertThat(first).isNotEqualTo(second).isDirectory();
    assertThat(second).isDirectory();
  }
}
