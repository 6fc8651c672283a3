package io.cursus.middleware.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.bus.EventBus;
import io.cursus.api.fixtures.Accounts;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.cassandra.CassandraEventStore;
import io.cursus.json.EventJson;
import io.cursus.middleware.kafka.KafkaEventConsumer;
import io.cursus.middleware.kafka.KafkaEventSink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A producer still on version 1 of the account events, and a consumer on version 3 reading its
 * envelopes through two upcasters on the real Kafka, into the real Cassandra.
 */
class KafkaUpcastingIT {

  private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
  private static final EventTypeRegistry V1 = EventTypeRegistry.of(Accounts.V1.class);
  private static final EventTypeRegistry V3 =
      EventTypeRegistry.of(Accounts.V3.class).withUpcasters(Accounts.upcasters());

  private static List<Event> versionOne(UUID account) {
    List<Event> events = new ArrayList<>();
    Accounts.V1 emit = EventBus.to(events::addAll).emitter(Accounts.V1.class);
    emit.opened(StreamTimestamp.of("web", T0), account, "Ada");
    emit.deposited(StreamTimestamp.of("web", T0.plusSeconds(10)), account, 500);
    emit.noted(StreamTimestamp.of("web", T0.plusSeconds(20)), account, "call back");
    emit.transferred(StreamTimestamp.of("web", T0.plusSeconds(30)), account, 200, "Bob");
    return events.stream().map(Event::captured).toList();
  }

  @Test
  void aVersionOneProducersEventsAreStoredAndReadAsVersionThree() throws Exception {
    // given: a version-1 producer's four events on a topic
    UUID account = UUID.randomUUID();
    List<Event> sent = versionOne(account);
    String topic = SharedEngines.freshTopic("upcast", 1);
    CassandraEventStore store =
        CassandraEventStore.builder(SharedEngines.session(), V3)
            .tables(SharedEngines.TABLES)
            .build();

    // when: a version-3 consumer reads them into the store
    try (KafkaEventSink sink =
            KafkaEventSink.builder(
                    SharedEngines.kafka().bootstrapServers(), topic, EventJson.using(V1))
                .build();
        KafkaEventConsumer consumer =
            KafkaEventConsumer.builder(
                    SharedEngines.kafka().bootstrapServers(),
                    topic,
                    "upcast-" + account,
                    EventJson.using(V3),
                    store)
                .build()
                .start()) {
      sink.accept(sent);
      SharedEngines.await(
          "the split transfer's parts are stored",
          Duration.ofSeconds(60),
          () -> consumer.eventsProcessed() >= 4);
      assertThat(consumer.failure()).isEmpty();
      assertThat(consumer.deadLettered()).isZero();
    }

    // then: the note is dropped, the deposit renamed and given a currency, the transfer split, and
    // every event keeps the processing id it was sent with
    List<Event> stored = store.history(AggregateId.of("account", account.toString()));
    assertThat(stored)
        .extracting(e -> e.type().name() + "_" + e.type().version() + " " + e.parameters())
        .containsExactly(
            "opened_1 {owner=Ada}",
            "deposited_3 {pence=500, currency=GBP}",
            "withdrawn_2 {pence=200}",
            "memo_2 {text=to Bob}");
    assertThat(stored.get(1).processingId()).isEqualTo(sent.get(1).processingId());
    assertThat(stored.get(2).processingId()).isEqualTo(sent.get(3).processingId());
    assertThat(stored.get(3).processingId()).isEqualTo(sent.get(3).processingId());
  }

  @Test
  void anEnvelopeWhoseUpcasterThrowsIsDeadLetteredNamingEventAndUpcaster() throws Exception {
    UUID account = UUID.randomUUID();
    List<Event> sent = versionOne(account);
    String topic = SharedEngines.freshTopic("upcast-broken", 1);
    EventTypeRegistry broken =
        EventTypeRegistry.of(Accounts.V3.class)
            .withUpcasters(
                Accounts.upcasters()
                    .changeParameter(
                        "account",
                        "deposited",
                        2,
                        "pence",
                        v -> {
                          throw new IllegalStateException("refused");
                        }));
    CassandraEventStore store =
        CassandraEventStore.builder(SharedEngines.session(), broken)
            .tables(SharedEngines.TABLES)
            .build();

    try (KafkaEventSink sink =
            KafkaEventSink.builder(
                    SharedEngines.kafka().bootstrapServers(), topic, EventJson.using(V1))
                .build();
        KafkaEventConsumer consumer =
            KafkaEventConsumer.builder(
                    SharedEngines.kafka().bootstrapServers(),
                    topic,
                    "upcast-broken-" + account,
                    EventJson.using(broken),
                    store)
                .build()
                .start()) {
      sink.accept(sent);
      SharedEngines.await(
          "the rest is stored and the deposit dead-lettered",
          Duration.ofSeconds(60),
          () -> consumer.eventsProcessed() >= 3 && consumer.deadLettered() >= 1);
      assertThat(consumer.failure()).isEmpty();
      assertThat(consumer.deadLettered()).isEqualTo(1);
    }
    List<String> dead = ConsumerFailuresIT.deadLetterErrors(topic, 1);
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0))
        .contains("changeParameter(pence) on account/deposited_2")
        .contains("account/deposited_1")
        .contains("refused");
    assertThat(store.history(AggregateId.of("account", account.toString())))
        .extracting(e -> e.type().name())
        .containsExactly("opened", "withdrawn", "memo");
  }
}
