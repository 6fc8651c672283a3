package io.cursus.middleware.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.bus.EventBus;
import io.cursus.api.fixtures.ParcelEvents;
import io.cursus.api.mapping.EventMapper;
import io.cursus.cassandra.CassandraEventIndex;
import io.cursus.cassandra.CassandraEventStore;
import io.cursus.middleware.IdempotencyFilter;
import io.cursus.middleware.Pipelines;
import io.cursus.middleware.fixtures.Parcels;
import io.cursus.middleware.hazelcast.HazelcastIdempotencyFilter;
import io.cursus.middleware.kafka.KafkaEventConsumer;
import io.cursus.middleware.kafka.KafkaEventSink;
import io.cursus.testkit.HazelcastMembers;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Typed emitters on several producer threads, each attached to one of two Hazelcast members, send
 * every event one to three times in shuffled order through validate, Hazelcast idempotency and
 * Kafka; a consumer persists to Cassandra and indexes. Every history must come out exact.
 */
class EndToEndIT {

  private static final int AGGREGATES = 200;
  private static final int EVENTS_PER_AGGREGATE = 10;
  private static final int PRODUCERS = 4;

  @Test
  void everyAggregateHistoryIsExactDespiteDuplicatesAndShuffling() throws Exception {
    // given: the events of 200 parcels, each offered 1-3 times, shuffled
    String run = UUID.randomUUID().toString().substring(0, 8);
    Random random = new Random(42);
    Map<AggregateId, List<Event>> expected = new HashMap<>();
    Map<AggregateId, String> latestDepot = new HashMap<>();
    List<Consumer<ParcelEvents>> offers = new ArrayList<>();
    for (int p = 0; p < AGGREGATES; p++) {
      UUID parcel = UUID.randomUUID();
      List<Consumer<ParcelEvents>> journey = journey(parcel, "depot-" + (p % 3), run, random);
      List<Event> events = new ArrayList<>();
      ParcelEvents collect = EventMapper.emitter(ParcelEvents.class, events::add);
      journey.forEach(emit -> emit.accept(collect));
      AggregateId id = events.get(0).aggregateId();
      expected.put(id, events);
      latestDepot.put(id, (String) events.get(events.size() - 2).parameters().get("depotId"));
      for (Consumer<ParcelEvents> emit : journey) {
        int copies = 1 + random.nextInt(3);
        for (int c = 0; c < copies; c++) {
          offers.add(emit);
        }
      }
    }
    Collections.shuffle(offers, random);
    int unique = AGGREGATES * EVENTS_PER_AGGREGATE;

    String topic = SharedEngines.freshTopic("e2e", 4);
    CassandraEventStore store = SharedEngines.store();
    CassandraEventIndex index = SharedEngines.index();
    AtomicLong sentToKafka = new AtomicLong();
    long start = System.nanoTime();

    try (HazelcastMembers hazelcast = HazelcastMembers.start(2);
        KafkaEventSink sink = SharedEngines.sink(topic)) {
      KafkaEventConsumer consumer =
          KafkaEventConsumer.builder(
                  SharedEngines.kafka().bootstrapServers(),
                  topic,
                  "store-" + run,
                  SharedEngines.JSON,
                  store)
              .indexer(index)
              .maxPollRecords(200)
              .build()
              .start();
      try (consumer) {
        // when: producers, half on each Hazelcast member, emit through typed interfaces
        ExecutorService producers = Executors.newFixedThreadPool(PRODUCERS);
        try {
          List<Future<?>> done = new ArrayList<>();
          for (int t = 0; t < PRODUCERS; t++) {
            IdempotencyFilter idempotency =
                HazelcastIdempotencyFilter.using(
                    hazelcast.members().get(t % 2), "idempotency-" + run, Duration.ofMinutes(10));
            EventBus bus =
                EventBus.to(
                    Pipelines.producer(
                            Parcels.REGISTRY,
                            idempotency,
                            batch -> {
                              sink.accept(batch);
                              sentToKafka.addAndGet(batch.size());
                            })
                        .build());
            ParcelEvents emitter = bus.emitter(ParcelEvents.class);
            List<Consumer<ParcelEvents>> mine = new ArrayList<>();
            for (int i = t; i < offers.size(); i += PRODUCERS) {
              mine.add(offers.get(i));
            }
            done.add(producers.submit(() -> mine.forEach(emit -> emit.accept(emitter))));
          }
          for (Future<?> future : done) {
            future.get();
          }
        } finally {
          producers.shutdownNow();
        }
        long produced = System.nanoTime();
        SharedEngines.await(
            "the consumer processed every unique event",
            Duration.ofMinutes(2),
            () -> consumer.eventsProcessed() >= unique);
        long consumed = System.nanoTime();

        // then: every stored history is exactly the expected one
        long stored = 0;
        int wrong = 0;
        for (Map.Entry<AggregateId, List<Event>> entry : expected.entrySet()) {
          List<Event> history = store.history(entry.getKey());
          stored += history.size();
          if (!history.equals(entry.getValue())) {
            wrong++;
          }
          assertThat(history).as("history of %s", entry.getKey()).isEqualTo(entry.getValue());
        }
        long lost = Math.max(0, unique - stored);
        long duplicated = Math.max(0, stored - unique);
        System.out.printf(
            "end-to-end: offered %d, unique %d, passed idempotency to Kafka %d, processed by the"
                + " consumer %d, stored %d, duplicated %d, lost %d, wrong histories %d;"
                + " produce %d ms, until consumed %d ms (%.0f offers/s end to end)%n",
            offers.size(),
            unique,
            sentToKafka.get(),
            consumer.eventsProcessed(),
            stored,
            duplicated,
            lost,
            wrong,
            (produced - start) / 1_000_000,
            (consumed - start) / 1_000_000,
            offers.size() * 1e9 / (consumed - start));
        assertThat(offers.size()).isGreaterThan(unique);
        assertThat(sentToKafka.get()).isEqualTo(unique); // the idempotency window let each once
        assertThat(stored).isEqualTo(unique);
        assertThat(consumer.failure()).isEmpty();
        assertThat(consumer.deadLettered()).isZero();

        // and the index answers with each parcel's latest depot
        Set<String> depots = new HashSet<>(latestDepot.values());
        for (String depot : depots) {
          Set<AggregateId> there = new HashSet<>();
          latestDepot.forEach(
              (id, latest) -> {
                if (latest.equals(depot)) {
                  there.add(id);
                }
              });
          assertThat(index.find("parcel", "depotId", depot)).as("at %s", depot).isEqualTo(there);
        }
      }
    }
  }

