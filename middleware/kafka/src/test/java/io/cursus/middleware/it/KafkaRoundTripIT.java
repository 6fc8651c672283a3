package io.cursus.middleware.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.fixtures.AllTypes;
import io.cursus.api.fixtures.ParcelEvents;
import io.cursus.api.mapping.EventMapper;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.memory.InMemoryEventStore;
import io.cursus.json.EventJson;
import io.cursus.middleware.IdempotencyFilter;
import io.cursus.middleware.Pipelines;
import io.cursus.middleware.fixtures.Parcels;
import io.cursus.middleware.kafka.KafkaEventConsumer;
import io.cursus.middleware.kafka.KafkaEventSink;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class KafkaRoundTripIT {

  @Test
  void everyParameterTypeSurvivesTheKafkaBuffer() throws Exception {
    // given
    EventJson json = EventJson.using(EventTypeRegistry.of(ParcelEvents.class, AllTypes.class));
    List<Event> sent = new ArrayList<>();
    AllTypes emit = EventMapper.emitter(AllTypes.class, e -> sent.add(e.captured()));
    UUID uuid = UUID.randomUUID();
    for (int i = 0; i < 3; i++) {
      AllTypes.Dimensions box =
          new AllTypes.Dimensions(3 + i, 4, i == 0 ? Optional.empty() : Optional.of("cm"));
      emit.everything(
          StreamTimestamp.of("s", Parcels.START.plusSeconds(i)),
          "sample-" + uuid,
          "tëxt \"quoted\" 🚚 " + i,
          -7 * i,
          Long.MAX_VALUE - i,
          Math.PI * i,
          i % 2 == 0,
          i == 1 ? null : Integer.valueOf(i),
          uuid,
          Instant.parse("2026-11-22T09:00:00.123Z"),
          LocalDate.of(2026, 11, 22),
          new BigDecimal("12345678901234567890.000" + i),
          AllTypes.Colour.GREEN,
          box,
          List.of(box, box),
          Set.of(AllTypes.Colour.RED, AllTypes.Colour.GREEN),
          Map.of("a", List.of(uuid), "b", List.of()),
          i == 2 ? Optional.empty() : Optional.of(LocalDate.of(2027, 1, i + 1)));
    }
    String topic = SharedEngines.freshTopic("types", 1);
    InMemoryEventStore store = InMemoryEventStore.empty();

    // when
    try (KafkaEventSink sink =
            KafkaEventSink.builder(SharedEngines.kafka().bootstrapServers(), topic, json).build();
        KafkaEventConsumer consumer =
            KafkaEventConsumer.builder(
                    SharedEngines.kafka().bootstrapServers(), topic, "types-" + uuid, json, store)
                .build()
                .start()) {
      sink.accept(sent);
      SharedEngines.await(
          "3 events arrive", Duration.ofSeconds(60), () -> consumer.eventsProcessed() == 3);
      assertThat(consumer.failure()).isEmpty();
    }

    // then: equal, and with the processing ids they were sent with
    List<Event> stored = store.history(AggregateId.of("sample", "sample-" + uuid));
    assertThat(stored).isEqualTo(sent);
    assertThat(stored)
        .extracting(Event::processingId)
        .isEqualTo(sent.stream().map(Event::processingId).toList());
  }

  @Test
  void measuresBatchThroughputThroughKafkaIntoCassandra() throws Exception {
    // given: 20,000 events of 5,000 parcels, emitted in batches of 500
    int parcels = 5_000;
    Map<AggregateId, List<Event>> expected = new LinkedHashMap<>();
    List<Event> all = new ArrayList<>();
    for (int i = 0; i < parcels; i++) {
      List<Event> journey = Parcels.journey(UUID.randomUUID(), "depot-" + i % 4);
      expected.put(journey.get(0).aggregateId(), journey);
      all.addAll(journey);
    }
    String topic = SharedEngines.freshTopic("throughput", 4);

    try (KafkaEventSink sink = SharedEngines.sink(topic);
        KafkaEventConsumer consumer =
            KafkaEventConsumer.builder(
                    SharedEngines.kafka().bootstrapServers(),
                    topic,
                    "throughput-" + UUID.randomUUID(),
                    SharedEngines.JSON,
                    SharedEngines.store())
                .indexer(SharedEngines.index())
                .build()
                .start()) {
      Consumer<List<Event>> producer =
          Pipelines.producer(
                  Parcels.REGISTRY,
                  IdempotencyFilter.inMemory(100_000, Duration.ofMinutes(10)),
                  sink)
              .build();

      // when
      long start = System.nanoTime();
      for (int i = 0; i < all.size(); i += 500) {
        producer.accept(all.subList(i, Math.min(all.size(), i + 500)));
      }
      long produced = System.nanoTime();
      SharedEngines.await(
          "every event is stored and indexed",
          Duration.ofMinutes(2),
          () -> consumer.eventsProcessed() >= all.size());
      long consumed = System.nanoTime();

      // then
      System.out.printf(
          "throughput: %d events in batches of 500; producer pipeline (validate, in-memory"
              + " idempotency, Kafka acks=all) %.0f events/s; until stored and indexed in"
              + " Cassandra %.0f events/s%n",
          all.size(), all.size() * 1e9 / (produced - start), all.size() * 1e9 / (consumed - start));
      assertThat(consumer.eventsProcessed()).isEqualTo(all.size());
      int checked = 0;
      for (Map.Entry<AggregateId, List<Event>> entry : expected.entrySet()) {
        if (checked++ % 50 == 0) { // a sample of 100 histories
          assertThat(SharedEngines.store().history(entry.getKey())).isEqualTo(entry.getValue());
        }
      }
    }
  }
}
