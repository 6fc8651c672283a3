package io.cursus.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.api.Event;
import io.cursus.api.bus.EventBus;
import io.cursus.middleware.IdempotencyFilter;
import io.cursus.middleware.PipelineException;
import io.cursus.middleware.Pipelines;
import io.cursus.middleware.kafka.KafkaEventConsumer;
import io.cursus.middleware.kafka.KafkaEventSink;
import io.cursus.testkit.KafkaBroker;
import io.cursus.testkit.KafkaCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * R11: three Kafka brokers (KRaft, replication 3, min.insync.replicas 2); the leader of the
 * partition being written is killed with SIGKILL while two producers send and a consumer stores,
 * and is started again.
 */
@Tag("heavy") // runs in the heavy profile: docs/reliability.md
class R11LeaderKillIT {

  private static final int PRODUCERS = 2;
  private static final int PHASE = 2_000;
  private static final int MAX_ATTEMPTS = 20;

  @Test
  void theLeadersSigkillLosesNothingAcknowledgedAndStoresNothingTwice() throws Exception {
    Tally tally = new Tally("R11 three brokers rf 3, min ISR 2, partition leader SIGKILL");
    long began = System.nanoTime();
    try (KafkaCluster kafka = KafkaCluster.builder().brokers(3).start()) {
      long startSeconds = seconds(began);
      ProcessMemory memory = new ProcessMemory("broker", kafka.brokers());
      memory.sample();
      String idle = memory.line();
      System.out.println("R11 three Kafka brokers started in " + startSeconds + " s; idle " + idle);

      String topic = "r11-" + UUID.randomUUID();
      kafka.createTopics(3, topic);
      kafka.createTopics(1, topic + ".dlq");
      assertThat(kafka.replicationFactor()).isEqualTo(3);
      for (int p = 0; p < 3; p++) {
        assertThat(kafka.inSyncReplicas(topic, p)).as("replicas of partition %d", p).hasSize(3);
      }

      AtomicReference<KafkaEventSink> sink = new AtomicReference<>(newSink(kafka, topic));
      EventBus bus =
          EventBus.to(
              Pipelines.producer(
                      Parcels.REGISTRY,
                      IdempotencyFilter.inMemory(200_000, Duration.ofMinutes(10)),
                      batch -> sink.get().accept(batch))
                  .build());
      AtomicLong acknowledged = new AtomicLong();
      AtomicLong callerRetries = new AtomicLong();
      AtomicLong sinksRebuilt = new AtomicLong();
      AtomicLong gaveUp = new AtomicLong();
      List<String> failureMessages = new ArrayList<>();
      List<Throwable> otherFailures = new ArrayList<>();
      AtomicBoolean stop = new AtomicBoolean();
      Rig.CountingLog store = new Rig.CountingLog(Rig.store());
      String group = "r11-" + UUID.randomUUID();

      long ackedAtKill;
      long storedAtKill;
      long ackedWhileDown;
      long storedWhileDown;
      long failoverMillis;
      long restartMillis;
      long inSyncMillis;
      int killed;
      int newLeader;
      List<Integer> ledByKilled = new ArrayList<>();
      long recordsInKafka;
      try (KafkaEventConsumer consumer =
          KafkaEventConsumer.builder(kafka.bootstrapServers(), topic, group, Parcels.JSON, store)
              .backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
              .maxPollRecords(200)
              .build()
              .start()) {
        List<Thread> producers = new ArrayList<>();
        for (int i = 0; i < PRODUCERS; i++) {
          Thread producer =
              new Thread(
                  () -> {
                    while (!stop.get()) {
                      List<Event> batch = Parcels.flatten(Parcels.journeys(5));
                      tally.sent(batch);
                      // a caller retries a batch that failed; the window forgets a failed batch,
                      // the store upserts by identity
                      for (int attempt = 1; ; attempt++) {
                        try {
                          bus.dispatch(batch);
                          tally.acknowledged(batch);
                          acknowledged.addAndGet(batch.size());
                          break;
                        } catch (PipelineException e) {
                          callerRetries.incrementAndGet();
                          synchronized (failureMessages) {
                            if (failureMessages.size() < 3) {
                              failureMessages.add(e.getMessage());
                            }
                          }
                          if (!e.isTransient()) { // a producer Kafka gave up on: build anew
                            sink.getAndSet(newSink(kafka, topic)).close();
                            sinksRebuilt.incrementAndGet();
                          }
                          if (attempt == MAX_ATTEMPTS) {
                            gaveUp.incrementAndGet();
                            break;
                          }
                        } catch (RuntimeException e) {
                          synchronized (otherFailures) {
                            otherFailures.add(e);
                          }
                          break;
                        }
                      }
                      Rig.pause(Duration.ofMillis(10));
                    }
                  },
                  "r11-producer-" + i);
          producers.add(producer);
          producer.start();
        }
        try {
          Rig.await(
              "events acknowledged", Duration.ofMinutes(2), () -> acknowledged.get() >= PHASE);

          // when: the leader of partition 0 is killed mid-stream
          KafkaBroker leader = kafka.leaderOf(topic, 0);
          killed = kafka.brokers().indexOf(leader) + 1;
          for (int p = 0; p < 3; p++) {
            if (kafka.leaderOf(topic, p) == leader) {
              ledByKilled.add(p);
            }
          }
          memory.sample();
          ackedAtKill = acknowledged.get();
          storedAtKill = store.appended.get();
          long killedAt = System.nanoTime();
          leader.kill();
          KafkaBroker successor = kafka.leaderOf(topic, 0);
          failoverMillis = millis(killedAt);
          newLeader = kafka.brokers().indexOf(successor) + 1;
          assertThat(successor).isNotSameAs(leader);

          // then: producers and the consumer go on with the two brokers left
          Rig.await(
              "events acknowledged while the leader is down",
              Duration.ofMinutes(3),
              () -> acknowledged.get() >= ackedAtKill + PHASE);
          Rig.await(
              "events stored while the leader is down",
              Duration.ofMinutes(3),
              () -> store.appended.get() >= ackedAtKill + PHASE);
          ackedWhileDown = acknowledged.get() - ackedAtKill;
          storedWhileDown = store.appended.get() - storedAtKill;
          memory.sample();

          // when: it comes back, and catches up
          long restartAt = System.nanoTime();
          leader.start();
          restartMillis = millis(restartAt);
          kafka.awaitInSync(topic);
          inSyncMillis = millis(restartAt);
          long ackedAtReturn = acknowledged.get();
          Rig.await(
              "events acknowledged after its return",
              Duration.ofMinutes(2),
              () -> acknowledged.get() >= ackedAtReturn + PHASE);
        } finally {
          stop.set(true);
          for (Thread producer : producers) {
            producer.join(120_000);
          }
        }
        memory.sample();
        Rig.await(
            "the group committed every record",
            Duration.ofMinutes(3),
            () -> Rig.allCommitted(kafka.bootstrapServers(), group, topic));
        assertThat(consumer.failure()).as("the consumer's failure").isEmpty();
        assertThat(consumer.isRunning()).isTrue();
        recordsInKafka = Rig.recordsIn(kafka.bootstrapServers(), topic);
      } finally {
        sink.get().close();
      }

      // then: every dispatch was acknowledged, at once or on the caller's retry
      assertThat(otherFailures).as("failures that are not a PipelineException").isEmpty();
      assertThat(gaveUp.get()).as("batches given up after %d attempts", MAX_ATTEMPTS).isZero();
      if (!failureMessages.isEmpty()) {
        System.out.println("R11 failures seen by the caller, e.g.: " + failureMessages);
      }
      tally.note(
          "partition 0's leader, broker " + killed + " (leading " + ledByKilled + "), killed");
      tally.note("acknowledged before the kill " + ackedAtKill);
      tally.note(
          "broker " + newLeader + " led partition 0 " + failoverMillis + " ms after the kill");
      tally.note("acknowledged while it was down " + ackedWhileDown);
      tally.note("stored by the consumer while it was down " + storedWhileDown);
      tally.note(
          "it answered again "
              + restartMillis
              + " ms after its start, its replicas in sync after "
              + inSyncMillis
              + " ms");
      tally.note("batches retried by the caller " + callerRetries.get());
      tally.note("producers rebuilt " + sinksRebuilt.get());
      tally.note("records in Kafka " + recordsInKafka);
      tally.note("consumer appends " + store.appended.get());
      tally.note("cluster started in " + startSeconds + " s");
      tally.note("memory idle " + idle + ", at the end " + memory.line());
      Tally.Result result = tally.check(Rig.store()).report().assertNothingLostOrDuplicated();
      assertThat(result.acknowledged()).isEqualTo(result.sent());
      assertThat(result.stored()).isEqualTo(result.sent());
      // the idempotent producer's retries wrote nothing twice into Kafka; a caller's retry of a
      // batch that failed may have, and the store absorbed it
      if (callerRetries.get() == 0) {
        assertThat(recordsInKafka).isEqualTo(result.sent());
      } else {
        assertThat(recordsInKafka).isGreaterThanOrEqualTo(result.sent());
      }
    }
  }

  /** The sink with Cursus's defaults (delivery timeout 30 s, ack timeout 40 s). */
  private static KafkaEventSink newSink(KafkaCluster kafka, String topic) {
    return KafkaEventSink.builder(kafka.bootstrapServers(), topic, Parcels.JSON)
        .linger(Duration.ofMillis(2))
        .build();
  }

  private static long seconds(long since) {
    return (System.nanoTime() - since) / 1_000_000_000;
  }

  private static long millis(long since) {
    return (System.nanoTime() - since) / 1_000_000;
  }
}
