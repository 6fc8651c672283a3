package io.cursus.reliability;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.projection.Projection;
import io.cursus.api.projection.ProjectionStatus;
import io.cursus.api.projection.Projections;
import io.cursus.cassandra.CassandraCheckpointStore;
import io.cursus.cassandra.CassandraEventStore;
import io.cursus.cassandra.CassandraParkedEventStore;
import io.cursus.cassandra.CassandraTables;
import io.cursus.middleware.kafka.KafkaProjectionSource;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * A projection process for R10: two projections of one run over the Kafka topic and the Cassandra
 * store of keyspace {@value #KEYSPACE} (R10's own, so that a catch-up reads only R10's events),
 * with checkpoints in Cassandra. {@code effects-<run>}, an event projection, writes a row keyed by
 * event identity per event into {@code r10_effect}; {@code trails-<run>}, a state projection,
 * writes each parcel's trail (its events' names in event-time order) into {@code r10_trail}.
 *
 * <p>Arguments: bootstrap servers, topic, the store writer's group, Cassandra host and port, run.
 * Prints {@code live} once both projections read the topic live, {@code handled N} after each event
 * of the event projection, and exits when its standard input closes (its parent died) or on
 * SIGTERM.
 */
public final class ProjectionMain {

  static final String KEYSPACE = "cursus_reliability_r10";
  static final CassandraTables TABLES = CassandraTables.inKeyspace(KEYSPACE);

  static final String EFFECTS =
      "CREATE TABLE IF NOT EXISTS "
          + KEYSPACE
          + ".r10_effect (run text, event_key text, name text, PRIMARY KEY ((run), event_key))";
  static final String TRAILS =
      "CREATE TABLE IF NOT EXISTS "
          + KEYSPACE
          + ".r10_trail (run text, parcel text, trail text, PRIMARY KEY ((run), parcel))";

  private ProjectionMain() {}

  /** A parcel's trail: the names of its events in event-time order (the order of a history). */
  static String trail(List<Event> history) {
    return history.stream().map(e -> e.type().name()).collect(Collectors.joining(">"));
  }

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String topic = args[1];
    String storeGroup = args[2];
    InetSocketAddress cassandra = new InetSocketAddress(args[3], Integer.parseInt(args[4]));
    String run = args[5];
    Thread orphanWatch =
        new Thread(
            () -> {
              try (InputStream in = System.in) {
                while (in.read() >= 0) {
                  // the parent writes nothing; end of input means it is gone
                }
              } catch (IOException e) {
                // the same: the parent is gone
              }
              System.exit(3);
            },
            "orphan-watch");
    orphanWatch.setDaemon(true);
    orphanWatch.start();

    CqlSession session = Rig.connect(List.of(cassandra));
    CassandraEventStore store =
        CassandraEventStore.builder(session, Parcels.REGISTRY).tables(TABLES).build();
    KafkaProjectionSource source =
        KafkaProjectionSource.builder(bootstrap, topic, storeGroup, Parcels.JSON)
            .property("session.timeout.ms", 10_000) // a killed member leaves its group sooner
            .build();
    Projections projections =
        Projections.builder(source, store, store)
            .checkpoints(CassandraCheckpointStore.using(session, TABLES))
            .parkedEvents(CassandraParkedEventStore.using(session, TABLES, Parcels.REGISTRY))
            .build();
    PreparedStatement effect =
        session.prepare(
            "INSERT INTO " + KEYSPACE + ".r10_effect (run, event_key, name) VALUES (?, ?, ?)");
    PreparedStatement trail =
        session.prepare(
            "INSERT INTO " + KEYSPACE + ".r10_trail (run, parcel, trail) VALUES (?, ?, ?)");
    AtomicLong handled = new AtomicLong();
    projections.start(
        Projection.events("effects-" + run)
            .aggregateTypes("parcel")
            .batchSize(50)
            .handler(
                event -> {
                  session.execute(
                      effect.bind(run, event.identity().toString(), event.type().name()));
                  System.out.println("handled " + handled.incrementAndGet());
                })
            .build());
    projections.start(
        Projection.states("trails-" + run, "parcel", history -> Optional.of(trail(history)))
            .batchSize(50)
            .handler(
                (AggregateId id, String parcelTrail) ->
                    session.execute(trail.bind(run, id.id(), parcelTrail)))
            .build());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  projections.close();
                  source.close();
                  session.close();
                  stopped.countDown();
                },
                "close-projections"));
    // live: both caught up with the store, reading the topic
    while (projections.status("effects-" + run).phase() != ProjectionStatus.Phase.LIVE
        || projections.status("trails-" + run).phase() != ProjectionStatus.Phase.LIVE) {
      Thread.sleep(20);
    }
    System.out.println("live");
    stopped.await();
  }
}
