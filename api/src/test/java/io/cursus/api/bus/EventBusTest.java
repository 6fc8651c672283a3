package io.cursus.api.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.Timestamped;
import io.cursus.api.fixtures.ParcelEvent.Delivered;
import io.cursus.api.fixtures.ParcelEvent.LoadedOntoTruck;
import io.cursus.api.fixtures.ParcelEvent.ReceivedAtDepot;
import io.cursus.api.fixtures.ParcelEvents;
import io.cursus.api.memory.InMemoryEventStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventBusTest {

  private static final UUID PARCEL = UUID.randomUUID();
  private static final StreamTimestamp AT =
      StreamTimestamp.of("s", Instant.parse("2026-03-01T09:00:00Z"));

  @Test
  void emitterDispatchesEachCallStampedWithAProcessingId() {
    List<List<Event>> batches = new ArrayList<>();
    EventBus bus = EventBus.to(batches::add);

    bus.emitter(ParcelEvents.class).receivedAtDepot(AT, PARCEL, "Lewisham");

    assertThat(batches).hasSize(1);
    assertThat(batches.get(0))
        .singleElement()
        .satisfies(e -> assertThat(e.processingId()).isPresent());
  }

  @Test
  void batchIsDeliveredInOneCall() {
    List<List<Event>> batches = new ArrayList<>();
    EventBus bus = EventBus.to(batches::add);

    bus.batch(
        batch -> {
          ParcelEvents parcel = batch.emitter(ParcelEvents.class);
          parcel.receivedAtDepot(AT, PARCEL, "Lewisham");
          parcel.loadedOntoTruck(AT.plus(1, ChronoUnit.HOURS), PARCEL, "J98 257");
          batch.dispatchTo(PARCEL, AT.plus(2, ChronoUnit.HOURS), new Delivered("home"));
        });

    assertThat(batches).hasSize(1);
    assertThat(batches.get(0))
        .extracting(e -> e.type().name())
        .containsExactly("receivedAtDepot", "loadedOntoTruck", "delivered");
  }

  @Test
  void batchThatFailsDeliversNothing() {
    InMemoryEventStore store = InMemoryEventStore.empty();
    EventBus bus = EventBus.writingTo(store);

    assertThatThrownBy(
            () ->
                bus.batch(
                    batch -> {
                      batch.emitter(ParcelEvents.class).receivedAtDepot(AT, PARCEL, "Lewisham");
                      batch.emitter(ParcelEvents.class).delivered(null, PARCEL, "home");
                    }))
        .hasMessage("ParcelEvents.delivered: stream timestamp must not be null");
    assertThat(store.size()).isZero();
  }

  @Test
  void batchWithANullEventIsRefusedWhole() {
    InMemoryEventStore store = InMemoryEventStore.empty();
    EventBus bus = EventBus.writingTo(store);
    List<Event> batch = new ArrayList<>();
    EventBus.to(batch::addAll).emitter(ParcelEvents.class).receivedAtDepot(AT, PARCEL, "Lewisham");
    batch.add(null);

    assertThatThrownBy(() -> bus.dispatch(batch))
        .hasMessage("event 1 of a batch of 2 is null; nothing was dispatched");
    assertThat(store.size()).isZero();
  }

  @Test
  void typedEventsOfAFamilyAreDispatchedAsOneBatch() {
    InMemoryEventStore store = InMemoryEventStore.empty();
    EventBus bus = EventBus.writingTo(store);

    bus.dispatchTo(
        PARCEL,
        List.of(
            Timestamped.of(AT.plus(1, ChronoUnit.HOURS), new LoadedOntoTruck("J98 257")),
            Timestamped.of(AT, new ReceivedAtDepot("Lewisham"))));

    assertThat(store.history(io.cursus.api.fixtures.ParcelEvent.class, PARCEL))
        .extracting(Timestamped::event)
        .containsExactly(new ReceivedAtDepot("Lewisham"), new LoadedOntoTruck("J98 257"));
    assertThat(store.list("parcel")).containsExactly(AggregateId.of("parcel", PARCEL));
  }
}
