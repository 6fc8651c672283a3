package io.cursus.spring.internal;

import io.cursus.api.Event;
import io.cursus.api.bus.EventBus;
import io.cursus.api.evolution.Upcasters;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.memory.InMemoryEventIndex;
import io.cursus.api.memory.InMemoryEventStore;
import io.cursus.api.projection.CheckpointStore;
import io.cursus.api.projection.ParkedEventStore;
import io.cursus.api.projection.ProjectionSource;
import io.cursus.api.projection.Projections;
import io.cursus.api.store.EventIndex;
import io.cursus.api.store.EventStore;
import io.cursus.middleware.IdempotencyFilter;
import io.cursus.middleware.Pipelines;
import io.cursus.spring.CursusProperties;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

/**
 * The beans of {@code @EnableCursus}. The Cassandra, Kafka and Hazelcast parts are in classes of
 * their own, loaded only when the properties choose them, so their artifacts are optional.
 */
@Configuration(proxyBeanMethods = false)
public class CursusConfiguration {

  @Bean
  public CursusProperties cursusProperties(Environment environment) {
    return CursusProperties.from(environment);
  }

  /** The declarations, with the upcasters of the application's {@code Upcasters.Builder} bean. */
  @Bean
  public EventTypeRegistry cursusRegistry(
      CursusDeclarations declarations, ObjectProvider<Upcasters.Builder> upcasters) {
    EventTypeRegistry registry = EventTypeRegistry.of(declarations.classes());
    Upcasters.Builder builder = upcasters.getIfUnique();
    return builder == null ? registry : registry.withUpcasters(builder);
  }

  @Bean
  public CursusResources cursusResources() {
    return new CursusResources();
  }

  @Bean
  public CursusStorage cursusStorage(
      CursusProperties properties,
      EventTypeRegistry registry,
      BeanFactory beans,
      CursusResources resources) {
    return switch (properties.store()) {
      case MEMORY -> {
        InMemoryEventIndex index = InMemoryEventIndex.empty();
        yield new CursusStorage(
            InMemoryEventStore.empty(),
            index,
            index,
            CheckpointStore.inMemory(),
            ParkedEventStore.inMemory());
      }
      case CASSANDRA -> {
        requireOnClassPath(
            "io.cursus.cassandra.CassandraEventStore",
            CursusProperties.STORE + "=cassandra",
            "io.cursus:cursus-cassandra");
        yield CassandraWiring.open(properties, registry, beans, resources);
      }
    };
  }

  @Bean
  public EventStore cursusStore(CursusStorage storage) {
    return storage.store();
  }

  @Bean
  public EventIndex cursusIndex(CursusStorage storage) {
    return storage.index();
  }

  @Bean
  public IdempotencyFilter cursusIdempotency(
      CursusProperties properties, BeanFactory beans, CursusResources resources) {
    return switch (properties.idempotencyStore()) {
      case MEMORY ->
          IdempotencyFilter.inMemory(
              properties.idempotencyMaxEntries(), properties.idempotencyWindow());
      case HAZELCAST -> {
        requireOnClassPath(
            "io.cursus.middleware.hazelcast.HazelcastIdempotencyFilter",
            CursusProperties.IDEMPOTENCY_STORE + "=hazelcast",
            "io.cursus:cursus-hazelcast");
        yield HazelcastWiring.filter(properties, beans, resources);
      }
    };
  }

  /**
   * Projections over the in-memory store's feed, or over the Kafka topic with checkpoints and
   * parked events in Cassandra; see {@link WithLiveSource}.
   */
  @Bean
  @Conditional(WithLiveSource.class)
  public Projections cursusProjections(
      CursusProperties properties,
      CursusStorage storage,
      EventTypeRegistry registry,
      CursusResources resources) {
    EventStore store = storage.store();
    ProjectionSource source;
    if (store instanceof InMemoryEventStore memory) {
      source = memory.feed();
    } else {
      requireOnClassPath(
          "io.cursus.middleware.kafka.KafkaProjectionSource",
          CursusProperties.PIPELINE + "=kafka",
          "io.cursus:cursus-kafka");
      source = KafkaWiring.projectionSource(properties, registry, resources);
    }
    return Projections.builder(source, store, store)
        .checkpoints(storage.checkpoints())
        .parkedEvents(storage.parked())
        .registry(registry)
        .build();
  }

  @Bean
  public CursusLifecycle cursusLifecycle(
      ApplicationContext context,
      CursusProperties properties,
      EventTypeRegistry registry,
      CursusStorage storage) {
    CursusLifecycle.ConsumerStarter consumer = null;
    if (properties.pipeline() == CursusProperties.PipelineKind.KAFKA && properties.kafkaConsume()) {
      consumer =
          handlers ->
              KafkaWiring.startConsumer(
                  properties, registry, storage.store(), storage.indexer(), handlers);
    }
    return new CursusLifecycle(context, properties, consumer);
  }

  @Bean
  public EventBus cursusEventBus(
      CursusProperties properties,
      EventTypeRegistry registry,
      IdempotencyFilter idempotency,
      CursusStorage storage,
      CursusLifecycle lifecycle,
      CursusResources resources) {
    Consumer<List<Event>> pipeline =
        switch (properties.pipeline()) {
          case EMBEDDED ->
              Pipelines.embedded(
                      registry,
                      idempotency,
                      storage.store(),
                      storage.indexer(),
                      List.of(lifecycle::deliver))
                  .build();
          case KAFKA -> {
            requireOnClassPath(
                "io.cursus.middleware.kafka.KafkaEventSink",
                CursusProperties.PIPELINE + "=kafka",
                "io.cursus:cursus-kafka");
            yield KafkaWiring.producer(properties, registry, idempotency, resources);
          }
        };
    return EventBus.to(
        batch -> {
          lifecycle.requireRunning();
          pipeline.accept(batch);
        });
  }

  private static void requireOnClassPath(String className, String choice, String artifact) {
    if (!ClassUtils.isPresent(className, CursusConfiguration.class.getClassLoader())) {
      throw new IllegalStateException(
          choice + " needs " + artifact + " on the class path; add it as a dependency");
    }
  }

  /**
   * Whether projections have a live source: with {@code cursus.store=memory} (the default) the
   * store's feed; with {@code cursus.store=cassandra} the Kafka topic of {@code
   * cursus.pipeline=kafka}. With Cassandra and the embedded pipeline there is none, and projection
   * beans are refused at start (see CursusLifecycle).
   */
  static final class WithLiveSource implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      Environment environment = context.getEnvironment();
      String store = environment.getProperty(CursusProperties.STORE, "memory").trim();
      String pipeline = environment.getProperty(CursusProperties.PIPELINE, "embedded").trim();
      return store.equalsIgnoreCase("memory") || pipeline.equalsIgnoreCase("kafka");
    }
  }
}
