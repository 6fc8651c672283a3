package io.cursus.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.EventType;
import io.cursus.api.Parameters;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.bus.EventBus;
import io.cursus.api.fixtures.ParcelEvents;
import io.cursus.api.mapping.DeclarationException;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.json.EventJson;
import io.cursus.middleware.IdempotencyFilter;
import io.cursus.middleware.PipelineException;
import io.cursus.middleware.Pipelines;
import io.cursus.middleware.kafka.KafkaEventConsumer;
import io.cursus.middleware.kafka.KafkaEventSink;
import io.cursus.testkit.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * R8: bad input at every entry point of a running pipeline (emitters, the bus, the producer
 * pipeline, raw Kafka records, declarations), with good events before, between and after.
 */
class R8BadInputIT {

  private static final int MAX_BYTES = 16 * 1024;

  @Test
  void badInputGetsAClearErrorOrADeadLetterAndNothingAcceptedIsLost() throws Exception {
    Tally tally = new Tally("R8 bad input at every entry point");
    KafkaBroker kafka = Rig.kafka();
    String topic = Rig.freshTopic(kafka, "r8", 2);
    String group = "r8-" + UUID.randomUUID();
    EventJson json = EventJson.using(Parcels.REGISTRY).withMaxBytes(MAX_BYTES);
    List<AggregateId> refused = new ArrayList<>();
    Map<String, String> errors = new LinkedHashMap<>();

    try (KafkaEventSink sink = Rig.sink(kafka, topic).build();
        KafkaEventConsumer consumer =
            KafkaEventConsumer.builder(kafka.bootstrapServers(), topic, group, json, Rig.store())
                .indexer(Rig.index())
                .build()
                .start()) {
      EventBus bus =
          EventBus.to(
              Pipelines.producer(
                      Parcels.REGISTRY,
                      IdempotencyFilter.inMemory(10_000, Duration.ofMinutes(10)),
                      sink)
                  .build());
      Runnable good =
          () -> {
            List<Event> batch = Parcels.flatten(Parcels.journeys(10));
            bus.dispatch(batch);
            tally.delivered(batch);
          };
      good.run();

      // emitters: null and empty ids, null timestamps
      ParcelEvents parcel = bus.emitter(ParcelEvents.class);
      StreamTimestamp now = StreamTimestamp.of("scanner", Parcels.START);
      errors.put(
          "null aggregate id (emitter)",
          refusal(
              () -> parcel.receivedAtDepot(now, null, "Lewisham"),
              IllegalArgumentException.class,
              "ParcelEvents.receivedAtDepot",
              "aggregate id must not be null"));
      good.run();
      UUID lateId = UUID.randomUUID();
      refused.add(AggregateId.of("parcel", lateId));
      errors.put(
          "null timestamp (emitter)",
          refusal(
              () -> parcel.receivedAtDepot(null, lateId, "Lewisham"),
              IllegalArgumentException.class,
              "ParcelEvents.receivedAtDepot",
              "stream timestamp must not be null"));
      errors.put(
          "empty aggregate id (emitter)",
          refusal(
              () -> bus.emitter(BadDeclarations.AccountEvents.class).opened(now, "", "Ann"),
              IllegalArgumentException.class,
              "account",
              "must not be blank"));
      good.run();

      // the bus: a batch holding a null is refused whole
      List<Event> withNull = new ArrayList<>(Parcels.journey(UUID.randomUUID(), 0));
      refused.add(withNull.get(0).aggregateId());
      withNull.add(2, null);
      errors.put(
          "null event in a batch (bus)",
          refusal(
              () -> bus.dispatch(withNull),
              IllegalArgumentException.class,
              "event 2 of a batch of 5 is null",
              "nothing was dispatched"));
      good.run();

      // the producer pipeline: unknown type, parameter of the wrong type, an event over the limit
      UUID unknownId = UUID.randomUUID();
      Event teleported =
          Event.of(
              AggregateId.of("parcel", unknownId),
              now,
              EventType.of("parcel", "teleported"),
              Parameters.none());
      List<Event> withUnknown = new ArrayList<>(Parcels.journey(unknownId, 0));
      withUnknown.add(teleported);
      refused.add(teleported.aggregateId());
      errors.put(
          "unknown event type (pipeline)",
          refusal(
              () -> bus.dispatch(withUnknown),
              PipelineException.class,
              "stage 'validate' failed",
              "teleported"));
      UUID wrongId = UUID.randomUUID();
      refused.add(AggregateId.of("parcel", wrongId));
      errors.put(
          "parameter of the wrong type (pipeline)",
          refusal(
              () ->
                  bus.dispatch(
                      Event.of(
                          AggregateId.of("parcel", wrongId),
                          now,
                          EventType.of("parcel", "receivedAtDepot"),
                          Parameters.of("depotId", 12),
                          java.util.Set.of(io.cursus.api.EventCharacteristic.INITIAL))),
              PipelineException.class,
              "stage 'validate' failed",
              "depotId"));
      UUID hugeId = UUID.randomUUID();
      refused.add(AggregateId.of("parcel", hugeId));
      List<Event> huge = new ArrayList<>();
      EventBus.to(huge::addAll)
          .emitter(ParcelEvents.class)
          .receivedAtDepot(now, hugeId, "x".repeat(2 * 1024 * 1024));
      errors.put(
          "oversized event (pipeline)",
          refusal(
              () -> bus.dispatch(huge),
              PipelineException.class,
              "stage 'validate' failed",
              "over the limit of 1000000 bytes for one event",
              "its largest parameter is 'depotId' (2097154 bytes)"));
      good.run();

      // declarations
      errors.put(
          "bad declaration",
          refusal(
              () -> EventTypeRegistry.of(BadDeclarations.InstantFirst.class),
              DeclarationException.class,
              "InstantFirst.receivedAtDepot",
              "first parameter must be StreamTimestamp, was Instant"));

      // raw Kafka records: every kind of unreadable message, between good ones
      Map<String, byte[]> poison = poison(json);
      try (KafkaProducer<String, byte[]> producer = Rig.rawProducer(kafka)) {
        for (Map.Entry<String, byte[]> bad : poison.entrySet()) {
          producer
              .send(new ProducerRecord<>(topic, "poison/" + bad.getKey(), bad.getValue()))
              .get();
          good.run();
        }
      }

      // then: the consumer dead-lettered every poison message, stored the rest, and still runs
      Rig.await(
          "the group committed every record",
          Duration.ofMinutes(2),
          () -> Rig.allCommitted(kafka, group, topic));
      assertThat(consumer.failure()).isEmpty();
      assertThat(consumer.isRunning()).isTrue();
      assertThat(consumer.deadLettered()).isEqualTo(poison.size());
      tally.deadLettered.set(consumer.deadLettered());

      List<ConsumerRecord<byte[], byte[]>> dead = readAll(kafka, topic + ".dlq", poison.size());
      assertThat(dead).hasSize(poison.size());
      for (ConsumerRecord<byte[], byte[]> record : dead) {
        String kind =
            new String(record.key(), StandardCharsets.UTF_8).substring("poison/".length());
        assertThat(record.value()).as(kind).isEqualTo(poison.get(kind));
        String reason = header(record, KafkaEventConsumer.REASON_HEADER);
        assertThat(reason).as(kind).isEqualTo(kind.substring(0, kind.indexOf(':')));
        assertThat(header(record, KafkaEventConsumer.ERROR_HEADER)).as(kind).isNotBlank();
        errors.put(
            "Kafka record " + kind,
            reason + ": " + header(record, KafkaEventConsumer.ERROR_HEADER));
      }
    }
    errors.forEach((what, error) -> System.out.println("R8 " + what + " -> " + abbreviate(error)));
    for (AggregateId id : refused) {
      assertThat(Rig.store().history(id)).as("history of refused %s", id).isEmpty();
    }
    tally.note("refused with an error " + (errors.size() - tally.deadLettered.get()));
    tally.check(Rig.store()).report().assertNothingLostOrDuplicated();
  }

