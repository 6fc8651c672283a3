package io.cursus.middleware.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.NonTransientCursusException;
import io.cursus.api.TransientCursusException;
import io.cursus.api.store.EventIndexer;
import io.cursus.api.store.EventLog;
import io.cursus.cassandra.CassandraEventStore;
import io.cursus.middleware.fixtures.Parcels;
import io.cursus.middleware.kafka.KafkaEventConsumer;
import io.cursus.middleware.kafka.KafkaEventSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/** The consumer loop on real Kafka and Cassandra when messages, the store or the loop fail. */
class ConsumerFailuresIT {

  private final CassandraEventStore store = SharedEngines.store();

  @Test
  void poisonMessagesGoToTheDeadLetterTopicWithTheirReasonAndTheRestIsStored() throws Exception {
    // given: good events with four kinds of poison among them
    String topic = SharedEngines.freshTopic("poison", 2);
    Map<AggregateId, List<Event>> expected = journeys(20);
    List<Event> good = expected.values().stream().flatMap(List::stream).toList();
    String sample = new String(SharedEngines.JSON.write(good.get(0)), StandardCharsets.UTF_8);
    Map<String, byte[]> poison = new LinkedHashMap<>();
    poison.put("MALFORMED", "{\"envelope\":1, not json".getBytes(StandardCharsets.UTF_8));
    byte[] whole = sample.getBytes(StandardCharsets.UTF_8);
    poison.put("MALFORMED truncated", Arrays.copyOf(whole, whole.length / 2));
    poison.put(
        "UNKNOWN_EVENT_TYPE",
        sample
            .replace("\"name\":\"receivedAtDepot\"", "\"name\":\"teleported\"")
            .getBytes(StandardCharsets.UTF_8));
    poison.put(
        "SCHEMA_MISMATCH",
        sample
            .replace("\"depotId\":\"Lewisham\"", "\"depotId\":12")
            .getBytes(StandardCharsets.UTF_8));
    assertThat(poison.get("UNKNOWN_EVENT_TYPE")).isNotEqualTo(whole);
    assertThat(poison.get("SCHEMA_MISMATCH")).isNotEqualTo(whole);
    try (KafkaProducer<String, byte[]> producer = SharedEngines.rawProducer()) {
      int i = 0;
      List<Map.Entry<String, byte[]>> poisons = new ArrayList<>(poison.entrySet());
      for (Event event : good) {
        producer.send(new ProducerRecord<>(topic, KafkaEventSink.keyOf(event), JSON(event))).get();
        if (i % 20 == 5 && i / 20 < poisons.size()) {
          Map.Entry<String, byte[]> bad = poisons.get(i / 20);
          producer
              .send(new ProducerRecord<>(topic, "poison-" + bad.getKey(), bad.getValue()))
              .get();
        }
        i++;
      }
    }

    // when
    try (KafkaEventConsumer consumer =
        KafkaEventConsumer.builder(
                SharedEngines.kafka().bootstrapServers(),
                topic,
                "poison-" + UUID.randomUUID(),
                SharedEngines.JSON,
                store)
            .build()
            .start()) {
      SharedEngines.await(
          "all good events are processed and the poison dead-lettered",
          Duration.ofSeconds(60),
          () -> consumer.eventsProcessed() >= good.size() && consumer.deadLettered() >= 4);

      // then
      assertThat(consumer.failure()).isEmpty();
      assertThat(consumer.deadLettered()).isEqualTo(4);
      expected.forEach((id, events) -> assertThat(store.history(id)).isEqualTo(events));
    }
    List<ConsumerRecord<byte[], byte[]>> dead = readAll(topic + ".dlq", 4);
    assertThat(dead).hasSize(4);
    for (ConsumerRecord<byte[], byte[]> record : dead) {
      String key = new String(record.key(), StandardCharsets.UTF_8);
      String kind = key.substring("poison-".length());
      assertThat(record.value()).as(kind).isEqualTo(poison.get(kind));
      assertThat(header(record, KafkaEventConsumer.REASON_HEADER))
          .isEqualTo(kind.replace(" truncated", ""));
      assertThat(header(record, KafkaEventConsumer.ERROR_HEADER)).isNotBlank();
      assertThat(header(record, KafkaEventConsumer.TOPIC_HEADER)).isEqualTo(topic);
      assertThat(header(record, KafkaEventConsumer.OFFSET_HEADER)).matches("\\d+");
      System.out.printf(
          "dead letter %s: %s%n", kind, header(record, KafkaEventConsumer.ERROR_HEADER));
    }
  }

