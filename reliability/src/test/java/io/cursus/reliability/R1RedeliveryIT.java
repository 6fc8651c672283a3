package io.cursus.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.api.Event;
import io.cursus.api.TransientCursusException;
import io.cursus.api.bus.EventBus;
import io.cursus.api.store.EventLog;
import io.cursus.middleware.IdempotencyFilter;
import io.cursus.middleware.Pipelines;
import io.cursus.middleware.kafka.KafkaEventConsumer;
import io.cursus.middleware.kafka.KafkaEventSink;
import io.cursus.testkit.KafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** R1: every event reaches Kafka two or three times and the consumer redelivers batches. */
class R1RedeliveryIT {

  @Test
  void everyEventDeliveredTwiceOrThreeTimesIsStoredOnce() throws Exception {
    // given: 2,000 events; a producer whose every batch is sent 2 or 3 times (acks "lost")
    Tally tally = new Tally("R1 every event delivered 2-3 times");
    KafkaBroker kafka = Rig.kafka();
    String topic = Rig.freshTopic(kafka, "r1", 3);
    List<Event> all = Parcels.flatten(Parcels.journeys(500));
    AtomicLong inKafka = new AtomicLong();
    AtomicInteger batches = new AtomicInteger();
    try (KafkaEventSink sink = Rig.sink(kafka, topic).build()) {
      Consumer<List<Event>> retryingProducer =
          batch -> {
            int times = 2 + batches.getAndIncrement() % 2;
            for (int i = 0; i < times; i++) {
              sink.accept(batch);
              inKafka.addAndGet(batch.size());
            }
          };
      EventBus bus =
          EventBus.to(
              Pipelines.producer(
                      Parcels.REGISTRY,
                      IdempotencyFilter.inMemory(100_000, Duration.ofMinutes(10)),
                      retryingProducer)
                  .build());
      for (int i = 0; i < all.size(); i += 20) {
        List<Event> batch = all.subList(i, Math.min(all.size(), i + 20));
        bus.dispatch(batch);
        tally.delivered(batch);
      }
      // and upstream sends everything once more: the idempotency window stops it before Kafka
      long before = inKafka.get();
      for (int i = 0; i < all.size(); i += 20) {
        bus.dispatch(all.subList(i, Math.min(all.size(), i + 20)));
      }
      assertThat(inKafka.get()).as("repeats that passed the idempotency window").isEqualTo(before);
      tally.note("records in Kafka " + inKafka.get());
      tally.note("repeats stopped by the idempotency window " + all.size());
    }
    assertThat(inKafka.get()).isBetween(2L * all.size(), 3L * all.size());

    // when: a consumer whose store times out after writing every fifth batch (redelivered batches)
    AtomicInteger appends = new AtomicInteger();
    EventLog timingOut =
        events -> {
          Rig.store().append(events);
          if (appends.incrementAndGet() % 5 == 0) {
            throw new TransientCursusException(
                "simulated timeout after the write: the batch is delivered again", null);
          }
        };
    String group = "r1-" + UUID.randomUUID();
    try (KafkaEventConsumer consumer =
        Rig.consumer(kafka, topic, group, timingOut)
            .indexer(Rig.index())
            .maxPollRecords(100)
            .build()
            .start()) {
      Rig.await(
          "the group committed every record",
          Duration.ofMinutes(2),
          () -> Rig.allCommitted(kafka, group, topic));

      // then
      assertThat(consumer.failure()).isEmpty();
      assertThat(consumer.retries()).isPositive();
      assertThat(consumer.eventsProcessed()).isEqualTo(inKafka.get());
      tally.note("batches redelivered to the store " + consumer.retries());
    }
    tally.check(Rig.store()).report().assertNothingLostOrDuplicated();
  }
}
