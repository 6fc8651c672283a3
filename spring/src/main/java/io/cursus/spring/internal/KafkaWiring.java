package io.cursus.spring.internal;

import io.cursus.api.Event;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.projection.ProjectionSource;
import io.cursus.api.store.EventIndexer;
import io.cursus.api.store.EventLog;
import io.cursus.json.EventJson;
import io.cursus.middleware.IdempotencyFilter;
import io.cursus.middleware.Pipelines;
import io.cursus.middleware.kafka.KafkaEventConsumer;
import io.cursus.middleware.kafka.KafkaEventSink;
import io.cursus.middleware.kafka.KafkaProjectionSource;
import io.cursus.spring.CursusProperties;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code cursus.pipeline=kafka}. Loaded only when that pipeline is chosen, so an application of the
 * embedded default needs neither {@code cursus-kafka} nor the Kafka clients on its class path.
 */
final class KafkaWiring {

  private KafkaWiring() {}

  /** Validate, drop repeats, write to the topic; the sink closes with the context. */
  static Consumer<List<Event>> producer(
      CursusProperties properties,
      EventTypeRegistry registry,
      IdempotencyFilter idempotency,
      CursusResources resources) {
    KafkaEventSink sink =
        resources.closeWithContext(
            KafkaEventSink.builder(
                    bootstrapServers(properties),
                    properties.kafkaTopic(),
                    EventJson.using(registry))
                .properties(properties.kafkaProperties())
                .build());
    return Pipelines.producer(registry, idempotency, sink).build();
  }

  /**
   * Starts a consumer of the topic in the group of {@code cursus.kafka.group} that stores, indexes,
   * then hands each event to {@code handlers}; closing it stops the loop after its batch in
   * progress (not committed, so redelivered to the next consumer, and absorbed by the store).
   */
  static AutoCloseable startConsumer(
      CursusProperties properties,
      EventTypeRegistry registry,
      EventLog store,
      EventIndexer indexer,
      Consumer<Event> handlers) {
    return KafkaEventConsumer.builder(
            bootstrapServers(properties),
            properties.kafkaTopic(),
            properties.kafkaGroup(),
            EventJson.using(registry),
            store)
        .properties(properties.kafkaProperties())
        .indexer(indexer)
        .handler(handlers)
        .build()
        .start();
  }

  /**
   * The topic as the live source of projections, knowing what is stored from the offsets of the
   * store's writer ({@code cursus.kafka.group}); it closes with the context.
   */
  static ProjectionSource projectionSource(
      CursusProperties properties, EventTypeRegistry registry, CursusResources resources) {
    return resources.closeWithContext(
        KafkaProjectionSource.builder(
                bootstrapServers(properties),
                properties.kafkaTopic(),
                properties.kafkaGroup(),
                EventJson.using(registry))
            .properties(properties.kafkaProperties())
            .build());
  }

  private static String bootstrapServers(CursusProperties properties) {
    String servers = properties.kafkaBootstrapServers();
    if (servers == null) {
      throw new IllegalArgumentException(
          CursusProperties.PIPELINE
              + "=kafka needs "
              + CursusProperties.KAFKA_BOOTSTRAP_SERVERS
              + ", the brokers as host:port, comma separated");
    }
    return servers;
  }
}
