package io.cursus.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.cursus.api.AggregateId;
import io.cursus.api.CursusException;
import io.cursus.api.Event;
import io.cursus.api.projection.Projection;
import io.cursus.api.projection.ProjectionStatus;
import io.cursus.api.projection.Projections;
import io.cursus.api.store.HistoryQuery;
import io.cursus.cassandra.CassandraCheckpointStore;
import io.cursus.cassandra.CassandraEventStore;
import io.cursus.cassandra.CassandraFailures;
import io.cursus.cassandra.CassandraParkedEventStore;
import io.cursus.cassandra.CassandraSchema;
import io.cursus.middleware.kafka.KafkaEventConsumer;
import io.cursus.middleware.kafka.KafkaEventSink;
import io.cursus.middleware.kafka.KafkaProjectionSource;
import io.cursus.testkit.CassandraCluster;
import io.cursus.testkit.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * R14: projections reading the Kafka topic, with their views, checkpoints and parked events in
 * Cassandra, while the Kafka broker is killed (SIGKILL) and restarted, then while Cassandra is
 * stopped for 20 s and started again. The process kill is R10.
 */
@Tag("heavy") // runs in the heavy profile: docs/reliability.md
class R14ProjectionFaultsIT {

  private static final Duration OUTAGE = Duration.ofSeconds(20);

  @Test
  void projectionsRideOutABrokerKillAndAStoreOutageAndTheirViewsEqualAFreshFold() throws Exception {
    Tally tally = new Tally("R14 projections under a broker kill and a store outage");
    try (KafkaBroker kafka = KafkaBroker.builder().start();
        CassandraCluster cassandra = CassandraCluster.builder().nodes(1).start();
        CqlSession session = Rig.connect(cassandra)) {
      CassandraSchema.of(Rig.TABLES).create(session);
      session.execute(
          "CREATE TABLE IF NOT EXISTS "
              + Rig.KEYSPACE
              + ".r14_effect (event_key text PRIMARY KEY, name text)");
      session.execute(
          "CREATE TABLE IF NOT EXISTS "
              + Rig.KEYSPACE
              + ".r14_trail (parcel text PRIMARY KEY,"
              + " trail text)");
      CassandraEventStore store =
          CassandraEventStore.builder(session, Parcels.REGISTRY)
              .tables(Rig.TABLES)
              .timeout(Duration.ofSeconds(2))
              .build();
      String topic = Rig.freshTopic(kafka, "r14", 3);
      String storeGroup = "r14-store-" + UUID.randomUUID();
      PreparedStatement effect =
          session.prepare(
              "INSERT INTO " + Rig.KEYSPACE + ".r14_effect (event_key, name) VALUES (?, ?)");
      PreparedStatement trail =
          session.prepare(
              "INSERT INTO " + Rig.KEYSPACE + ".r14_trail (parcel, trail) VALUES (?, ?)");
      AtomicLong handled = new AtomicLong();

      KafkaEventConsumer writer =
          Rig.consumer(kafka, topic, storeGroup, store).maxPollRecords(100).build().start();
      KafkaProjectionSource source =
          KafkaProjectionSource.builder(kafka.bootstrapServers(), topic, storeGroup, Parcels.JSON)
              .build();
      Projections projections =
          Projections.builder(source, store, store)
              .checkpoints(CassandraCheckpointStore.using(session, Rig.TABLES))
              .parkedEvents(CassandraParkedEventStore.using(session, Rig.TABLES, Parcels.REGISTRY))
              .build();
      AtomicReference<KafkaEventSink> sink =
          new AtomicReference<>(Rig.sinkGivingUpSoon(kafka, topic));
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong acknowledged = new AtomicLong();
      AtomicLong failedLoudly = new AtomicLong();
      List<Throwable> otherFailures = Collections.synchronizedList(new ArrayList<>());
      Map<AggregateId, Boolean> parcels = new ConcurrentHashMap<>();
      Random random = new Random(14);
      Thread producer =
          new Thread(
              () -> {
                while (!stop.get()) {
                  Map<AggregateId, List<Event>> journeys = Parcels.journeys(5);
                  journeys.keySet().forEach(id -> parcels.put(id, true));
                  List<Event> batch = new ArrayList<>(Parcels.flatten(journeys));
                  Collections.shuffle(batch, random); // most parcels' events arrive out of order
                  tally.sent(batch);
                  try {
                    sink.get().accept(batch);
                    tally.acknowledged(batch);
                    acknowledged.addAndGet(batch.size());
                  } catch (CursusException e) { // the sink's: transient, or a producer gone
                    failedLoudly.addAndGet(batch.size());
                    if (!e.isTransient()) {
                      sink.getAndSet(Rig.sinkGivingUpSoon(kafka, topic)).close();
                    }
                  } catch (RuntimeException e) {
                    otherFailures.add(e);
                  }
                  Rig.pause(Duration.ofMillis(30));
                }
              },
              "r14-producer");
      List<String> observed = new ArrayList<>();
      try (writer;
          source;
          projections) {
        projections.start(
            Projection.events("r14-effects")
                .aggregateTypes("parcel")
                .batchSize(50)
                .handler(
                    event -> {
                      session.execute(
                          effect.bind(event.identity().toString(), event.type().name()));
                      handled.incrementAndGet();
                    })
                .transientWhen(CassandraFailures::isTransient)
                .build());
        projections.start(
            Projection.states(
                    "r14-trails", "parcel", history -> Optional.of(ProjectionMain.trail(history)))
                .batchSize(50)
                .handler(
                    (AggregateId id, String parcelTrail) ->
                        session.execute(trail.bind(id.id(), parcelTrail)))
                .transientWhen(CassandraFailures::isTransient)
                .build());
        Rig.await(
            "both projections live",
            Duration.ofMinutes(2),
            () ->
                projections.statuses().stream()
                    .allMatch(s -> s.phase() == ProjectionStatus.Phase.LIVE));
        producer.start();
        try {
          // when: the broker is killed while events stream in, and started again 10 s later
          Rig.await("400 events handled", Duration.ofMinutes(2), () -> handled.get() >= 400);
          kafka.kill();
          observed.add("handled at the broker kill " + handled.get());
          Rig.pause(Duration.ofSeconds(10));
          assertRunning(projections);
          kafka.start();
          long ackedAtRestart = acknowledged.get();
          Rig.await(
              "sends acknowledged again after the broker's return",
              Duration.ofMinutes(2),
              () -> acknowledged.get() >= ackedAtRestart + 400);
          long handledAfterBroker = handled.get();
          Rig.await(
              "the projections handle events again",
              Duration.ofMinutes(2),
              () -> handled.get() >= handledAfterBroker + 200);

          // and then Cassandra (store, views, checkpoints) is stopped for 20 s and started again
          cassandra.node(0).stop();
          long handledAtStop = handled.get();
          observed.add("handled at the store's stop " + handledAtStop);
          Rig.pause(OUTAGE);
          assertRunning(projections);
          observed.add(
              "retries during the outage "
                  + projections.status("r14-effects").retries()
                  + " and "
                  + projections.status("r14-trails").retries());
          cassandra.node(0).start();
          long ackedAtReturn = acknowledged.get();
          Rig.await(
              "the projections handle events again after the store's return",
              Duration.ofMinutes(3),
              () -> handled.get() >= handledAtStop + 400 && acknowledged.get() > ackedAtReturn);
        } finally {
          stop.set(true);
          producer.join(60_000);
          sink.get().close();
        }

        // then: the store holds every event, and the views catch up with it
        Rig.await(
            "the store's writer committed every record",
            Duration.ofMinutes(3),
            () -> Rig.allCommitted(kafka, storeGroup, topic));
        Map<AggregateId, List<Event>> stored = stored(store, parcels.keySet());
        Map<String, String> expectedEffects = new HashMap<>();
        stored
            .values()
            .forEach(
                history ->
                    history.forEach(
                        e -> expectedEffects.put(e.identity().toString(), e.type().name())));
        Map<String, String> expectedTrails = new HashMap<>();
        stored.forEach((id, history) -> expectedTrails.put(id.id(), ProjectionMain.trail(history)));
        Rig.await(
            "the views equal a fresh fold of the store",
            Duration.ofMinutes(3),
            () ->
                effects(session).equals(expectedEffects) && trails(session).equals(expectedTrails));
        assertRunning(projections);
        for (ProjectionStatus status : projections.statuses()) {
          assertThat(status.parked()).as(status.name() + " parked").isZero();
          observed.add(status.name() + " retries " + status.retries());
        }
        assertThat(writer.failure()).isEmpty();
      }
      assertThat(otherFailures).as("failures that are not a CursusException").isEmpty();
      observed.forEach(tally::note);
      tally.note("failed loudly to the caller " + failedLoudly.get());
      tally.note("handled by the event projection " + handled.get());
      tally.check(store).report().assertNothingLostOrDuplicated();
    }
  }

