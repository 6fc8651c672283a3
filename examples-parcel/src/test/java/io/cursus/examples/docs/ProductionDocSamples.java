package io.cursus.examples.docs;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import io.cursus.api.Event;
import io.cursus.api.bus.EventBus;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.projection.Projection;
import io.cursus.api.projection.Projections;
import io.cursus.cassandra.CassandraCheckpointStore;
import io.cursus.cassandra.CassandraEventIndex;
import io.cursus.cassandra.CassandraEventStore;
import io.cursus.cassandra.CassandraFailures;
import io.cursus.cassandra.CassandraParkedEventStore;
import io.cursus.cassandra.CassandraSchema;
import io.cursus.cassandra.CassandraTables;
import io.cursus.examples.parcel.ParcelEvent;
import io.cursus.examples.parcel.ParcelEvents;
import io.cursus.examples.parcel.ParcelState;
import io.cursus.json.EventJson;
import io.cursus.middleware.Pipelines;
import io.cursus.middleware.hazelcast.HazelcastIdempotencyFilter;
import io.cursus.middleware.kafka.KafkaEventConsumer;
import io.cursus.middleware.kafka.KafkaEventSink;
import io.cursus.middleware.kafka.KafkaProjectionSource;
import java.net.InetSocketAddress;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * The samples of docs/production.md, compiled with the build. They name production hosts, so they
 * are not run; the same calls run against local engines in the middleware, Cassandra and example
 * integration tests.
 */
final class ProductionDocSamples {

  private ProductionDocSamples() {}

  static String secret(String name) {
    String value = System.getenv(name);
    if (value == null) {
      throw new IllegalStateException("set " + name);
    }
    return value;
  }

  // The driver resolves contact points itself and tries each address; the sample shows host names.
  @SuppressWarnings("AddressSelection")
  static ParcelEvents wireTheService() throws NoSuchAlgorithmException {
    // sample: registry and Cassandra
    EventTypeRegistry registry = EventTypeRegistry.of(ParcelEvents.class, ParcelEvent.class);

    CqlSession session =
        CqlSession.builder()
            .addContactPoints(
                List.of(
                    new InetSocketAddress("cassandra-1.example.internal", 9042),
                    new InetSocketAddress("cassandra-2.example.internal", 9042)))
            .withLocalDatacenter("dc1")
            .withAuthCredentials("cursus", secret("CASSANDRA_PASSWORD"))
            .withSslContext(SSLContext.getDefault())
            .build();
    CassandraTables tables = CassandraTables.inKeyspace("parcels");
    CassandraSchema.of(tables).networkTopology(Map.of("dc1", 3)).create(session);
    CassandraEventStore store =
        CassandraEventStore.builder(session, registry)
            .tables(tables)
            .readConsistency(DefaultConsistencyLevel.LOCAL_QUORUM)
            .writeConsistency(DefaultConsistencyLevel.LOCAL_QUORUM)
            .build();
    CassandraEventIndex index =
        CassandraEventIndex.builder(session, registry)
            .tables(tables)
            .indexing("parcel", Set.of("location"))
            .build();
    // end

    // sample: Kafka security
    Map<String, Object> kafkaSecurity =
        Map.of(
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required"
                    + " username=\"cursus\" password=\""
                    + secret("KAFKA_PASSWORD")
                    + "\";",
            "ssl.truststore.type", "PKCS12",
            "ssl.truststore.location", "/etc/cursus/kafka-truststore.p12",
            "ssl.truststore.password", secret("KAFKA_TRUSTSTORE_PASSWORD"));
    String brokers = "kafka-1.example.internal:9093,kafka-2.example.internal:9093";
    EventJson json = EventJson.using(registry);
    // end

    // sample: producer side
    ClientConfig hazelcastConfig = new ClientConfig();
    hazelcastConfig.setClusterName("cursus");
    hazelcastConfig.getNetworkConfig().addAddress("hazelcast-1.example.internal:5701");
    HazelcastInstance hazelcast = HazelcastClient.newHazelcastClient(hazelcastConfig);

    KafkaEventSink sink =
        KafkaEventSink.builder(brokers, "parcel-events", json)
            .properties(kafkaSecurity)
            .linger(Duration.ofMillis(5))
            .compression("lz4")
            .build();
    Consumer<List<Event>> producer =
        Pipelines.producer(
                registry,
                HazelcastIdempotencyFilter.using(
                    hazelcast.getMap("cursus-idempotency"), Duration.ofHours(1)),
                sink)
            .build();
    EventBus bus = EventBus.to(producer);
    ParcelEvents parcels = bus.emitter(ParcelEvents.class);
    // end

    // sample: consumer side
    KafkaEventConsumer consumer =
        KafkaEventConsumer.builder(brokers, "parcel-events", "parcel-store", json, store)
            .indexer(index)
            .properties(kafkaSecurity)
            .backoff(Duration.ofMillis(100), Duration.ofSeconds(30))
            .build()
            .start();
    // end

    // sample: projections
    KafkaProjectionSource projectionSource =
        KafkaProjectionSource.builder(brokers, "parcel-events", "parcel-store", json)
            .properties(kafkaSecurity)
            .build();
    Projections projections =
        Projections.builder(projectionSource, store, store)
            .checkpoints(CassandraCheckpointStore.using(session, tables))
            .parkedEvents(CassandraParkedEventStore.using(session, tables, registry))
            .registry(registry)
            .build();
    Map<UUID, String> board = new ConcurrentHashMap<>(); // or a table of your own
    projections.start(
        Projection.states("depot-board", ParcelState.class, ParcelEvents.class)
            .handler(UUID.class, (id, state) -> board.put(id, state.location()))
            .build());
    // end

    // sample: shutdown
    projections.close();
    projectionSource.close();
    consumer.close();
    sink.close();
    hazelcast.shutdown();
    session.close();
    // end
    return parcels;
  }

  /** docs/projections.md: a view written to Cassandra rides out an outage instead of parking. */
  static Projection deliveriesWrittenToCassandra(CqlSession session) {
    PreparedStatement insert =
        session.prepare("INSERT INTO views.deliveries (event_key, destination) VALUES (?, ?)");
    return Projection.events("deliveries")
        .aggregateTypes("parcel")
        .handler(
            event ->
                session.execute(
                    insert.bind(
                        event.identity().toString(), event.parameters().get("destinationId"))))
        .transientWhen(CassandraFailures::isTransient) // an outage holds it back: nothing parked
        .build();
  }
}
