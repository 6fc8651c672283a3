package io.cursus.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.api.AggregateId;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.bus.EventBus;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.memory.InMemoryEventStore;
import io.cursus.examples.parcel.ParcelEvents;
import io.cursus.json.EventJson;
import io.cursus.middleware.IdempotencyFilter;
import io.cursus.middleware.Pipelines;
import io.cursus.middleware.kafka.KafkaEventConsumer;
import io.cursus.middleware.kafka.KafkaEventSink;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The Docker sample of docs/testing.md: Cursus on a Kafka that Testcontainers runs in Docker.
 * Compiled with the build, never run by it (the project's machines have no Docker engine).
 */
@Disabled("needs a Docker engine")
@Testcontainers
class DockerKafkaSample {

  @Container static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.0.0");

  @Test
  void parcelsGoThroughAKafkaInDocker() throws Exception {
    EventTypeRegistry registry = EventTypeRegistry.of(ParcelEvents.class);
    EventJson json = EventJson.using(registry);
    InMemoryEventStore store = InMemoryEventStore.empty();
    UUID parcel = UUID.randomUUID();

    try (KafkaEventSink sink =
            KafkaEventSink.builder(KAFKA.getBootstrapServers(), "parcels", json).build();
        KafkaEventConsumer consumer =
            KafkaEventConsumer.builder(
                    KAFKA.getBootstrapServers(), "parcels", "parcel-tracking", json, store)
                .build()
                .start()) {
      IdempotencyFilter window = IdempotencyFilter.inMemory(100_000, Duration.ofMinutes(10));
      EventBus bus = EventBus.to(Pipelines.producer(registry, window, sink).build());
      bus.emitter(ParcelEvents.class)
          .receivedAtDepot(StreamTimestamp.now("depot"), parcel, "Lewisham");

      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (store.size() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(store.history(AggregateId.of("parcel", parcel))).hasSize(1);
      assertThat(consumer.failure()).isEmpty();
    }
  }
}
