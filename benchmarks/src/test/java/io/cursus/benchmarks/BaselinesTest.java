package io.cursus.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.api.Event;
import io.cursus.benchmarks.model.Parcels;
import io.cursus.json.ParameterCodec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The raw sides of the engine benchmarks do the same work as the Cursus sides. No timing here. */
class BaselinesTest {

  @Test
  void rawRowsCarryTheParameterTextsTheStoreWrites() {
    ParameterCodec codec = ParameterCodec.create();
    for (Event event : Parcels.history("p-1", 10)) {
      assertThat(CassandraBenchmarks.rawParameters(event))
          .isEqualTo(codec.writeAll(Parcels.REGISTRY.require(event.type()), event));
    }
  }

  @Test
  void historiesStartWithTheInitialEventAndAlternateMoves() {
    List<Event> history = Parcels.history("p-1", 4);

    assertThat(history)
        .extracting(e -> e.type().name())
        .containsExactly("receivedAtDepot", "loadedOntoTruck", "arrivedAtDepot", "loadedOntoTruck");
    assertThat(history.get(0).isInitial()).isTrue();
  }

  @Test
  void mediansAndPercentiles() {
    assertThat(Stats.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
    assertThat(Stats.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
    long[] values = new long[100];
    for (int i = 0; i < 100; i++) {
      values[i] = 100L - i;
    }
    assertThat(Stats.percentile(values, 50)).isEqualTo(50);
    assertThat(Stats.percentile(values, 99)).isEqualTo(99);
  }
}
