package io.cursus.examples.parcel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The same demo and the same checks on the real stack: Hazelcast, Kafka and Cassandra, with the
 * depot board kept by a projection reading the Kafka topic.
 */
class ParcelTrackingDemoIT {

  @Test
  void realStackAnswersEveryQuestionAsSimulated() throws Exception {
    Simulation simulation = Simulation.of(42, 200);

    try (Stack stack = RealStack.open(ParcelTrackingDemo.REGISTRY, null, null)) {
      String report = ReportAssertions.runAndCheck(stack, simulation);
      assertThat(report)
          .startsWith(
              "Cursus parcel tracking on the real stack: Hazelcast idempotency window, Kafka topic");
      // the board's figures, its fold and its rebuild are checked by runAndCheck when present
      assertThat(report).contains("6. The depot board, kept by the state projection 'depot-board'");
    }
  }
}
