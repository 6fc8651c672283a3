package io.cursus.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.EventCharacteristic;
import io.cursus.api.EventType;
import io.cursus.api.HandlesEventsFor;
import io.cursus.api.Initial;
import io.cursus.api.Parameters;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.Terminal;
import io.cursus.api.Timestamped;
import io.cursus.api.bus.EventBus;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.memory.InMemoryEventIndex;
import io.cursus.api.memory.InMemoryEventStore;
import io.cursus.api.state.StateBuilder;
import io.cursus.api.state.StateFold;
import io.cursus.api.store.EventStore;
import io.cursus.api.store.HistoryQuery;
import io.cursus.api.store.TimeRange;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The samples of docs/getting-started.md, compiled and checked. */
class GettingStartedTest {

  // sample:interface
  @HandlesEventsFor("parcel")
  interface ParcelEvents {
    @Initial
    void receivedAtDepot(StreamTimestamp ts, UUID parcelId, String depotId);

    void loadedOntoTruck(StreamTimestamp ts, UUID parcelId, String truckId);

    @Terminal
    void delivered(StreamTimestamp ts, UUID parcelId, String destinationId);
  }

  // sample:records
  @HandlesEventsFor("parcel")
  sealed interface ParcelEvent {
    @Initial
    record ReceivedAtDepot(String depotId) implements ParcelEvent {}

    record LoadedOntoTruck(String truckId) implements ParcelEvent {}

    @Terminal
    record Delivered(String destinationId) implements ParcelEvent {}
  }

  // sample:nullable
  @HandlesEventsFor("parcel")
  interface ParcelNotes {
    void noted(StreamTimestamp ts, UUID parcelId, String text, @Nullable String author);
  }

  // sample:state
  public static final class Parcel {
    private String location;
    private boolean delivered;

    private Parcel(String depotId) {
      this.location = depotId;
    }

    public static Parcel receivedAtDepot(String depotId) {
      return new Parcel(depotId);
    }

    public void loadedOntoTruck(String truckId) {
      location = truckId;
    }

    public void delivered(String destinationId) {
      location = destinationId;
      delivered = true;
    }
  }

  private final UUID parcelId = UUID.randomUUID();
  private final Instant start = Instant.parse("2026-11-22T09:00:00Z");
  private final InMemoryEventStore store = InMemoryEventStore.empty();
  private final InMemoryEventIndex index = InMemoryEventIndex.empty();

  private void emit() {
    // sample:emit
    EventBus bus =
        EventBus.writingTo(
            batch -> {
              store.append(batch);
              index.index(batch);
            });
    ParcelEvents parcels = bus.emitter(ParcelEvents.class);
    parcels.receivedAtDepot(StreamTimestamp.of("depot-1", start), parcelId, "Lewisham");
    bus.dispatchTo(
        parcelId,
        StreamTimestamp.of("depot-1", start.plusSeconds(3600)),
        new ParcelEvent.LoadedOntoTruck("J98 257"));
    bus.batch(
        batch ->
            batch
                .emitter(ParcelEvents.class)
                .delivered(
                    StreamTimestamp.of("truck-7", start.plusSeconds(7200)), parcelId, "home"));
    // end
  }

