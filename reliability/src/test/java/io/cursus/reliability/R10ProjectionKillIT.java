package io.cursus.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.store.HistoryQuery;
import io.cursus.cassandra.CassandraEventStore;
import io.cursus.cassandra.CassandraSchema;
import io.cursus.middleware.kafka.KafkaEventConsumer;
import io.cursus.middleware.kafka.KafkaEventSink;
import io.cursus.testkit.CassandraCluster;
import io.cursus.testkit.Engines;
import io.cursus.testkit.KafkaBroker;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * R10: the process running two projections (an event projection with effects keyed by event
 * identity, a state projection) is killed with SIGKILL while events stream in, then restarted.
 */
@Tag("heavy") // runs in the heavy profile: docs/reliability.md
class R10ProjectionKillIT {

  @Test
  void aProjectionProcessKilledMidStreamResumesAndItsViewsEqualAFreshFold() throws Exception {
    // given: the store's writer in this JVM, a projection process, and 3,000 events of 750
    // parcels sent shuffled (so most parcels' events arrive out of event-time order)
    KafkaBroker kafka = Rig.kafka();
    CqlSession session = Rig.session();
    CassandraSchema.of(ProjectionMain.TABLES).create(session);
    CassandraEventStore store =
        CassandraEventStore.builder(session, Parcels.REGISTRY)
            .tables(ProjectionMain.TABLES)
            .build();
    session.execute(
        SimpleStatement.newInstance(ProjectionMain.EFFECTS).setTimeout(Duration.ofMinutes(1)));
    session.execute(
        SimpleStatement.newInstance(ProjectionMain.TRAILS).setTimeout(Duration.ofMinutes(1)));
    String topic = Rig.freshTopic(kafka, "r10", 3);
    String run = UUID.randomUUID().toString().substring(0, 8);
    String storeGroup = "r10-store-" + run;
    Map<AggregateId, List<Event>> journeys = Parcels.journeys(750);
    List<Event> all = new ArrayList<>(Parcels.flatten(journeys));
    Collections.shuffle(all, new Random(10));
    KafkaEventConsumer writer =
        Rig.consumer(kafka, topic, storeGroup, store).maxPollRecords(100).build().start();
    try (writer;
        KafkaEventSink sink = Rig.sink(kafka, topic).build()) {
      Child first = Child.start(kafka, topic, storeGroup, run);
      long handledByFirst;
      try {
        first.awaitLine("live", Duration.ofMinutes(2));
        // when: events stream in, and the process is killed once it has handled 800 of them live
        Thread producer =
            new Thread(
                () -> {
                  for (int i = 0; i < all.size(); i += 50) {
                    sink.accept(all.subList(i, Math.min(all.size(), i + 50)));
                    Rig.pause(Duration.ofMillis(40));
                  }
                },
                "r10-producer");
        producer.setDaemon(true);
        producer.start();
        Rig.await(
            "the first process handled 800 events",
            Duration.ofMinutes(2),
            () -> first.handled.get() >= 800);
        first.process.destroyForcibly(); // SIGKILL on Linux
        assertThat(first.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(first.process.exitValue()).isEqualTo(137);
        handledByFirst = first.handled.get();
        producer.join(TimeUnit.MINUTES.toMillis(2));
      } finally {
        first.kill();
      }

      // and a new process is started
      Child second = Child.start(kafka, topic, storeGroup, run);
      try {
        Rig.await(
            "the store holds every event",
            Duration.ofMinutes(2),
            () -> Rig.allCommitted(kafka, storeGroup, topic));
        Rig.await(
            "the views hold every event and parcel",
            Duration.ofMinutes(3),
            () ->
                count(session, "r10_effect", run) == all.size()
                    && trailsMatch(session, run, store, journeys));
        second.process.destroy(); // SIGTERM: closes the projections
        assertThat(second.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      } finally {
        second.kill();
      }

      // then: every effect is there once, keyed by identity, and the trails are a fresh fold
      Map<String, String> effects = new HashMap<>();
      for (Row row :
          session.execute(
              "SELECT event_key, name FROM "
                  + ProjectionMain.KEYSPACE
                  + ".r10_effect WHERE run = ?",
              run)) {
        effects.put(row.getString(0), row.getString(1));
      }
      Map<String, String> expected = new HashMap<>();
      all.forEach(e -> expected.put(e.identity().toString(), e.type().name()));
      assertThat(effects).isEqualTo(expected);
      assertThat(trails(session, run)).isEqualTo(fold(store, journeys));
      long handledTotal = handledByFirst + second.handled.get();
      System.out.printf(
          "R10 projection SIGKILL mid-stream: %d events, first process handled %d before the kill,"
              + " second %d; handled twice %d (each effect keyed by identity, applied once)%n",
          all.size(), handledByFirst, second.handled.get(), handledTotal - all.size());
      assertThat(handledTotal).isGreaterThanOrEqualTo(all.size());
    }
  }

  private static long count(CqlSession session, String table, String run) {
    Row row =
        session
            .execute(
                "SELECT COUNT(*) FROM " + ProjectionMain.KEYSPACE + "." + table + " WHERE run = ?",
                run)
            .one();
    return row == null ? 0 : row.getLong(0);
  }

  private static boolean trailsMatch(
      CqlSession session,
      String run,
      CassandraEventStore store,
      Map<AggregateId, List<Event>> journeys) {
    return trails(session, run).equals(fold(store, journeys));
  }

  private static Map<String, String> trails(CqlSession session, String run) {
    Map<String, String> trails = new HashMap<>();
    for (Row row :
        session.execute(
            "SELECT parcel, trail FROM " + ProjectionMain.KEYSPACE + ".r10_trail WHERE run = ?",
            run)) {
      trails.put(row.getString(0), row.getString(1));
    }
    return trails;
  }

  /** The trail of every parcel as a fresh fold of the store gives it. */
  private static Map<String, String> fold(
      CassandraEventStore store, Map<AggregateId, List<Event>> journeys) {
    Map<String, String> fold = new HashMap<>();
    store
        .preload(new ArrayList<>(journeys.keySet()), HistoryQuery.all())
        .forEach((id, history) -> fold.put(id.id(), ProjectionMain.trail(history)));
    return fold;
  }

  /** A {@link ProjectionMain} process and the events it says it handled. */
  private static final class Child {
    final AtomicLong handled = new AtomicLong();
    final ChildJvm jvm;
    final Process process;

    private Child(KafkaBroker kafka, String topic, String storeGroup, String run)
        throws IOException {
      CassandraCluster cassandra = Engines.cassandra();
      this.jvm =
          ChildJvm.start(
              "projection",
              ProjectionMain.class,
              ChildJvm.counting("handled ", handled),
              kafka.bootstrapServers(),
              topic,
              storeGroup,
              cassandra.contactPoint().getHostString(),
              Integer.toString(cassandra.contactPoint().getPort()),
              run);
      this.process = jvm.process;
    }

    static Child start(KafkaBroker kafka, String topic, String storeGroup, String run)
        throws IOException {
      return new Child(kafka, topic, storeGroup, run);
    }

    void awaitLine(String line, Duration timeout) throws InterruptedException {
      jvm.awaitLine(line, timeout);
    }

    void kill() throws InterruptedException {
      jvm.kill();
    }
  }
}
