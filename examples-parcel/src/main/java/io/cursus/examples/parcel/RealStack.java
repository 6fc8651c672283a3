package io.cursus.examples.parcel;

import com.datastax.oss.driver.api.core.CqlSession;
import com.hazelcast.core.HazelcastInstance;
import io.cursus.api.Event;
import io.cursus.api.command.PublishedDecisions;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.projection.Projections;
import io.cursus.api.store.AggregateCatalogue;
import io.cursus.api.store.DecisionLog;
import io.cursus.api.store.EventIndex;
import io.cursus.api.store.EventSource;
import io.cursus.cassandra.CassandraCheckpointStore;
import io.cursus.cassandra.CassandraEventIndex;
import io.cursus.cassandra.CassandraEventStore;
import io.cursus.cassandra.CassandraParkedEventStore;
import io.cursus.cassandra.CassandraSchema;
import io.cursus.cassandra.CassandraTables;
import io.cursus.json.EventJson;
import io.cursus.middleware.Pipelines;
import io.cursus.middleware.hazelcast.HazelcastIdempotencyFilter;
import io.cursus.middleware.kafka.KafkaEventConsumer;
import io.cursus.middleware.kafka.KafkaEventSink;
import io.cursus.middleware.kafka.KafkaProjectionSource;
import io.cursus.testkit.CassandraCluster;
import io.cursus.testkit.Engines;
import io.cursus.testkit.KafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The real stack: Hazelcast idempotency window, Kafka as the durable buffer, Cassandra store and
 * index, and projections reading the Kafka topic with their checkpoints and parked events in
 * Cassandra. Engines are started locally by the testkit unless addresses are given.
 */
final class RealStack implements Stack {

  private final String description;
  private final CqlSession session;
  private final CassandraEventStore store;
  private final CassandraEventIndex index;
  private final KafkaEventSink sink;
  private final KafkaEventConsumer consumer;
  private final CountingFilter idempotency;
  private final Consumer<List<Event>> channel;
  private final KafkaProjectionSource projectionSource;
  private final Projections projections;

  private RealStack(
      String description,
      CqlSession session,
      CassandraEventStore store,
      CassandraEventIndex index,
      KafkaEventSink sink,
      KafkaEventConsumer consumer,
      CountingFilter idempotency,
      Consumer<List<Event>> channel,
      KafkaProjectionSource projectionSource,
      Projections projections) {
    this.description = description;
    this.session = session;
    this.store = store;
    this.index = index;
    this.sink = sink;
    this.consumer = consumer;
    this.idempotency = idempotency;
    this.channel = channel;
    this.projectionSource = projectionSource;
    this.projections = projections;
  }

  /** Opens the stack on the given engines, or on engines the testkit starts when null. */
  static RealStack open(EventTypeRegistry registry, String cassandraAddress, String kafkaAddress) {
    if (cassandraAddress != null) {
      System.setProperty("cursus.cassandra", cassandraAddress);
    }
    if (kafkaAddress != null) {
      System.setProperty("cursus.kafka", kafkaAddress);
    }
    CassandraCluster cassandra = Engines.cassandra();
    KafkaBroker kafka = Engines.kafka();
    HazelcastInstance hazelcast = Engines.hazelcast().member();
    String run = UUID.randomUUID().toString().substring(0, 8);
    String topic = "parcel-events-" + run;
    kafka.createTopics(3, topic, topic + ".dlq");

    CqlSession session =
        CqlSession.builder()
            .addContactPoints(cassandra.contactPoints())
            .withLocalDatacenter(cassandra.localDatacenter())
            .build();
    CassandraTables tables = CassandraTables.inKeyspace("cursus_parcel_" + run.replace('-', '_'));
    CassandraSchema.of(tables).create(session);
    CassandraEventStore store =
        CassandraEventStore.builder(session, registry).tables(tables).build();
    CassandraEventIndex index =
        CassandraEventIndex.builder(session, registry)
            .tables(tables)
            .indexing("parcel", Set.of("location"))
            .build();

    EventJson json = EventJson.using(registry);
    KafkaEventSink sink = KafkaEventSink.builder(kafka.bootstrapServers(), topic, json).build();
    CountingFilter idempotency =
        new CountingFilter(
            HazelcastIdempotencyFilter.using(
                hazelcast.getMap("cursus-idempotency-" + run), Duration.ofHours(1)));
    Consumer<List<Event>> channel = Pipelines.producer(registry, idempotency, sink).build();
    String storeGroup = "parcel-demo-" + run;
    KafkaEventConsumer consumer =
        KafkaEventConsumer.builder(kafka.bootstrapServers(), topic, storeGroup, json, store)
            .indexer(index)
            .build()
            .start();
    KafkaProjectionSource projectionSource =
        KafkaProjectionSource.builder(kafka.bootstrapServers(), topic, storeGroup, json).build();
    Projections projections =
        Projections.builder(projectionSource, store, store)
            .checkpoints(CassandraCheckpointStore.using(session, tables))
            .parkedEvents(CassandraParkedEventStore.using(session, tables, registry))
            .registry(registry)
            .build();
    String description =
        "real stack: Hazelcast idempotency window, Kafka topic "
            + topic
            + " at "
            + kafka.bootstrapServers()
            + ", Cassandra keyspace "
            + tables.keyspace()
            + " at "
            + cassandra.contactPoint().getHostString()
            + ":"
            + cassandra.contactPoint().getPort()
            + ", projections reading the topic";
    return new RealStack(
        description,
        session,
        store,
        index,
        sink,
        consumer,
        idempotency,
        channel,
        projectionSource,
        projections);
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public Consumer<List<Event>> channel() {
    return channel;
  }

  @Override
  public EventSource source() {
    return store;
  }

  @Override
  public DecisionLog decisions() {
    return PublishedDecisions.of(store, channel);
  }

  @Override
  public AggregateCatalogue catalogue() {
    return store;
  }

  @Override
  public EventIndex index() {
    return index;
  }

  @Override
  public long duplicatesStopped() {
    return idempotency.stopped();
  }

  @Override
  public Optional<Projections> projections() {
    return Optional.of(projections);
  }

  @Override
  public void awaitQuiet(long expectedStored) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (consumer.eventsProcessed() < expectedStored) {
      if (consumer.failure().isPresent()) {
        throw new IllegalStateException("the Kafka consumer stopped", consumer.failure().get());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the consumer processed "
                + consumer.eventsProcessed()
                + " of "
                + expectedStored
                + " events within 2 minutes");
      }
      Thread.sleep(50);
    }
  }

  @Override
  public void close() {
    projections.close();
    projectionSource.close();
    consumer.close();
    sink.close();
    session.close();
    Engines.stopAll();
  }
}
