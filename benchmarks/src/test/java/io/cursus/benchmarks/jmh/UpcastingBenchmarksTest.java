package io.cursus.benchmarks.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Both sides of B7 read the same history, so the ratio is the upcaster's cost. */
class UpcastingBenchmarksTest {

  private final UpcastingBenchmarks benchmarks = new UpcastingBenchmarks();

  UpcastingBenchmarksTest() {
    benchmarks.setUp();
  }

  @Test
  void aHistoryReadThroughOneUpcasterEqualsTheSameHistoryStoredAtTheCurrentVersion() {
    var current = benchmarks.readHistoryAtCurrentVersion();
    var upcast = benchmarks.readHistoryThroughOneUpcaster();

    assertThat(upcast).hasSize(UpcastingBenchmarks.HISTORY).isEqualTo(current);
    assertThat(upcast.get(0).type().version()).isEqualTo("2");
    assertThat(upcast.get(0).parameters().get("by")).isEqualTo("depot");
  }
}
