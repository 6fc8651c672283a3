package io.cursus.api.evolution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.EventType;
import io.cursus.api.Parameters;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.bus.EventBus;
import io.cursus.api.fixtures.Accounts;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.memory.InMemoryEventStore;
import io.cursus.api.state.StateBuilder;
import io.cursus.api.store.EventSource;
import io.cursus.api.store.HistoryQuery;
import io.cursus.api.store.UnreadableEventException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UpcastersTest {

  private static final UUID ACCOUNT = UUID.randomUUID();
  private static final AggregateId ID = AggregateId.of("account", ACCOUNT.toString());
  private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
  private static final EventTypeRegistry V3 =
      EventTypeRegistry.of(Accounts.V3.class).withUpcasters(Accounts.upcasters());

  /** A store holding a history written by the version-1 declaration. */
  private static InMemoryEventStore storeWrittenByV1() {
    InMemoryEventStore store = InMemoryEventStore.empty();
    Accounts.V1 account = EventBus.to(store::append).emitter(Accounts.V1.class);
    account.opened(StreamTimestamp.of("web", T0), ACCOUNT, "Ada");
    account.deposited(StreamTimestamp.of("web", T0.plusSeconds(10)), ACCOUNT, 500);
    account.noted(StreamTimestamp.of("web", T0.plusSeconds(20)), ACCOUNT, "call back");
    account.transferred(StreamTimestamp.of("web", T0.plusSeconds(30)), ACCOUNT, 200, "Bob");
    return store;
  }

  @Test
  void readsAVersionOneHistoryAsTheCurrentDeclarationThroughTwoSteps() {
    EventSource current = V3.upcasters().applyTo(storeWrittenByV1());

    List<Event> history = current.history(ID);

    assertThat(history)
        .extracting(e -> e.type().name() + "_" + e.type().version() + " " + e.parameters())
        .containsExactly(
            "opened_1 {owner=Ada}",
            "deposited_3 {pence=500, currency=GBP}",
            "withdrawn_2 {pence=200}",
            "memo_2 {text=to Bob}");
    assertThat(current.history(ID, HistoryQuery.all().descending()))
        .extracting(e -> e.type().name())
        .containsExactly("memo", "withdrawn", "deposited", "opened");
    assertThat(history.get(3).timestamp())
        .isEqualTo(StreamTimestamp.of("web#1", T0.plusSeconds(30)));
    assertThat(history).allSatisfy(e -> assertThat(V3.schema(e.type())).isPresent());
  }

  @Test
  void stateAndTimeTravelWorkOverAnUpcastHistory() {
    EventSource current = V3.upcasters().applyTo(storeWrittenByV1());
    StateBuilder<Accounts.Balance> balances =
        StateBuilder.of(Accounts.Balance.class, Accounts.V3.class);

    Accounts.Balance now = balances.build(current, ID, HistoryQuery.all()).orElseThrow();
    Accounts.Balance then =
        balances.buildAsOf(current.history(ID), T0.plusSeconds(25)).orElseThrow();

    assertThat(now.pence()).isEqualTo(300);
    assertThat(now.lines()).containsExactly("+500 GBP", "-200", "to Bob");
    assertThat(then.pence()).isEqualTo(500);
    assertThat(then.lines()).containsExactly("+500 GBP");
  }

  @Test
  void declaredEventsAreReadAsTheyAre() {
    Event opened =
        Event.of(
            ID,
            StreamTimestamp.of("web", T0),
            EventType.of("account", "opened"),
            Parameters.of("owner", "Ada"));

    assertThat(V3.upcasters().upcast(opened)).containsExactly(opened);
  }

  @Test
  void aStepWithoutAPathToADeclarationIsRefusedWhenBuilt() {
    Upcasters.Builder halfWay =
        Upcasters.builder().renameParameter("account", "deposited", 1, "amount", "pence");

    assertThatThrownBy(() -> EventTypeRegistry.of(Accounts.V3.class).withUpcasters(halfWay))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("account/deposited_1")
        .hasMessageContaining("account/deposited_2")
        .hasMessageContaining("no path");
  }

  @Test
  void aStepFromADeclaredVersionIsRefusedWhenBuilt() {
    Upcasters.Builder fromCurrent = Upcasters.builder().drop("account", "opened", 1);

    assertThatThrownBy(() -> EventTypeRegistry.of(Accounts.V3.class).withUpcasters(fromCurrent))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("account/opened_1")
        .hasMessageContaining("declared");
  }

  @Test
  void aVersionThatIsNotAWholeNumberCannotBeUpcast() {
    assertThatThrownBy(
            () ->
                Upcasters.builder()
                    .step(
                        EventType.of("account", "opened", "beta"),
                        "custom",
                        Set.of("opened"),
                        List::of))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("account/opened_beta")
        .hasMessageContaining("'beta' is not a whole number");
  }

  @Test
  void aFailingStepNamesTheEventAndTheStepAndChangesNothingStored() {
    InMemoryEventStore store = storeWrittenByV1();
    List<Event> before = store.history(ID);
    EventTypeRegistry registry =
        EventTypeRegistry.of(Accounts.V3.class)
            .withUpcasters(
                Accounts.upcasters()
                    .changeParameter(
                        "account",
                        "deposited",
                        1,
                        "pence", // steps of one version run in order: after the rename
                        v -> {
                          throw new ArithmeticException("no negative deposits");
                        }));

    assertThatThrownBy(() -> registry.upcasters().applyTo(store).history(ID))
        .isInstanceOf(UnreadableEventException.class)
        .hasMessageContaining("changeParameter(pence) on account/deposited_1")
        .hasMessageContaining(ID.toString())
        .hasMessageContaining("no negative deposits");
    assertThat(store.history(ID)).isEqualTo(before);
  }

  @Test
  void anUndeclaredStoredTypeWithoutStepsIsUnreadable() {
    Event stray =
        Event.of(
            ID,
            StreamTimestamp.of("web", T0),
            EventType.of("account", "closed", "1"),
            Parameters.none());

    assertThatThrownBy(() -> V3.upcasters().upcast(stray))
        .isInstanceOf(UnreadableEventException.class)
        .hasMessageContaining("account/closed_1")
        .hasMessageContaining("neither declared nor upcast");
  }

  @Test
  void theStartUpCheckListsEveryStoredTypeWithoutAPath() {
    Set<EventType> stored =
        Set.of(
            EventType.of("account", "opened", "1"),
            EventType.of("account", "deposited", "1"),
            EventType.of("account", "closed", "1"),
            EventType.of("account", "deposited", "7"));

    assertThatThrownBy(() -> V3.upcasters().check(stored))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("[account/closed_1, account/deposited_7]");
    V3.upcasters().check(Set.of(EventType.of("account", "transferred", "1")));
  }

  @Test
  void theInMemoryStoreRecordsItsTypesForTheStartUpCheck() {
    InMemoryEventStore store = storeWrittenByV1();

    Set<EventType> stored = store.storedTypes();

    assertThat(stored)
        .containsExactlyInAnyOrder(
            EventType.of("account", "opened", "1"),
            EventType.of("account", "deposited", "1"),
            EventType.of("account", "noted", "1"),
            EventType.of("account", "transferred", "1"));
    V3.checkReadable(store.storedTypes());
    assertThatThrownBy(
            () -> EventTypeRegistry.of(Accounts.V3.class).checkReadable(store.storedTypes()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("[account/deposited_1, account/noted_1, account/transferred_1]");
  }

  @Test
  void aChainOfRenamesAndConstantsDescribesItselfForReaders() {
    Upcasters upcasters = V3.upcasters();

    Upcasters.Renaming renaming =
        upcasters
            .renaming(EventType.of("account", "deposited", "1"), List.of("amount"))
            .orElseThrow();

    assertThat(renaming.target()).isEqualTo(EventType.of("account", "deposited", "3"));
    assertThat(renaming.names()).containsExactly("pence", "currency");
    assertThat(renaming.storedIndex(0)).isZero();
    assertThat(renaming.storedIndex(1)).isEqualTo(-1);
    assertThat(renaming.constant(1)).isEqualTo("GBP");
  }

  @Test
  void aRenamingFollowsRenamedEventsAndRemovedParametersAcrossVersions() {
    Upcasters upcasters =
        Upcasters.builder()
            .renameEvent("account", "paidIn", 1, "deposited")
            .removeParameter("account", "deposited", 2, "channel")
            .renameParameter("account", "deposited", 2, "amount", "pence")
            .addParameter("account", "deposited", 2, "currency", "EUR")
            .build(EventTypeRegistry.of(Accounts.V3.class));

    Upcasters.Renaming renaming =
        upcasters
            .renaming(EventType.of("account", "paidIn", "1"), List.of("channel", "amount"))
            .orElseThrow();

    assertThat(renaming.target()).isEqualTo(EventType.of("account", "deposited", "3"));
    assertThat(renaming.names()).containsExactly("pence", "currency");
    assertThat(renaming.storedIndex(0)).isEqualTo(1);
    assertThat(renaming.constant(1)).isEqualTo("EUR");
  }

  @Test
  void onlyBuiltInRenamesConstantsAndRemovalsThatCannotFailDescribeThemselves() {
    Upcasters upcasters = V3.upcasters();
    Upcasters computed =
        Upcasters.builder()
            .renameParameter("account", "deposited", 1, "amount", "pence")
            .addParameter("account", "deposited", 2, "currency", e -> "GBP")
            .build(EventTypeRegistry.of(Accounts.V3.class));

    // a split and a drop produce other than one event
    assertThat(
            upcasters.renaming(
                EventType.of("account", "transferred", "1"), List.of("amount", "to")))
        .isEmpty();
    assertThat(upcasters.renaming(EventType.of("account", "noted", "1"), List.of("text")))
        .isEmpty();
    // a computed value is the step's own business
    assertThat(computed.renaming(EventType.of("account", "deposited", "1"), List.of("amount")))
        .isEmpty();
    // the rename would fail: the event has no 'amount'; or 'currency' would be given twice
    assertThat(upcasters.renaming(EventType.of("account", "deposited", "1"), List.of("sum")))
        .isEmpty();
    assertThat(
            upcasters.renaming(
                EventType.of("account", "deposited", "1"), List.of("amount", "currency")))
        .isEmpty();
    // a declared type is not upcast at all
    assertThat(upcasters.renaming(EventType.of("account", "opened", "1"), List.of("owner")))
        .isEmpty();
  }
}