  @Test
  void samplesWork() {
    emit();

    // sample:read
    AggregateId parcel = AggregateId.of("parcel", parcelId);
    List<Event> all = store.history(parcel);
    List<Event> firstHour =
        store.history(
            parcel, HistoryQuery.within(TimeRange.from(start).before(start.plusSeconds(3600))));
    List<Event> newestFirst = store.history(parcel, HistoryQuery.all().descending());
    List<Event> knownBefore = store.history(parcel, HistoryQuery.all().asKnownAt(Instant.EPOCH));
    List<Timestamped<ParcelEvent>> typed = store.history(ParcelEvent.class, parcelId);
    // end

    assertThat(all).hasSize(3);
    assertThat(firstHour).hasSize(1);
    assertThat(newestFirst.get(0).type().name()).isEqualTo("delivered");
    assertThat(knownBefore).isEmpty();
    assertThat(typed.get(1).event()).isEqualTo(new ParcelEvent.LoadedOntoTruck("J98 257"));

    // sample:roles
    EventStore whole = store; // writes, reads histories, lists aggregates
    CompletionStage<List<Event>> later = whole.historyAsync(parcel, HistoryQuery.all());
    List<AggregateId> parcels = whole.list("parcel");
    // end

    assertThat(later.toCompletableFuture().join()).isEqualTo(all);
    assertThat(parcels).containsExactly(parcel);

    // sample:state-use
    StateBuilder<Parcel> states = StateBuilder.of(Parcel.class, ParcelEvents.class);
    Optional<Parcel> now = states.build(all);
    Optional<Parcel> atTen = states.buildAsOf(all, start.plusSeconds(3600));

    StateFold<String, ParcelEvent> whereabouts =
        StateFold.of(
            ParcelEvent.class,
            first -> ((ParcelEvent.ReceivedAtDepot) first.event()).depotId(),
            (where, next) ->
                next.event() instanceof ParcelEvent.LoadedOntoTruck loaded
                    ? loaded.truckId()
                    : where);
    Optional<String> where = whereabouts.fold(typed);
    // end

    assertThat(now.orElseThrow().delivered).isTrue();
    assertThat(atTen.orElseThrow().location).isEqualTo("J98 257");
    assertThat(where).contains("J98 257");

    // sample:index
    var onTruck = index.find("parcel", "truckId", "J98 257");
    // end
    assertThat(onTruck).containsExactly(parcel);
  }

  @Test
  void theBusRefusesWhatItsDeclarationsDoNotAllow() {
    // sample:refused
    EventBus bus = EventBus.writingTo(store, EventTypeRegistry.of(ParcelEvents.class));
    Event wrong =
        Event.of(
            AggregateId.of("parcel", parcelId),
            StreamTimestamp.of("depot-1", start),
            EventType.of("parcel", "receivedAtDepot"),
            Parameters.of("depotId", 12),
            Set.of(EventCharacteristic.INITIAL));
    assertThatThrownBy(() -> bus.dispatch(wrong))
        .hasMessageContaining(
            "parameter 'depotId' is declared java.lang.String but was given a java.lang.Integer: 12");
    // end

    assertThat(store.size()).isZero();
    bus.emitter(ParcelNotes.class)
        .noted(StreamTimestamp.of("desk", start), parcelId, "fragile", null);
    assertThat(store.history(AggregateId.of("parcel", parcelId)).get(0).parameters().get("author"))
        .isNull();
    assertThatThrownBy(
            () ->
                bus.emitter(ParcelNotes.class)
                    .noted(StreamTimestamp.of("desk", start), parcelId, null, "Ann"))
        .hasMessageStartingWith("ParcelNotes.noted: parameter 'text' must not be null");
  }

  @Test
  void theSizeLimitIsTheRegistrysToChange() {
    // sample:limit
    EventTypeRegistry registry =
        EventTypeRegistry.of(ParcelEvents.class).withMaxEventBytes(4_000_000);
    EventBus bus = EventBus.writingTo(store, registry);
    // end
    String twoMegabytes = "x".repeat(2_000_000);

    bus.emitter(ParcelEvents.class)
        .receivedAtDepot(StreamTimestamp.of("depot-1", start), parcelId, twoMegabytes);

    assertThat(store.size()).isEqualTo(1);
    assertThatThrownBy(
            () ->
                EventBus.writingTo(store)
                    .emitter(ParcelEvents.class)
                    .receivedAtDepot(StreamTimestamp.of("depot-2", start), parcelId, twoMegabytes))
        .hasMessageContaining("over the limit of 1000000 bytes for one event");
  }
}