  @Test
  void anEventTheIndexOrAHandlerRefusesForGoodIsDeadLetteredAndTheRestIsProcessed()
      throws Exception {
    // given: 30 journeys on one partition; the index refuses one event for good, a handler
    // throws a programming error on another, and fails transiently once on a third
    String topic = SharedEngines.freshTopic("refused", 1);
    String group = "refused-" + UUID.randomUUID();
    Map<AggregateId, List<Event>> expected = journeys(30);
    List<Event> all = expected.values().stream().flatMap(List::stream).toList();
    Event refusedByIndex = all.get(22);
    Event refusedByHandler = all.get(41);
    Event failingOnce = all.get(63);
    SharedEngines.produceRaw(topic, all);
    EventIndexer index =
        events -> {
          if (events.stream().anyMatch(e -> e.identity().equals(refusedByIndex.identity()))) {
            throw new NonTransientCursusException("simulated index refusal", null);
          }
          SharedEngines.index().index(events);
        };
    List<Event> handled = new CopyOnWriteArrayList<>();
    AtomicInteger transientFailures = new AtomicInteger();
    Consumer<Event> handler =
        event -> {
          if (event.identity().equals(refusedByHandler.identity())) {
            throw new IllegalStateException("simulated handler bug");
          }
          if (event.identity().equals(failingOnce.identity())
              && transientFailures.getAndIncrement() == 0) {
            throw new TransientCursusException("simulated projection timeout", null);
          }
          handled.add(event);
        };

    // when
    try (KafkaEventConsumer consumer =
        KafkaEventConsumer.builder(
                SharedEngines.kafka().bootstrapServers(), topic, group, SharedEngines.JSON, store)
            .indexer(index)
            .handler(handler)
            .maxPollRecords(10)
            .backoff(Duration.ofMillis(50), Duration.ofMillis(200))
            .build()
            .start()) {
      SharedEngines.await(
          "every record is committed, or the consumer stopped",
          Duration.ofSeconds(60),
          () -> !consumer.isRunning() || SharedEngines.allCommitted(group, topic));

      // then: both refused events are dead-lettered, every other event went through every stage
      assertThat(consumer.failure()).isEmpty();
      assertThat(consumer.isRunning()).isTrue();
      assertThat(consumer.deadLettered()).isEqualTo(2);
      assertThat(consumer.retries()).isEqualTo(1);
      expected.forEach((id, events) -> assertThat(store.history(id)).isEqualTo(events));
      List<Event> notRefused = new ArrayList<>(all);
      notRefused.remove(refusedByIndex);
      notRefused.remove(refusedByHandler);
      assertThat(Set.copyOf(handled)).isEqualTo(Set.copyOf(notRefused));
      // the index refused the event that moved its parcel to Croydon; the others are there
      Set<AggregateId> inCroydon = SharedEngines.index().find("parcel", "depotId", "Croydon");
      assertThat(inCroydon).doesNotContain(refusedByIndex.aggregateId());
      Set<AggregateId> others = new HashSet<>(expected.keySet());
      others.remove(refusedByIndex.aggregateId());
      assertThat(inCroydon).containsAll(others);
    }
    List<ConsumerRecord<byte[], byte[]>> dead = readAll(topic + ".dlq", 2);
    assertThat(dead).hasSize(2).allMatch(ConsumerFailuresIT::wasStored);
    Map<String, ConsumerRecord<byte[], byte[]>> byReason = new LinkedHashMap<>();
    dead.forEach(record -> byReason.put(header(record, KafkaEventConsumer.REASON_HEADER), record));
    assertThat(byReason)
        .containsOnlyKeys(KafkaEventConsumer.INDEX_FAILED, KafkaEventConsumer.HANDLER_FAILED);
    ConsumerRecord<byte[], byte[]> indexDead = byReason.get(KafkaEventConsumer.INDEX_FAILED);
    ConsumerRecord<byte[], byte[]> handlerDead = byReason.get(KafkaEventConsumer.HANDLER_FAILED);
    assertThat(SharedEngines.JSON.read(indexDead.value())).isEqualTo(refusedByIndex);
    assertThat(SharedEngines.JSON.read(handlerDead.value())).isEqualTo(refusedByHandler);
    assertThat(new String(indexDead.key(), StandardCharsets.UTF_8))
        .isEqualTo(KafkaEventSink.keyOf(refusedByIndex));
    assertThat(header(indexDead, KafkaEventConsumer.ERROR_HEADER))
        .contains("'index'")
        .contains("simulated index refusal");
    assertThat(header(handlerDead, KafkaEventConsumer.ERROR_HEADER))
        .contains("'notify'")
        .contains("simulated handler bug");
    for (ConsumerRecord<byte[], byte[]> record : dead) {
      assertThat(header(record, KafkaEventConsumer.TOPIC_HEADER)).isEqualTo(topic);
      assertThat(header(record, KafkaEventConsumer.PARTITION_HEADER)).isEqualTo("0");
      assertThat(header(record, KafkaEventConsumer.OFFSET_HEADER)).matches("\\d+");
    }
    assertThat(header(indexDead, KafkaEventConsumer.OFFSET_HEADER)).isEqualTo("22");
    assertThat(header(handlerDead, KafkaEventConsumer.OFFSET_HEADER)).isEqualTo("41");
  }

