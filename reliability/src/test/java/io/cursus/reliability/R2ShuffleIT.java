package io.cursus.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.middleware.kafka.KafkaEventConsumer;
import io.cursus.middleware.kafka.KafkaEventSink;
import io.cursus.testkit.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * R2: the events of each parcel come from two streams, shuffled, on random partitions, consumed by
 * two consumers at once.
 */
class R2ShuffleIT {

  private static final int PARTITIONS = 4;

  @Test
  void shuffledEventsGiveHistoriesInEventTimeOrderAndACorrectIndex() throws Exception {
    // given: 2,400 events of 600 parcels in random order, each on a random partition
    Tally tally = new Tally("R2 shuffled across streams and partitions");
    KafkaBroker kafka = Rig.kafka();
    String topic = Rig.freshTopic(kafka, "r2", PARTITIONS);
    Map<AggregateId, List<Event>> journeys = Parcels.journeys(600);
    List<Event> shuffled = new ArrayList<>(Parcels.flatten(journeys));
    Random random = new Random(42);
    Collections.shuffle(shuffled, random);
    long outOfOrder = outOfOrderArrivals(shuffled);
    try (KafkaProducer<String, byte[]> producer = Rig.rawProducer(kafka)) {
      for (Event event : shuffled) {
        producer
            .send(
                new ProducerRecord<>(
                    topic,
                    random.nextInt(PARTITIONS),
                    KafkaEventSink.keyOf(event),
                    Parcels.JSON.write(event)))
            .get();
        tally.delivered(List.of(event));
      }
    }
    tally.note("events arriving before an earlier event of their parcel " + outOfOrder);

    // when: two consumers of one group share the partitions
    String group = "r2-" + UUID.randomUUID();
    try (KafkaEventConsumer first = consumer(kafka, topic, group);
        KafkaEventConsumer second = consumer(kafka, topic, group)) {
      Rig.await(
          "the group committed every record",
          Duration.ofMinutes(2),
          () -> Rig.allCommitted(kafka, group, topic));
      assertThat(first.failure()).isEmpty();
      assertThat(second.failure()).isEmpty();
      assertThat(first.eventsProcessed() + second.eventsProcessed())
          .isGreaterThanOrEqualTo(shuffled.size());
    }

    // then: every history equals the journey, in event-time order
    Tally.Result result = tally.check(Rig.store());
    journeys.forEach((id, journey) -> assertThat(Rig.store().history(id)).isEqualTo(journey));
    // and the index holds each parcel's latest depot by event time, not by arrival
    Set<AggregateId> ours = journeys.keySet();
    for (int depot = 0; depot < 3; depot++) {
      int d = depot;
      Set<AggregateId> expected =
          journeys.entrySet().stream()
              .filter(e -> e.getValue().get(2).parameters().get("depotId").equals("depot-" + d))
              .map(Map.Entry::getKey)
              .collect(Collectors.toSet());
      assertThat(intersect(find("depot-" + d), ours))
          .as("parcels now at depot-%d", d)
          .isEqualTo(expected);
    }
    assertThat(intersect(find("Lewisham"), ours))
        .as("parcels still at their first depot")
        .isEmpty();
    tally.note("index checked for 4 values");
    tally.note("index reads retried after a transient failure " + findRetries.get());
    result.report().assertNothingLostOrDuplicated();
  }

  private final java.util.concurrent.atomic.AtomicInteger findRetries =
      new java.util.concurrent.atomic.AtomicInteger();

  /**
   * The parcels whose latest depot is {@code depot}. A transient failure is retried, as a caller
   * should: {@code find} checks every candidate at once, which on a loaded machine can exhaust the
   * driver's connection.
   */
  private Set<AggregateId> find(String depot) throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        return Rig.index().find("parcel", "depotId", depot);
      } catch (io.cursus.api.TransientCursusException e) {
        if (attempt == 5) {
          throw e;
        }
        findRetries.incrementAndGet();
        Thread.sleep(1_000);
      }
    }
  }

  private static KafkaEventConsumer consumer(KafkaBroker kafka, String topic, String group) {
    return Rig.consumer(kafka, topic, group, Rig.store())
        .indexer(Rig.index())
        .maxPollRecords(50)
        .build()
        .start();
  }

  private static Set<AggregateId> intersect(Set<AggregateId> found, Set<AggregateId> ours) {
    Set<AggregateId> both = new HashSet<>(found);
    both.retainAll(ours);
    return both;
  }

  /** How many events come after a later event of the same aggregate. */
  private static long outOfOrderArrivals(List<Event> arrivals) {
    Map<AggregateId, Event> latest = new java.util.HashMap<>();
    long late = 0;
    for (Event event : arrivals) {
      Event seen = latest.get(event.aggregateId());
      if (seen != null && seen.eventTime().isAfter(event.eventTime())) {
        late++;
      } else {
        latest.put(event.aggregateId(), event);
      }
    }
    return late;
  }
}
