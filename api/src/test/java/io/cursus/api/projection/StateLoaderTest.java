package io.cursus.api.projection;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.api.Event;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.bus.EventBus;
import io.cursus.api.fixtures.ParcelEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StateLoaderTest {

  private static final UUID PARCEL = UUID.fromString("69016fb5-0000-4000-8000-000000000001");
  private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

  private static List<Event> events(java.util.function.Consumer<ParcelEvents> emit) {
    List<Event> events = new ArrayList<>();
    emit.accept(EventBus.to(events::addAll).emitter(ParcelEvents.class));
    return events;
  }

  @Test
  void arrivedEventsTheStoreLacksAreMergedInEventTimeOrder() {
    List<Event> stored =
        events(
            p -> {
              p.receivedAtDepot(StreamTimestamp.of("depot", T0), PARCEL, "Lewisham");
              p.arrivedAtDepot(StreamTimestamp.of("truck", T0.plusSeconds(200)), PARCEL, "Croydon");
            });
    List<Event> arrived =
        events(
            p -> p.loadedOntoTruck(StreamTimestamp.of("depot", T0.plusSeconds(100)), PARCEL, "J"));

    List<Event> merged = StateLoader.merge(stored, arrived);

    assertThat(merged)
        .extracting(e -> e.type().name())
        .containsExactly("receivedAtDepot", "loadedOntoTruck", "arrivedAtDepot");
  }

  @Test
  void theStoredCopyWinsOverAnArrivedOneOfTheSameIdentity() {
    List<Event> stored =
        events(p -> p.loadedOntoTruck(StreamTimestamp.of("depot", T0), PARCEL, "first capture"));
    List<Event> arrived =
        events(p -> p.loadedOntoTruck(StreamTimestamp.of("depot", T0), PARCEL, "a later repeat"));

    List<Event> merged = StateLoader.merge(stored, arrived);

    assertThat(merged).isSameAs(stored);
    assertThat(merged.get(0).parameters().get("truckId")).isEqualTo("first capture");
  }

  @Test
  void ofArrivedCopiesTheStoreLacksTheFirstWins() {
    List<Event> arrived =
        events(
            p -> {
              p.loadedOntoTruck(StreamTimestamp.of("depot", T0), PARCEL, "first");
              p.loadedOntoTruck(StreamTimestamp.of("depot", T0), PARCEL, "second");
            });

    List<Event> merged = StateLoader.merge(List.of(), arrived);

    assertThat(merged).hasSize(1);
    assertThat(merged.get(0).parameters().get("truckId")).isEqualTo("first");
  }

  @Test
  void anUnsortedStoredHistoryIsMergedByIdentityToo() {
    List<Event> stored =
        events(
            p -> {
              p.arrivedAtDepot(StreamTimestamp.of("truck", T0.plusSeconds(200)), PARCEL, "Croydon");
              p.receivedAtDepot(StreamTimestamp.of("depot", T0), PARCEL, "Lewisham");
            });
    List<Event> arrived =
        events(
            p -> {
              p.receivedAtDepot(StreamTimestamp.of("depot", T0), PARCEL, "repeat");
              p.loadedOntoTruck(StreamTimestamp.of("depot", T0.plusSeconds(100)), PARCEL, "J");
            });

    List<Event> merged = StateLoader.merge(stored, arrived);

    assertThat(merged)
        .extracting(e -> e.type().name())
        .containsExactly("receivedAtDepot", "loadedOntoTruck", "arrivedAtDepot");
    assertThat(merged.get(0).parameters().get("depotId")).isEqualTo("Lewisham");
  }
}
