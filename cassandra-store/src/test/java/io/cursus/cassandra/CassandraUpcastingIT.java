package io.cursus.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.EventType;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.bus.EventBus;
import io.cursus.api.fixtures.Accounts;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.state.StateBuilder;
import io.cursus.api.store.HistoryQuery;
import io.cursus.api.store.TimeRange;
import io.cursus.api.store.UnreadableEventException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Events written by a version-1 declaration, read by version-3 code on the real engine. */
class CassandraUpcastingIT {

  /** A keyspace of its own, so that the stored types are only these tests'. */
  private static final CassandraTables TABLES = tables();

  private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
  private static final List<String> CURRENT =
      List.of(
          "opened_1 {owner=Ada}",
          "deposited_3 {pence=500, currency=GBP}",
          "withdrawn_2 {pence=200}",
          "memo_2 {text=to Bob}");

  private final CassandraEventStore v1 =
      CassandraEventStore.builder(
              SharedCassandra.session(), EventTypeRegistry.of(Accounts.V1.class))
          .tables(TABLES)
          .build();
  private final CassandraEventStore v3 =
      CassandraEventStore.builder(
              SharedCassandra.session(),
              EventTypeRegistry.of(Accounts.V3.class).withUpcasters(Accounts.upcasters()))
          .tables(TABLES)
          .build();

  private static CassandraTables tables() {
    CassandraTables tables = CassandraTables.inKeyspace("cursus_evolution");
    CassandraSchema.of(tables).create(SharedCassandra.session());
    return tables;
  }

  private AggregateId writtenByV1(UUID account) {
    Accounts.V1 emit = EventBus.to(v1::append).emitter(Accounts.V1.class);
    emit.opened(StreamTimestamp.of("web", T0), account, "Ada");
    emit.deposited(StreamTimestamp.of("web", T0.plusSeconds(10)), account, 500);
    emit.noted(StreamTimestamp.of("web", T0.plusSeconds(20)), account, "call back");
    emit.transferred(StreamTimestamp.of("web", T0.plusSeconds(30)), account, 200, "Bob");
    return AggregateId.of("account", account.toString());
  }

  private static List<String> described(List<Event> history) {
    return history.stream()
        .map(e -> e.type().name() + "_" + e.type().version() + " " + e.parameters())
        .toList();
  }

  @Test
  void historiesWrittenByVersionOneAreReadAsVersionThreeInBothOrders() {
    AggregateId account = writtenByV1(UUID.randomUUID());

    List<Event> ascending = v3.history(account);
    List<Event> descending = v3.history(account, HistoryQuery.all().descending());
    List<Event> preloaded = v3.preload(List.of(account), HistoryQuery.all()).get(account);

    assertThat(described(ascending)).containsExactlyElementsOf(CURRENT);
    List<Event> reversed = new ArrayList<>(descending);
    Collections.reverse(reversed);
    assertThat(described(reversed)).containsExactlyElementsOf(CURRENT);
    assertThat(described(preloaded)).containsExactlyElementsOf(CURRENT);
    assertThat(ascending.get(1).parameters().get("pence")).isEqualTo(500L);
    assertThat(ascending).allSatisfy(e -> assertThat(e.processingId()).isPresent());
  }

  @Test
  void stateAndTimeTravelReadThroughTheUpcasters() {
    UUID id = UUID.randomUUID();
    AggregateId account = writtenByV1(id);
    StateBuilder<Accounts.Balance> balances =
        StateBuilder.of(Accounts.Balance.class, Accounts.V3.class);

    Accounts.Balance now = balances.build(v3, id, HistoryQuery.all()).orElseThrow();
    Accounts.Balance then =
        balances
            .build(v3, account, HistoryQuery.within(TimeRange.upTo(T0.plusSeconds(25))))
            .orElseThrow();

    assertThat(now.pence()).isEqualTo(300);
    assertThat(now.lines()).containsExactly("+500 GBP", "-200", "to Bob");
    assertThat(then.pence()).isEqualTo(500);
    assertThat(then.lines()).containsExactly("+500 GBP");
  }

  @Test
  void theCataloguesFullReplayReadsThroughTheUpcasters() {
    AggregateId account = writtenByV1(UUID.randomUUID());
    Map<AggregateId, List<Event>> replayed = new ConcurrentHashMap<>();

    v3.replayAll(
        "account",
        2,
        history -> replayed.put(history.get(0).aggregateId(), history),
        progress -> {});

    assertThat(described(replayed.get(account))).containsExactlyElementsOf(CURRENT);
  }

  @Test
  void aFailingStepNamesTheEventAndChangesNothingStored() {
    AggregateId account = writtenByV1(UUID.randomUUID());
    List<Event> before = v1.history(account);
    CassandraEventStore broken =
        CassandraEventStore.builder(
                SharedCassandra.session(),
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
                                })))
            .tables(TABLES)
            .build();

    assertThatThrownBy(() -> broken.history(account))
        .isInstanceOf(UnreadableEventException.class)
        .hasMessageContaining("changeParameter(pence) on account/deposited_2")
        .hasMessageContaining(account.toString())
        .hasMessageContaining("refused");
    assertThat(v1.history(account)).isEqualTo(before);
  }

  @Test
  void theStartUpCheckReadsTheRecordedTypesAndListsTheGaps() {
    writtenByV1(UUID.randomUUID());
    CassandraEventStore withoutUpcasters =
        CassandraEventStore.builder(
                SharedCassandra.session(), EventTypeRegistry.of(Accounts.V3.class))
            .tables(TABLES)
            .build();

    Set<EventType> stored = v3.storedTypes();

    assertThat(stored)
        .contains(
            EventType.of("account", "opened", "1"),
            EventType.of("account", "deposited", "1"),
            EventType.of("account", "noted", "1"),
            EventType.of("account", "transferred", "1"));
    v3.checkStoredTypes();
    assertThatThrownBy(withoutUpcasters::checkStoredTypes)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("[account/deposited_1, account/noted_1, account/transferred_1]");
  }
}
