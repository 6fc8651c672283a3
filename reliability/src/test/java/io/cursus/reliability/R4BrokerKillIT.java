package io.cursus.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.api.CursusException;
import io.cursus.api.Event;
import io.cursus.api.bus.EventBus;
import io.cursus.middleware.IdempotencyFilter;
import io.cursus.middleware.PipelineException;
import io.cursus.middleware.Pipelines;
import io.cursus.middleware.kafka.KafkaEventConsumer;
import io.cursus.middleware.kafka.KafkaEventSink;
import io.cursus.testkit.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** R4: the Kafka broker is killed (SIGKILL) while a producer sends, then restarted. */
class R4BrokerKillIT {

  @Test
  void everyAcknowledgedEventArrivesAndEveryOtherFailsLoudly() throws Exception {
    Tally tally = new Tally("R4 Kafka broker SIGKILL during production");
    try (KafkaBroker kafka = KafkaBroker.builder().start()) {
      String topic = Rig.freshTopic(kafka, "r4", 3);
      AtomicReference<KafkaEventSink> sink =
          new AtomicReference<>(Rig.sinkGivingUpSoon(kafka, topic));
      EventBus bus =
          EventBus.to(
              Pipelines.producer(
                      Parcels.REGISTRY,
                      IdempotencyFilter.inMemory(100_000, Duration.ofMinutes(10)),
                      batch -> sink.get().accept(batch))
                  .build());
      AtomicLong acknowledged = new AtomicLong();
      AtomicLong failedLoudly = new AtomicLong();
      AtomicLong sinksRebuilt = new AtomicLong();
      List<Throwable> otherFailures = new ArrayList<>();
      List<String> failureMessages = new ArrayList<>();
      AtomicBoolean stop = new AtomicBoolean();
      Thread producer =
          new Thread(
              () -> {
                while (!stop.get()) {
                  List<Event> batch = Parcels.flatten(Parcels.journeys(5));
                  tally.sent(batch);
                  try {
                    bus.dispatch(batch);
                    tally.acknowledged(batch);
                    acknowledged.addAndGet(batch.size());
                  } catch (PipelineException e) {
                    failedLoudly.addAndGet(batch.size());
                    synchronized (failureMessages) {
                      if (failureMessages.size() < 3) {
                        failureMessages.add(e.getMessage());
                      }
                    }
                    if (!e.isTransient()) { // a producer Kafka gave up on: the caller builds anew
                      sink.getAndSet(Rig.sinkGivingUpSoon(kafka, topic)).close();
                      sinksRebuilt.incrementAndGet();
                    }
                  } catch (RuntimeException e) {
                    synchronized (otherFailures) {
                      otherFailures.add(e);
                    }
                  }
                  Rig.pause(Duration.ofMillis(20));
                }
              },
              "r4-producer");
      producer.start();
      long ackedAtKill;
      try {
        // when: the broker dies mid-production, stays dead a while, and comes back
        Rig.await(
            "400 events acknowledged", Duration.ofSeconds(60), () -> acknowledged.get() >= 400);
        kafka.kill();
        ackedAtKill = acknowledged.get();
        Rig.await(
            "a send fails while the broker is dead",
            Duration.ofSeconds(60),
            () -> failedLoudly.get() > 0);
        kafka.start();
        long ackedAtRestart = acknowledged.get();
        Rig.await(
            "sends are acknowledged again",
            Duration.ofMinutes(2),
            () -> acknowledged.get() >= ackedAtRestart + 400);
      } finally {
        stop.set(true);
        producer.join(60_000);
        sink.get().close();
      }

      // then: every caller either got an acknowledgement or a CursusException
      assertThat(otherFailures).as("failures that are not a CursusException").isEmpty();
      assertThat(failedLoudly.get()).isPositive();
      System.out.println("R4 failures seen by the caller, e.g.: " + failureMessages);
      assertThat(failureMessages.get(0))
          .contains("stage 'kafka' failed", "Kafka did not acknowledge");
      assertThat(PipelineException.class).isAssignableTo(CursusException.class);

      // and a consumer finds every acknowledged event
      String group = "r4-" + UUID.randomUUID();
      try (KafkaEventConsumer consumer =
          Rig.consumer(kafka, topic, group, Rig.store()).maxPollRecords(200).build().start()) {
        Rig.await(
            "the group committed every record",
            Duration.ofMinutes(2),
            () -> Rig.allCommitted(kafka, group, topic));
        assertThat(consumer.failure()).isEmpty();
      }
      tally.note("acknowledged before the kill " + ackedAtKill);
      tally.note("failed loudly to the caller " + failedLoudly.get());
      tally.note("producers rebuilt " + sinksRebuilt.get());
      Tally.Result result = tally.check(Rig.store()).report().assertNothingLostOrDuplicated();
      assertThat(result.sent()).isEqualTo(result.acknowledged() + failedLoudly.get());
    }
  }
}
