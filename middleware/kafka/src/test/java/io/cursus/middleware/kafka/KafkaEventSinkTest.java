package io.cursus.middleware.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.json.EventJson;
import io.cursus.middleware.fixtures.Parcels;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaEventSinkTest {

  private final EventJson json = EventJson.using(Parcels.REGISTRY);

  @Test
  void acksAndIdempotenceCannotBeTurnedOffByPassThroughProperties() {
    Properties config =
        KafkaEventSink.builder("127.0.0.1:9092", "parcels", json)
            .properties(
                Map.of(
                    "acks", "0",
                    "enable.idempotence", false,
                    "security.protocol", "SASL_SSL",
                    "sasl.mechanism", "SCRAM-SHA-512"))
            .config();

    assertThat(config)
        .containsEntry("acks", "all")
        .containsEntry("enable.idempotence", true)
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
  }

  @Test
  void refusesADeliveryTimeoutShorterThanLingerPlusRequestTimeout() {
    assertThatThrownBy(
            () ->
                KafkaEventSink.builder("127.0.0.1:9092", "parcels", json)
                    .linger(Duration.ofMillis(100))
                    .requestTimeout(Duration.ofSeconds(10))
                    .deliveryTimeout(Duration.ofSeconds(10))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("delivery timeout PT10S must be at least linger");
  }

  @Test
  void keysEventsByAggregate() {
    var journey = Parcels.journey(java.util.UUID.randomUUID(), "s");

    assertThat(journey)
        .extracting(KafkaEventSink::keyOf)
        .containsOnly("parcel/" + journey.get(0).aggregateId().id());
  }

  @Test
  void consumerConfigFixesManualCommitAndKeepsPassThroughProperties() {
    Properties config =
        KafkaEventConsumer.builder(
                "127.0.0.1:9092",
                "parcels",
                "store",
                json,
                io.cursus.api.memory.InMemoryEventStore.empty())
            .property("enable.auto.commit", true)
            .property("session.timeout.ms", 10_000)
            .property("security.protocol", "SSL")
            .consumerConfig();

    assertThat(config)
        .containsEntry("enable.auto.commit", false)
        .containsEntry("group.id", "store")
        .containsEntry("session.timeout.ms", 10_000)
        .containsEntry("security.protocol", "SSL");
  }
}