  @Test
  void anEventWithA70000CharacterIndexedValueIsStoredIndexedAndTheNextEventsFollowIt()
      throws Exception {
    // given: one parcel received at a depot whose id has 70,000 characters, then 20 journeys, all
    // on one partition so that the journeys queue behind it
    String run = UUID.randomUUID().toString();
    String longDepot = run + "-" + "d".repeat(70_000 - run.length() - 1);
    UUID longParcel = UUID.randomUUID();
    List<UUID> parcels = new ArrayList<>();
    for (int p = 0; p < 20; p++) {
      parcels.add(UUID.randomUUID());
    }
    String topic = SharedEngines.freshTopic("long-value", 1);
    CassandraEventStore store = SharedEngines.store();
    CassandraEventIndex index = SharedEngines.index();

    try (KafkaEventSink sink = SharedEngines.sink(topic);
        KafkaEventConsumer consumer =
            KafkaEventConsumer.builder(
                    SharedEngines.kafka().bootstrapServers(),
                    topic,
                    "long-value-" + run,
                    SharedEngines.JSON,
                    store)
                .indexer(index)
                .build()
                .start()) {
      EventBus bus =
          EventBus.to(
              Pipelines.producer(
                      Parcels.REGISTRY,
                      IdempotencyFilter.inMemory(1_000, Duration.ofMinutes(10)),
                      sink)
                  .build());

      // when
      bus.emitter(ParcelEvents.class)
          .receivedAtDepot(StreamTimestamp.of("s", Parcels.START), longParcel, longDepot);
      for (UUID parcel : parcels) {
        bus.dispatch(Parcels.journey(parcel, "s"));
      }
      SharedEngines.await(
          "the consumer processed every event, or stopped",
          Duration.ofSeconds(60),
          () -> consumer.eventsProcessed() >= 1 + 4 * parcels.size() || !consumer.isRunning());

      // then
      assertThat(consumer.failure()).isEmpty();
      assertThat(consumer.isRunning()).isTrue();
      assertThat(consumer.deadLettered()).isZero();
      List<Event> stored = store.history(AggregateId.of("parcel", longParcel));
      assertThat(stored).hasSize(1);
      assertThat(stored.get(0).parameters().get("depotId")).isEqualTo(longDepot);
      for (UUID parcel : parcels) {
        assertThat(store.history(AggregateId.of("parcel", parcel))).hasSize(4);
      }
      assertThat(index.find("parcel", "depotId", longDepot))
          .containsExactly(AggregateId.of("parcel", longParcel));
      assertThat(index.find("parcel", "depotId", longDepot + "d")).isEmpty();
      SharedEngines.await(
          "the offsets are committed",
          Duration.ofSeconds(30),
          () -> SharedEngines.allCommitted("long-value-" + run, topic));
    }
  }

  /** Ten events of one parcel: received, four truck legs to depots, delivered. */
  private static List<Consumer<ParcelEvents>> journey(
      UUID parcel, String stream, String run, Random random) {
    StreamTimestamp at = StreamTimestamp.of(stream, Parcels.START.plusMillis(random.nextInt(1000)));
    List<Consumer<ParcelEvents>> journey = new ArrayList<>();
    String first = run + "-depot-" + random.nextInt(5);
    journey.add(e -> e.receivedAtDepot(at, parcel, first));
    for (int leg = 0; leg < 4; leg++) {
      StreamTimestamp loaded = at.plus(2L * leg + 1, ChronoUnit.MINUTES);
      StreamTimestamp arrived = at.plus(2L * leg + 2, ChronoUnit.MINUTES);
      String truck = "truck-" + random.nextInt(20);
      String depot = run + "-depot-" + random.nextInt(5);
      journey.add(e -> e.loadedOntoTruck(loaded, parcel, truck));
      journey.add(e -> e.arrivedAtDepot(arrived, parcel, depot));
    }
    StreamTimestamp end = at.plus(9, ChronoUnit.MINUTES);
    journey.add(e -> e.delivered(end, parcel, "home"));
    return journey;
  }
}
