package io.cursus.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.api.EventCharacteristic;
import io.cursus.api.internal.CharacteristicBits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What docs/cassandra.md says about the stored form is what the store writes. */
class CassandraGuideTest {

  @Test
  void theGuideSaysWhatEachNumberOfTheCharacteristicsColumnMeans() throws IOException {
    String guide = Files.readString(Path.of("..", "docs", "cassandra.md")).replaceAll("\\s+", " ");

    assertThat(guide).contains("`" + CharacteristicBits.toMask(Set.of()) + "` for none");
    for (EventCharacteristic characteristic : EventCharacteristic.values()) {
      assertThat(guide)
          .contains(
              "`"
                  + CharacteristicBits.toMask(Set.of(characteristic))
                  + "` for `"
                  + characteristic.name()
                  + "`");
    }
    assertThat(guide)
        .contains(
            "`"
                + CharacteristicBits.toMask(EnumSet.allOf(EventCharacteristic.class))
                + "` for both");
  }
}