  /** Poison messages by "REASON: kind". */
  private static Map<String, byte[]> poison(EventJson json) {
    Event sample = Parcels.journey(UUID.randomUUID(), 0).get(0);
    String good = new String(json.write(sample), StandardCharsets.UTF_8);
    Map<String, byte[]> poison = new LinkedHashMap<>();
    poison.put("MALFORMED: bad JSON", utf8("{\"envelope\":1, not json"));
    byte[] whole = utf8(good);
    poison.put("MALFORMED: truncated", Arrays.copyOf(whole, whole.length / 2));
    poison.put("MALFORMED: empty", new byte[0]);
    poison.put("MALFORMED: not an object", utf8("[1,2,3]"));
    poison.put("MALFORMED: envelope version 2", mutate(good, "\"envelope\":1", "\"envelope\":2"));
    poison.put(
        "MALFORMED: null aggregate id",
        mutate(
            good, "\"aggregateId\":\"" + sample.aggregateId().id() + "\"", "\"aggregateId\":null"));
    poison.put(
        "MALFORMED: empty aggregate id",
        mutate(
            good, "\"aggregateId\":\"" + sample.aggregateId().id() + "\"", "\"aggregateId\":\"\""));
    poison.put(
        "MALFORMED: oversized",
        mutate(good, "\"depotId\":\"Lewisham\"", "\"depotId\":\"" + "x".repeat(MAX_BYTES) + "\""));
    poison.put(
        "UNKNOWN_EVENT_TYPE: unknown name",
        mutate(good, "\"name\":\"receivedAtDepot\"", "\"name\":\"teleported\""));
    poison.put(
        "UNKNOWN_EVENT_TYPE: unknown version",
        mutate(good, "\"version\":\"1\"", "\"version\":\"7\""));
    poison.put(
        "SCHEMA_MISMATCH: wrong parameter type",
        mutate(good, "\"depotId\":\"Lewisham\"", "\"depotId\":12"));
    poison.put(
        "SCHEMA_MISMATCH: class name in a parameter",
        mutate(
            good,
            "\"depotId\":\"Lewisham\"",
            "\"depotId\":[\"java.net.URL\",\"http://127.0.0.1/\"]"));
    return poison;
  }

  private static byte[] mutate(String json, String from, String to) {
    assertThat(json).contains(from);
    return utf8(json.replace(from, to));
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Runs {@code call}, asserts it throws {@code type} with every fragment; returns the message. */
  private static String refusal(
      Runnable call, Class<? extends Throwable> type, String... fragments) {
    Throwable[] thrown = new Throwable[1];
    assertThatThrownBy(call::run)
        .isInstanceOf(type)
        .satisfies(t -> thrown[0] = t)
        .message()
        .contains(fragments);
    return thrown[0].getMessage();
  }

  private static String abbreviate(String text) {
    return text.length() <= 220 ? text : text.substring(0, 220) + "…";
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(
      KafkaBroker kafka, String topic, int expected) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "dlq-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (records.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      consumer.poll(Duration.ofMillis(500)).forEach(records::add); // a duplicate would show here
    }
    return records;
  }
}
