package io.cursus.api.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.EventCharacteristic;
import io.cursus.api.EventType;
import io.cursus.api.Parameters;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.fixtures.ParcelEvent;
import io.cursus.api.fixtures.ParcelEvents;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.mapping.EventValidator;
import io.cursus.api.memory.InMemoryEventStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The default bus, {@link EventBus#writingTo}, refuses at emit what a typed read would refuse. */
class EventBusValidationTest {

  private static final UUID PARCEL = UUID.fromString("69016fb5-0000-4000-8000-000000000001");
  private static final AggregateId ID = AggregateId.of("parcel", PARCEL);
  private static final StreamTimestamp AT =
      StreamTimestamp.of("depot-1", Instant.parse("2026-11-22T09:00:00Z"));
  private static final EventType RECEIVED = EventType.of("parcel", "receivedAtDepot");
  private static final Set<EventCharacteristic> INITIAL = Set.of(EventCharacteristic.INITIAL);

  private final InMemoryEventStore store = InMemoryEventStore.empty();

  @Test
  void refusesAnEventTypeNoDeclarationDeclaresNamingItAndHowToDeclareIt() {
    // given: the README's bus, which knows ParcelEvents from its emitter
    EventBus bus = EventBus.writingTo(store);
    bus.emitter(ParcelEvents.class).receivedAtDepot(AT, PARCEL, "Lewisham");
    Event teleported =
        Event.of(
            ID,
            AT.plus(1, ChronoUnit.MILLIS),
            EventType.of("parcel", "teleported"),
            Parameters.none());

    // when / then
    assertThatThrownBy(() -> bus.dispatch(teleported))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "event parcel/teleported_1 of " + ID + " at " + AT.plus(1, ChronoUnit.MILLIS) + ": ")
        .hasMessageContaining("no declaration this bus knows declares its type")
        .hasMessageContaining("(it knows [ParcelEvents])")
        .hasMessageContaining("EventBus.writingTo(log, EventTypeRegistry.of(...))");
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void refusesAParameterOfAnotherTypeNamingEventParameterAndBothTypes() {
    EventBus bus = EventBus.writingTo(store, EventTypeRegistry.of(ParcelEvents.class));
    Event wrong = Event.of(ID, AT, RECEIVED, Parameters.of("depotId", 12), INITIAL);

    assertThatThrownBy(() -> bus.dispatch(wrong))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "event parcel/receivedAtDepot_1 of "
                + ID
                + " at "
                + AT
                + " (declared by ParcelEvents.receivedAtDepot): parameter 'depotId' is declared"
                + " java.lang.String but was given a java.lang.Integer: 12");
    assertThat(store.size()).isZero();
  }

  @Test
  void refusesAParameterTheDeclarationDoesNotHave() {
    EventBus bus = EventBus.writingTo(store, EventTypeRegistry.of(ParcelEvents.class));
    Event extra =
        Event.of(ID, AT, RECEIVED, Parameters.of("depotId", "Lewisham", "bay", 4), INITIAL);

    assertThatThrownBy(() -> bus.dispatch(extra))
        .hasMessageEndingWith(
            "parameter 'bay' is not declared; ParcelEvents.receivedAtDepot declares"
                + " [depotId: java.lang.String]");
    assertThat(store.size()).isZero();
  }

  @Test
  void refusesAMissingParameter() {
    EventBus bus = EventBus.writingTo(store, EventTypeRegistry.of(ParcelEvents.class));
    Event missing = Event.of(ID, AT, RECEIVED, Parameters.none(), INITIAL);

    assertThatThrownBy(() -> bus.dispatch(missing))
        .hasMessageEndingWith("parameter 'depotId' is declared but missing; the event has []");
  }

  @Test
  void refusesCharacteristicsOtherThanTheDeclaredOnes() {
    EventBus bus = EventBus.writingTo(store, EventTypeRegistry.of(ParcelEvents.class));
    Event notInitial = Event.of(ID, AT, RECEIVED, Parameters.of("depotId", "Lewisham"));

    assertThatThrownBy(() -> bus.dispatch(notInitial))
        .hasMessageEndingWith("its characteristics [] are not the declared [INITIAL]");
  }

  @Test
  void aRefusedEventKeepsItsWholeBatchFromTheStore() {
    EventBus bus = EventBus.writingTo(store, EventTypeRegistry.of(ParcelEvents.class));
    List<Event> batch = new ArrayList<>();
    EventBus.to(batch::addAll).emitter(ParcelEvents.class).receivedAtDepot(AT, PARCEL, "Lewisham");
    batch.add(
        Event.of(
            ID,
            AT.plus(5, ChronoUnit.MILLIS),
            EventType.of("parcel", "delivered"),
            Parameters.of()));

    assertThatThrownBy(() -> bus.dispatch(batch))
        .hasMessageStartingWith(
            "event 1 of a batch of 2 is refused, so nothing was dispatched: event"
                + " parcel/delivered_1")
        .hasMessageContaining("parameter 'destinationId' is declared but missing");
    assertThat(store.size()).isZero();
  }

  @Test
  void validatesEventsBuiltByHandAgainstTheRegistryItWasGiven() {
    EventBus bus = EventBus.writingTo(store, EventTypeRegistry.of(ParcelEvents.class));

    bus.dispatch(Event.of(ID, AT, RECEIVED, Parameters.of("depotId", "Lewisham"), INITIAL));

    assertThat(store.history(ID))
        .extracting(e -> e.parameters().get("depotId"))
        .containsExactly("Lewisham");
  }

  @Test
  void learnsTheFamiliesItDispatchesTo() {
    EventBus bus = EventBus.writingTo(store);
    bus.dispatchTo(PARCEL, AT, new ParcelEvent.ReceivedAtDepot("Lewisham"));

    bus.dispatch(
        Event.of(
            ID,
            AT.plus(1, ChronoUnit.MILLIS),
            EventType.of("parcel", "delivered"),
            Parameters.of("destinationId", "home"),
            Set.of(EventCharacteristic.TERMINAL)));

    assertThat(store.size()).isEqualTo(2);
  }

  @Test
  void refusesAnEventOverTheSizeLimitNamingItsSizeAndLargestParameter() {
    // given: an event of 2 MiB of text
    EventBus bus = EventBus.writingTo(store);
    ParcelEvents parcel = bus.emitter(ParcelEvents.class);
    String huge = "x".repeat(2 * 1024 * 1024);

    // when / then
    assertThatThrownBy(() -> parcel.receivedAtDepot(AT, PARCEL, huge))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("event parcel/receivedAtDepot_1 of " + ID + " at " + AT)
        .hasMessageContaining("over the limit of 1000000 bytes for one event")
        .hasMessageContaining("its largest parameter is 'depotId' (2097154 bytes)")
        .hasMessageContaining("EventTypeRegistry.withMaxEventBytes");
    assertThat(store.size()).isZero();
  }

  @Test
  void theSizeLimitIsTheRegistrysAndCountsTheWholeEnvelope() {
    // given: a limit that the event under it just fits
    List<Event> sized = new ArrayList<>();
    EventBus.to(sized::addAll).emitter(ParcelEvents.class).receivedAtDepot(AT, PARCEL, "Lewisham");
    long size = EventValidator.serialisedSize(sized.get(0).captured());
    EventTypeRegistry registry = EventTypeRegistry.of(ParcelEvents.class);
    ParcelEvents fits =
        EventBus.writingTo(store, registry.withMaxEventBytes((int) size))
            .emitter(ParcelEvents.class);
    ParcelEvents tight =
        EventBus.writingTo(store, registry.withMaxEventBytes((int) size - 1))
            .emitter(ParcelEvents.class);

    // when
    fits.receivedAtDepot(AT, PARCEL, "Lewisham");

    // then
    assertThat(store.size()).isEqualTo(1);
    assertThatThrownBy(() -> tight.receivedAtDepot(AT, PARCEL, "Lewisham"))
        .hasMessageContaining(
            "its serialised size is " + size + " bytes, over the limit of " + (size - 1));
  }

  @Test
  void toAChannelChecksNothingWhichIsHowToOptOut() {
    EventBus unvalidated = EventBus.to(store::append);
    Event teleported = Event.of(ID, AT, EventType.of("parcel", "teleported"), Parameters.none());

    unvalidated.dispatch(teleported);

    assertThat(unvalidated.validates()).isFalse();
    assertThat(EventBus.writingTo(store).validates()).isTrue();
    assertThat(store.history(ID)).containsExactly(teleported);
  }
}
