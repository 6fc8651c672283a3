package io.cursus.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LocationsTest {
  @Test
  void everyInstanceGetsAFolderOfItsOwn() {
    Path first = Locations.newInstanceDir("unit");
    Path second = Locations.newInstanceDir("unit");

    assertThat(first).isNotEqualTo(second).isDirectory();
    assertThat(second).isDirectory();
  }
}
