package io.cursus.middleware.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.AggregateId;
import io.cursus.api.CursusException;
import io.cursus.api.Event;
import io.cursus.api.EventCharacteristic;
import io.cursus.api.EventType;
import io.cursus.api.Parameters;
import io.cursus.api.StreamTimestamp;
import io.cursus.json.EventJson;
import io.cursus.middleware.fixtures.Parcels;
import io.cursus.middleware.kafka.KafkaEventSink;
import io.cursus.testkit.KafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.Set;
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

  @Test
  void anEventOverKafkasRequestSizeIsRefusedNamingTheLimitNotATimeout() {
    // given: a registry whose limit of one event was raised past Kafka's default request size,
    // and a sink whose producer kept that default
    String topic = SharedEngines.freshTopic("sink-too-large", 1);
    EventJson json = EventJson.using(Parcels.REGISTRY.withMaxEventBytes(4 * 1024 * 1024));
    try (KafkaEventSink sink =
        KafkaEventSink.builder(SharedEngines.kafka().bootstrapServers(), topic, json).build()) {
      List<Event> huge =
          List.of(
              Parcels.one(UUID.randomUUID()),
              Event.of(
                  AggregateId.of("parcel", UUID.randomUUID()),
                  StreamTimestamp.of("depot-1", Parcels.START),
                  EventType.of("parcel", "receivedAtDepot"),
                  Parameters.of("depotId", "x".repeat(2 * 1024 * 1024)),
                  Set.of(EventCharacteristic.INITIAL)));

      // when / then: Kafka's refusal is named, with its limit, and retrying will not help
      assertThatThrownBy(() -> sink.accept(huge))
          .isInstanceOfSatisfying(CursusException.class, e -> assertThat(e.isTransient()).isFalse())
          .hasMessageContaining("Kafka did not acknowledge 1 of 2 events sent to topic " + topic)
          .hasMessageContaining("the first is " + huge.get(1).toString().substring(0, 60))
          .hasMessageContaining("Kafka refused it as too large, so it was never stored")
          .hasMessageContaining("which is the value of the max.request.size configuration")
          .hasMessageContaining("EventTypeRegistry.maxEventBytes()")
          .hasMessageNotContaining("within");
    }
  }
}
