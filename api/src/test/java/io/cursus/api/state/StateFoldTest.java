package io.cursus.api.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.EventType;
import io.cursus.api.Parameters;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.Timestamped;
import io.cursus.api.fixtures.ParcelEvent;
import io.cursus.api.fixtures.ParcelEvent.LoadedOntoTruck;
import io.cursus.api.fixtures.ParcelEvent.ReceivedAtDepot;
import io.cursus.api.mapping.EventCodec;
import io.cursus.api.mapping.EventMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What {@link StateFold} passes its functions and how it fails. */
class StateFoldTest {

  private static final UUID PARCEL = UUID.fromString("1b7e0f4e-8a47-4b54-9d59-0b1c2d3e4f50");
  private static final Instant T0 = Instant.parse("2026-06-01T07:00:00Z");
  private static final EventCodec<ParcelEvent> CODEC = EventMapper.codec(ParcelEvent.class);

  private static Event event(int second, ParcelEvent event) {
    return CODEC.toEvent(PARCEL, StreamTimestamp.of(T0.plusSeconds(second)), event);
  }

  private static List<Event> history() {
    return List.of(
        event(0, new LoadedOntoTruck("before the parcel was received")),
        event(1, new ReceivedAtDepot("Lewisham")),
        event(2, new LoadedOntoTruck("J98 257")).captured(),
        Event.of(
            AggregateId.of("parcel", PARCEL),
            StreamTimestamp.of(T0.plusSeconds(3)),
            EventType.of("parcel", "undeclared"),
            Parameters.none()));
  }

  @Test
  void functionsGetEachTypedEventWithItsTimestampAndProcessingIdFromTheInitialOneOn() {
    List<Timestamped<ParcelEvent>> seen = new ArrayList<>();
    StateFold<List<Timestamped<ParcelEvent>>, ParcelEvent> fold =
        StateFold.of(
            ParcelEvent.class,
            first -> {
              seen.add(first);
              return seen;
            },
            (state, next) -> {
              state.add(next);
              return state;
            });

    List<Event> history = history();
    fold.build(history);

    assertThat(seen)
        .extracting(Timestamped::event)
        .containsExactly(new ReceivedAtDepot("Lewisham"), new LoadedOntoTruck("J98 257"));
    assertThat(seen.get(0).timestamp()).isEqualTo(StreamTimestamp.of(T0.plusSeconds(1)));
    assertThat(seen.get(0).processingId()).isEmpty();
    assertThat(seen.get(1).processingId()).isPresent().isEqualTo(history.get(2).processingId());
  }

  @Test
  @SuppressWarnings("JdkObsolete") // a LinkedList on purpose: a list without access by index
  void aHistoryWithoutAccessByIndexOrOrderGivesTheSameState() {
    List<Event> reversed = new ArrayList<>(history());
    Collections.reverse(reversed);
    StateFold<String, ParcelEvent> fold =
        StateFold.of(
            ParcelEvent.class,
            first -> ((ReceivedAtDepot) first.event()).depotId(),
            (state, next) -> state + " > " + ((LoadedOntoTruck) next.event()).truckId());

    assertThat(fold.build(new LinkedList<>(reversed))).contains("Lewisham > J98 257");
    assertThat(fold.build(new LinkedList<>(history()))).contains("Lewisham > J98 257");
    assertThat(fold.buildAsOf(new LinkedList<>(reversed), T0.plusSeconds(1))).contains("Lewisham");
  }

  @Test
  void aFunctionReturningNullIsRefusedNamingTheEvent() {
    StateFold<String, ParcelEvent> noStart =
        StateFold.of(ParcelEvent.class, first -> null, (state, next) -> state);
    StateFold<String, ParcelEvent> noUpdate =
        StateFold.of(ParcelEvent.class, first -> "received", (state, next) -> null);

    assertThatThrownBy(() -> noStart.build(history()))
        .isInstanceOf(NullPointerException.class)
        .hasMessageStartingWith("create returned null for ReceivedAtDepot[depotId=Lewisham] at ");
    assertThatThrownBy(() -> noUpdate.build(history()))
        .isInstanceOf(NullPointerException.class)
        .hasMessageStartingWith("update returned null for LoadedOntoTruck[truckId=J98 257] at ");
  }

  @Test
  void anEventWithABadParameterFailsEvenBeforeTheInitialOne() {
    List<Event> history = new ArrayList<>(history());
    Event loaded = history.get(0);
    history.set(
        0,
        Event.of(
            loaded.aggregateId(), loaded.timestamp(), loaded.type(), Parameters.of("truckId", 7)));
    StateFold<String, ParcelEvent> fold =
        StateFold.of(ParcelEvent.class, first -> "received", (state, next) -> state);

    assertThatThrownBy(() -> fold.build(history))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ParcelEvent.LoadedOntoTruck: parameter 'truckId'")
        .hasMessageContaining(
            "is a java.lang.Integer but the declaration expects java.lang.String");
  }
}