  @Test
  void aConsumerThatCrashesMidStreamLosesAndDuplicatesNothing() throws Exception {
    // given: 400 events in Kafka
    String topic = SharedEngines.freshTopic("crash", 3);
    String group = "crash-" + UUID.randomUUID();
    Map<AggregateId, List<Event>> expected = journeys(100);
    List<Event> all = expected.values().stream().flatMap(List::stream).toList();
    try (KafkaEventSink sink = SharedEngines.sink(topic)) {
      sink.accept(all);
    }
    // a store that dies after storing its fourth batch, before the offsets are committed
    AtomicInteger batches = new AtomicInteger();
    AtomicLong storedByFirst = new AtomicLong();
    EventLog crashing =
        events -> {
          store.append(events);
          storedByFirst.addAndGet(events.size());
          if (batches.incrementAndGet() == 4) {
            throw new NonTransientCursusException("simulated crash after storing", null);
          }
        };

    // when: the first consumer crashes mid-stream, and a new one takes over in the same group
    KafkaEventConsumer first = consumer(topic, group, crashing).maxPollRecords(20).build().start();
    SharedEngines.await(
        "the first consumer crashed", Duration.ofSeconds(60), () -> !first.isRunning());
    first.close();
    SharedEngines.CountingLog counting = new SharedEngines.CountingLog(store);
    try (KafkaEventConsumer second = consumer(topic, group, counting).build().start()) {
      SharedEngines.await(
          "the second consumer processed the rest",
          Duration.ofSeconds(60),
          () -> first.eventsProcessed() + second.eventsProcessed() >= all.size());

      // then
      assertThat(first.failure()).get().asString().contains("simulated crash after storing");
      assertThat(second.failure()).isEmpty();
      System.out.printf(
          "crash: first consumer appended %d events (committed %d), second appended %d; %d events"
              + " expected%n",
          storedByFirst.get(), first.eventsProcessed(), counting.appended.get(), all.size());
      // the crashed batch was stored but not committed, so it was delivered again
      assertThat(storedByFirst.get()).isGreaterThan(first.eventsProcessed());
      assertThat(counting.appended.get()).isEqualTo(all.size() - first.eventsProcessed());
      assertThat(first.eventsProcessed() + second.eventsProcessed()).isEqualTo(all.size());
      expected.forEach((id, events) -> assertThat(store.history(id)).isEqualTo(events));
    }
  }

  @Test
  void aTransientStoreFailureIsRetriedWithoutCommittingAndStoresEverythingOnce() throws Exception {
    // given
    String topic = SharedEngines.freshTopic("flaky", 2);
    Map<AggregateId, List<Event>> expected = journeys(50);
    List<Event> all = expected.values().stream().flatMap(List::stream).toList();
    SharedEngines.produceRaw(topic, all);
    String group = "flaky-" + UUID.randomUUID();
    AtomicInteger calls = new AtomicInteger();
    List<Integer> committedWhileFailing = new ArrayList<>();
    EventLog flaky =
        events -> {
          int call = calls.incrementAndGet();
          if (call <= 3) {
            if (call == 3) { // two failures and back-offs later, still nothing committed
              committedWhileFailing.add(SharedEngines.committed(group).size());
            }
            throw new TransientCursusException("simulated Cassandra timeout", null);
          }
          store.append(events);
        };

    // when
    try (KafkaEventConsumer consumer =
        consumer(topic, group, flaky)
            .backoff(Duration.ofMillis(50), Duration.ofMillis(200))
            .build()
            .start()) {
      SharedEngines.await(
          "every event is processed",
          Duration.ofSeconds(60),
          () -> consumer.eventsProcessed() >= all.size());

      // then
      assertThat(consumer.retries()).isEqualTo(3);
      assertThat(committedWhileFailing).containsExactly(0);
      SharedEngines.await(
          "the offsets are committed",
          Duration.ofSeconds(30),
          () -> SharedEngines.allCommitted(group, topic));
      assertThat(consumer.failure()).isEmpty();
      assertThat(consumer.eventsProcessed()).isEqualTo(all.size());
      expected.forEach((id, events) -> assertThat(store.history(id)).isEqualTo(events));
    }
  }

