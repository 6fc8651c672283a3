package io.cursus.middleware.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.CursusException;
import io.cursus.api.Event;
import io.cursus.middleware.fixtures.Parcels;
import io.cursus.middleware.kafka.KafkaEventSink;
import io.cursus.testkit.KafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class KafkaSinkFailureIT {

  @Test
  void aBatchTheBrokerDoesNotAcknowledgeFailsLoudlyNamingTheEvents() {
    // given: a dedicated broker that acknowledged a first batch
    try (KafkaBroker kafka = KafkaBroker.builder().start()) {
      String topic = "sink-failure-" + UUID.randomUUID();
      kafka.createTopics(1, topic);
      // tag::sink[]
      KafkaEventSink sink =
          KafkaEventSink.builder(kafka.bootstrapServers(), topic, SharedEngines.JSON)
              .linger(Duration.ofMillis(5))
              .batchSize(64 * 1024)
              .compression("lz4")
              .bufferMemory(32L * 1024 * 1024)
              .maxBlock(Duration.ofSeconds(2))
              .requestTimeout(Duration.ofSeconds(2))
              .deliveryTimeout(Duration.ofSeconds(5))
              .ackTimeout(Duration.ofSeconds(10))
              .property("client.id", "parcel-producer")
              .build();
      // end::sink[]
      try (sink) {
        sink.accept(Parcels.journey(UUID.randomUUID(), "before"));

        // when the broker goes away
        kafka.stop();
        List<Event> batch = Parcels.journey(UUID.randomUUID(), "after");

        // then
        assertThatThrownBy(() -> sink.accept(batch))
            .isInstanceOfSatisfying(
                CursusException.class, e -> assertThat(e.isTransient()).isTrue())
            .hasMessageContaining("did not acknowledge 4 of 4 events sent to topic " + topic)
            .hasMessageContaining("the first is " + batch.get(0));
      }
    }
  }
}
