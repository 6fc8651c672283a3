package io.cursus.api.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.api.Event;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.bus.EventBus;
import io.cursus.api.fixtures.ParcelEvent;
import io.cursus.api.fixtures.ParcelEvent.Delivered;
import io.cursus.api.fixtures.ParcelEvent.LoadedOntoTruck;
import io.cursus.api.fixtures.ParcelEvent.ReceivedAtDepot;
import io.cursus.api.fixtures.ParcelEvents;
import io.cursus.api.fixtures.ParcelState;
import io.cursus.api.memory.InMemoryEventStore;
import io.cursus.api.store.HistoryQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StateTest {

  private static final UUID PARCEL = UUID.randomUUID();
  private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

  private static List<Event> shuffledHistory() {
    List<Event> events = new ArrayList<>();
    ParcelEvents parcel = EventBus.to(events::addAll).emitter(ParcelEvents.class);
    parcel.delivered(StreamTimestamp.of("truck", T0.plusSeconds(300)), PARCEL, "home");
    parcel.loadedOntoTruck(StreamTimestamp.of("depot", T0.plusSeconds(100)), PARCEL, "J98 257");
    parcel.receivedAtDepot(StreamTimestamp.of("depot", T0), PARCEL, "Lewisham");
    parcel.arrivedAtDepot(StreamTimestamp.of("truck", T0.plusSeconds(200)), PARCEL, "Croydon");
    Collections.shuffle(events, new Random(7));
    return events;
  }

  @Test
  void stateClassReplaysEventsInEventTimeOrder() {
    StateBuilder<ParcelState> builder = StateBuilder.of(ParcelState.class, ParcelEvents.class);

    ParcelState state = builder.build(shuffledHistory()).orElseThrow();

    assertThat(state.parcelId()).isEqualTo(PARCEL);
    assertThat(state.trail()).containsExactly("Lewisham", "J98 257", "Croydon", "home");
    assertThat(state.isDelivered()).isTrue();
  }

  @Test
  void stateAsOfAnEarlierInstantSeesOnlyWhatHadHappened() {
    StateBuilder<ParcelState> builder = StateBuilder.of(ParcelState.class, ParcelEvents.class);

    ParcelState then = builder.buildAsOf(shuffledHistory(), T0.plusSeconds(100)).orElseThrow();

    assertThat(then.location()).isEqualTo("J98 257");
    assertThat(then.isDelivered()).isFalse();
    assertThat(builder.buildAsOf(shuffledHistory(), T0.minusSeconds(1))).isEmpty();
  }

  @Test
  void noInitialEventMeansNoState() {
    List<Event> events = new ArrayList<>(shuffledHistory());
    events.removeIf(Event::isInitial);

    assertThat(StateBuilder.of(ParcelState.class, ParcelEvents.class).build(events)).isEmpty();
  }

  record Parcel(String location, int moves, boolean delivered) {}

  @Test
  void pureFunctionsFoldTypedEventsWithTimeTravel() {
    InMemoryEventStore store = InMemoryEventStore.empty();
    store.append(shuffledHistory());
    StateFold<Parcel, ParcelEvent> fold =
        StateFold.of(
            ParcelEvent.class,
            first -> new Parcel(((ReceivedAtDepot) first.event()).depotId(), 0, false),
            (parcel, next) ->
                switch (next.event().getClass().getSimpleName()) {
                  case "LoadedOntoTruck" ->
                      new Parcel(
                          ((LoadedOntoTruck) next.event()).truckId(), parcel.moves() + 1, false);
                  case "Delivered" ->
                      new Parcel(
                          ((Delivered) next.event()).destinationId(), parcel.moves() + 1, true);
                  case "ArrivedAtDepot" ->
                      new Parcel(
                          ((ParcelEvent.ArrivedAtDepot) next.event()).depotId(),
                          parcel.moves() + 1,
                          false);
                  default -> parcel;
                });
    List<Event> history =
        store.history(io.cursus.api.AggregateId.of("parcel", PARCEL), HistoryQuery.all());

    assertThat(fold.build(history)).contains(new Parcel("home", 3, true));
    assertThat(fold.buildAsOf(history, T0.plusSeconds(250)))
        .contains(new Parcel("Croydon", 2, false));
    assertThat(fold.fold(store.history(ParcelEvent.class, PARCEL)))
        .contains(new Parcel("home", 3, true));
  }
}