  @Test
  void aConsumerJoiningAndAnotherClosingMidStreamLoseAndDuplicateNothing() throws Exception {
    // given: 2,000 events on four partitions
    String topic = SharedEngines.freshTopic("rebalance", 4);
    String group = "rebalance-" + UUID.randomUUID();
    Map<AggregateId, List<Event>> expected = journeys(500);
    List<Event> all = expected.values().stream().flatMap(List::stream).toList();
    try (KafkaEventSink sink = SharedEngines.sink(topic)) {
      sink.accept(all);
    }
    EventLog slow =
        events -> {
          store.append(events);
          try {
            Thread.sleep(25); // one consumer alone needs 5 s or more: the group changes meanwhile
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };

    // when: a second consumer joins mid-stream, then the first closes mid-stream
    KafkaEventConsumer first = consumer(topic, group, slow).maxPollRecords(10).build().start();
    KafkaEventConsumer second;
    try (first) {
      SharedEngines.await(
          "the first consumer is under way",
          Duration.ofSeconds(60),
          () -> first.eventsProcessed() >= 100);
      second = consumer(topic, group, slow).maxPollRecords(10).build().start();
      SharedEngines.await(
          "the second consumer is under way",
          Duration.ofSeconds(60),
          () -> second.eventsProcessed() >= 50);
    }
    try (second) {
      SharedEngines.await(
          "the group committed every record",
          Duration.ofSeconds(90),
          () -> SharedEngines.allCommitted(group, topic));

      // then
      System.out.printf(
          "rebalance: first consumer processed %d, second %d, of %d events (%d delivered again)%n",
          first.eventsProcessed(),
          second.eventsProcessed(),
          all.size(),
          first.eventsProcessed() + second.eventsProcessed() - all.size());
      assertThat(first.failure()).isEmpty();
      assertThat(second.failure()).isEmpty();
      assertThat(first.eventsProcessed() + second.eventsProcessed())
          .isGreaterThanOrEqualTo(all.size());
      expected.forEach((id, events) -> assertThat(store.history(id)).isEqualTo(events));
    }
  }

  private static KafkaEventConsumer.Builder consumer(String topic, String group, EventLog log) {
    return KafkaEventConsumer.builder(
            SharedEngines.kafka().bootstrapServers(), topic, group, SharedEngines.JSON, log)
        .indexer(SharedEngines.index());
  }

  private static byte[] JSON(Event event) {
    return SharedEngines.JSON.write(event);
  }

  private static Map<AggregateId, List<Event>> journeys(int parcels) {
    Map<AggregateId, List<Event>> journeys = new LinkedHashMap<>();
    for (int i = 0; i < parcels; i++) {
      List<Event> journey = Parcels.journey(UUID.randomUUID(), "depot-" + i % 2);
      journeys.put(journey.get(0).aggregateId(), journey);
    }
    return journeys;
  }

  /** Whether a dead letter's event is in the store: the index or a handler refused it. */
  static boolean wasStored(ConsumerRecord<byte[], byte[]> deadLetter) {
    Header reason = deadLetter.headers().lastHeader(KafkaEventConsumer.REASON_HEADER);
    String why = new String(reason.value(), StandardCharsets.UTF_8);
    return why.equals(KafkaEventConsumer.INDEX_FAILED)
        || why.equals(KafkaEventConsumer.HANDLER_FAILED);
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** The error headers of the dead letters of {@code topic}, waiting for {@code atLeast}. */
  static List<String> deadLetterErrors(String topic, int atLeast) throws InterruptedException {
    List<String> errors = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : readAll(topic + ".dlq", atLeast)) {
      errors.add(header(record, KafkaEventConsumer.ERROR_HEADER));
    }
    return errors;
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int atLeast)
      throws InterruptedException {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedEngines.kafka().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "dlq-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (records.size() < atLeast && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      // anything beyond what we expect would be a duplicate: read a little longer
      consumer.poll(Duration.ofMillis(500)).forEach(records::add);
    }
    return records;
  }
}
