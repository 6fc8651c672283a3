package io.cursus.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import io.cursus.api.Event;
import io.cursus.cassandra.CassandraEventIndex;
import io.cursus.cassandra.CassandraEventStore;
import io.cursus.cassandra.CassandraSchema;
import io.cursus.middleware.kafka.KafkaEventConsumer;
import io.cursus.middleware.kafka.KafkaEventSink;
import io.cursus.testkit.CassandraCluster;
import io.cursus.testkit.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** R5: Cassandra is stopped for 30 s while events keep coming, then started again. */
class R5CassandraOutageIT {

  private static final Duration OUTAGE = Duration.ofSeconds(30);

  @Test
  void theConsumerBacksOffCommitsNothingUnpersistedAndCatchesUp() throws Exception {
    Tally tally = new Tally("R5 Cassandra stopped 30 s under load");
    KafkaBroker kafka = Rig.kafka();
    String topic = Rig.freshTopic(kafka, "r5", 3);
    String group = "r5-" + UUID.randomUUID();
    try (CassandraCluster cassandra = CassandraCluster.builder().nodes(1).start();
        CqlSession session = Rig.connect(cassandra)) {
      CassandraSchema.of(Rig.TABLES).create(session);
      CassandraEventStore store =
          CassandraEventStore.builder(session, Parcels.REGISTRY)
              .tables(Rig.TABLES)
              .timeout(Duration.ofSeconds(2))
              .build();
      CassandraEventIndex index =
          CassandraEventIndex.builder(session, Parcels.REGISTRY)
              .tables(Rig.TABLES)
              .timeout(Duration.ofSeconds(2))
              .build();
      Rig.CountingLog persisted = new Rig.CountingLog(store);

      // given: a producer sending about 400 events/s to Kafka the whole time
      AtomicBoolean stop = new AtomicBoolean();
      List<Throwable> producerFailures = new ArrayList<>();
      Thread producer =
          new Thread(
              () -> {
                try (KafkaEventSink sink = Rig.sink(kafka, topic).build()) {
                  while (!stop.get()) {
                    List<Event> batch = Parcels.flatten(Parcels.journeys(5));
                    tally.sent(batch);
                    sink.accept(batch);
                    tally.acknowledged(batch);
                    Thread.sleep(50);
                  }
                } catch (RuntimeException | InterruptedException e) {
                  synchronized (producerFailures) {
                    producerFailures.add(e);
                  }
                }
              },
              "r5-producer");
      producer.start();
      KafkaEventConsumer consumer =
          Rig.consumer(kafka, topic, group, persisted)
              .indexer(index)
              .maxPollRecords(100)
              .backoff(Duration.ofMillis(100), Duration.ofSeconds(2))
              .build()
              .start();
      long committedBefore;
      long persistedBefore;
      List<String> samples = new ArrayList<>();
      try (consumer) {
        Rig.await(
            "1,000 events stored", Duration.ofSeconds(60), () -> persisted.appended.get() >= 1000);

        // when: Cassandra stops (SIGTERM, drains) and stays down for 30 s
        cassandra.node(0).stop();
        long retriesAtStop = consumer.retries();
        persistedBefore = persisted.appended.get();
        committedBefore = Rig.committedTotal(kafka, group);
        long outageEnd = System.nanoTime() + OUTAGE.toNanos();
        while (System.nanoTime() < outageEnd) {
          Thread.sleep(3_000);
          long committed = Rig.committedTotal(kafka, group); // read first: commits follow persists
          long stored = persisted.appended.get();
          samples.add(committed + "/" + stored);
          assertThat(committed)
              .as("committed offsets vs events persisted")
              .isLessThanOrEqualTo(stored);
          assertThat(stored)
              .as("events persisted while Cassandra is down")
              .isEqualTo(persistedBefore);
        }
        assertThat(Rig.committedTotal(kafka, group)).isEqualTo(committedBefore);
        assertThat(consumer.retries())
            .as("back-offs during the outage")
            .isGreaterThan(retriesAtStop);
        assertThat(consumer.isRunning()).isTrue();
        cassandra.node(0).start();

        // then: the consumer catches up
        Thread.sleep(5_000);
        stop.set(true);
        producer.join(30_000);
        Rig.await(
            "the group committed every record",
            Duration.ofMinutes(3),
            () -> Rig.allCommitted(kafka, group, topic));
        assertThat(consumer.failure()).isEmpty();
        tally.note("consumer retries " + consumer.retries());
      }
      assertThat(producerFailures).isEmpty();
      System.out.println("R5 committed/persisted during the outage: " + samples);
      tally.note(
          "committed during the outage "
              + committedBefore
              + " of "
              + persistedBefore
              + " persisted, unchanged in "
              + samples.size()
              + " samples");
      tally.check(store).report().assertNothingLostOrDuplicated();
    }
  }
}
