package io.cursus.api.evolution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.EventType;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.Timestamped;
import io.cursus.api.bus.EventBus;
import io.cursus.api.fixtures.Accounts;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.memory.InMemoryEventStore;
import io.cursus.api.projection.Projection;
import io.cursus.api.projection.ProjectionStatus;
import io.cursus.api.projection.Projections;
import io.cursus.api.store.EventSource;
import io.cursus.api.store.HistoryQuery;
import io.cursus.api.store.UnreadableEventException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The read paths of the api over events stored by the version-1 declaration: typed histories,
 * projections (live deliveries and the histories a state projection loads) and the in-memory
 * store's migration.
 */
class EvolutionReadPathsTest {

  private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
  private static final EventTypeRegistry V3 =
      EventTypeRegistry.of(Accounts.V3.class).withUpcasters(Accounts.upcasters());

  private static void writeVersionOne(InMemoryEventStore store, UUID account) {
    Accounts.V1 emit = EventBus.to(store::append).emitter(Accounts.V1.class);
    emit.opened(StreamTimestamp.of("web", T0), account, "Ada");
    emit.deposited(StreamTimestamp.of("web", T0.plusSeconds(10)), account, 500);
    emit.noted(StreamTimestamp.of("web", T0.plusSeconds(20)), account, "call back");
    emit.transferred(StreamTimestamp.of("web", T0.plusSeconds(30)), account, 200, "Bob");
  }

  private static List<String> described(List<Event> history) {
    return history.stream()
        .map(e -> e.type().name() + "_" + e.type().version() + " " + e.parameters())
        .toList();
  }

  @Test
  void typedHistoriesReadVersionOneEventsAsTheCurrentRecords() {
    InMemoryEventStore store = InMemoryEventStore.empty();
    UUID account = UUID.randomUUID();
    writeVersionOne(store, account);
    EventSource current =
        EventTypeRegistry.of(Accounts.AccountEvent.class)
            .withUpcasters(Accounts.upcasters())
            .upcasters()
            .applyTo(store);

    List<Timestamped<Accounts.AccountEvent>> typed =
        current.history(Accounts.AccountEvent.class, account);

    assertThat(typed)
        .extracting(Timestamped::event)
        .containsExactly(
            new Accounts.AccountEvent.Opened("Ada"),
            new Accounts.AccountEvent.Deposited(500, "GBP"),
            new Accounts.AccountEvent.Withdrawn(200),
            new Accounts.AccountEvent.Memo("to Bob"));
  }

  @Test
  void eventProjectionsGetLiveDeliveriesOfVersionOneEventsUpcast() throws Exception {
    // given a projection runtime whose registry has the upcasters, fed by a version-1 writer
    InMemoryEventStore store = InMemoryEventStore.empty();
    List<String> seen = new CopyOnWriteArrayList<>();
    try (Projections projections =
        Projections.builder(store.feed(), store, store).registry(V3).build()) {
      projections.start(
          Projection.events("ledger")
              .aggregateTypes("account")
              .handler(e -> seen.add(e.type().name() + "_" + e.type().version()))
              .build());
      assertThat(projections.awaitCaughtUp("ledger", Duration.ofSeconds(10))).isTrue();

      // when version-1 events arrive live
      writeVersionOne(store, UUID.randomUUID());

      // then the projection sees them at the current declarations: dropped, split and renamed
      assertThat(projections.awaitCaughtUp("ledger", Duration.ofSeconds(10))).isTrue();
      assertThat(seen).containsExactly("opened_1", "deposited_3", "withdrawn_2", "memo_2");
      assertThat(projections.status("ledger").phase()).isNotEqualTo(ProjectionStatus.Phase.FAILED);
    }
  }