  private static void assertRunning(Projections projections) {
    for (ProjectionStatus status : projections.statuses()) {
      assertThat(status.phase())
          .as(status.name() + " (" + status.failure().orElse("no failure") + ")")
          .isNotEqualTo(ProjectionStatus.Phase.FAILED);
    }
  }

  private static Map<AggregateId, List<Event>> stored(
      CassandraEventStore store, java.util.Set<AggregateId> parcels) {
    Map<AggregateId, List<Event>> stored = new HashMap<>();
    List<AggregateId> ids = new ArrayList<>(parcels);
    for (int i = 0; i < ids.size(); i += 500) {
      stored.putAll(
          store.preload(ids.subList(i, Math.min(ids.size(), i + 500)), HistoryQuery.all()));
    }
    stored.values().removeIf(List::isEmpty);
    return stored;
  }

  private static Map<String, String> effects(CqlSession session) {
    Map<String, String> effects = new HashMap<>();
    for (Row row : session.execute("SELECT event_key, name FROM " + Rig.KEYSPACE + ".r14_effect")) {
      effects.put(row.getString(0), row.getString(1));
    }
    return effects;
  }

  private static Map<String, String> trails(CqlSession session) {
    Map<String, String> trails = new HashMap<>();
    for (Row row : session.execute("SELECT parcel, trail FROM " + Rig.KEYSPACE + ".r14_trail")) {
      trails.put(row.getString(0), row.getString(1));
    }
    return trails;
  }
}
