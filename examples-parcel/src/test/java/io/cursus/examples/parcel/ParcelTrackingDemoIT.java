package io.cursus.examples.parcel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The same demo and the same checks on the real stack: Hazelcast, Kafka and Cassandra. */
class ParcelTrackingDemoIT {

  @Test
  void realStackAnswersEveryQuestionAsSimulated() throws Exception {
    Simulation simulation = Simulation.of(42, 200);

    try (Stack stack = RealStack.open(ParcelTrackingDemo.REGISTRY, null, null)) {
      String report = ReportAssertions.runAndCheck(stack, simulation);
      assertThat(report)
          .startsWith(
              "Cursus parcel tracking on the real stack: Hazelcast idempotency window, Kafka topic");
    }
  }
}