  @Test
  void stateProjectionsLoadVersionOneHistoriesUpcast() throws Exception {
    InMemoryEventStore store = InMemoryEventStore.empty();
    UUID account = UUID.randomUUID();
    writeVersionOne(store, account); // stored before the projection starts: read by its catch-up
    Map<AggregateId, Long> balances = new ConcurrentHashMap<>();
    try (Projections projections =
        Projections.builder(store.feed(), store, store).registry(V3).build()) {
      projections.start(
          Projection.states("balances", Accounts.Balance.class, Accounts.V3.class)
              .handler((AggregateId id, Accounts.Balance b) -> balances.put(id, b.pence()))
              .build());

      assertThat(projections.awaitCaughtUp("balances", Duration.ofSeconds(10))).isTrue();
    }

    assertThat(balances).containsEntry(AggregateId.of("account", account.toString()), 300L);
  }

  @Test
  void aProjectionWhoseUpcasterThrowsFailsNamingEventAndUpcaster() throws Exception {
    InMemoryEventStore store = InMemoryEventStore.empty();
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
    try (Projections projections =
        Projections.builder(store.feed(), store, store).registry(broken).build()) {
      projections.start(
          Projection.events("ledger").aggregateTypes("account").handler(e -> {}).build());
      assertThat(projections.awaitCaughtUp("ledger", Duration.ofSeconds(10))).isTrue();

      writeVersionOne(store, UUID.randomUUID());

      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (projections.status("ledger").phase() != ProjectionStatus.Phase.FAILED
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      ProjectionStatus status = projections.status("ledger");
      assertThat(status.phase()).isEqualTo(ProjectionStatus.Phase.FAILED);
      assertThat(status.failure().orElseThrow())
          .contains("changeParameter(pence) on account/deposited_2")
          .contains("account/deposited_1")
          .contains("refused");
    }
  }

  @Test
  void theInMemoryMigrationRewritesInPlaceAndHistoriesReadTheSame() {
    InMemoryEventStore store = InMemoryEventStore.empty();
    UUID account = UUID.randomUUID();
    writeVersionOne(store, account);
    AggregateId id = AggregateId.of("account", account.toString());
    EventSource current = V3.upcasters().applyTo(store);
    List<Event> before = current.history(id);
    List<Event> beforeDescending = current.history(id, HistoryQuery.all().descending());

    MigrationProgress progress = store.migrate(V3, "account");

    assertThat(progress).isEqualTo(new MigrationProgress(1, 1, 4, 3));
    assertThat(current.history(id)).isEqualTo(before);
    assertThat(current.history(id, HistoryQuery.all().descending())).isEqualTo(beforeDescending);
    assertThat(store.history(id)).isEqualTo(before); // no upcasting needed any more
    assertThat(described(store.history(id)))
        .containsExactly(
            "opened_1 {owner=Ada}",
            "deposited_3 {pence=500, currency=GBP}",
            "withdrawn_2 {pence=200}",
            "memo_2 {text=to Bob}");
    assertThat(store.storedTypes())
        .doesNotContain(EventType.of("account", "deposited", "1"))
        .contains(EventType.of("account", "deposited", "3"));
    assertThat(store.migrate(V3, "account").eventsRewritten()).isZero();
  }

  @Test
  void anInMemoryMigrationWhoseUpcasterThrowsChangesNothing() {
    InMemoryEventStore store = InMemoryEventStore.empty();
    UUID account = UUID.randomUUID();
    writeVersionOne(store, account);
    AggregateId id = AggregateId.of("account", account.toString());
    List<Event> stored = store.history(id);
    EventTypeRegistry broken =
        EventTypeRegistry.of(Accounts.V3.class)
            .withUpcasters(
                Accounts.upcasters()
                    .addParameter(
                        "account",
                        "deposited",
                        1,
                        "x",
                        e -> {
                          throw new IllegalStateException("refused");
                        }));

    assertThatThrownBy(() -> store.migrate(broken, "account"))
        .isInstanceOf(UnreadableEventException.class)
        .hasMessageContaining("addParameter(x) on account/deposited_1")
        .hasMessageContaining("refused");
    assertThat(store.history(id)).isEqualTo(stored);
  }
}
