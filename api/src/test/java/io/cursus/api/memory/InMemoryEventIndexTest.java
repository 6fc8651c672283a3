package io.cursus.api.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.bus.EventBus;
import io.cursus.api.fixtures.ParcelEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class InMemoryEventIndexTest {

  private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

  @Test
  void olderEventArrivingLateNeverOverwritesNewerValue() {
    UUID parcel = UUID.randomUUID();
    List<Event> events = new ArrayList<>();
    ParcelEvents emit = EventBus.to(events::addAll).emitter(ParcelEvents.class);
    emit.arrivedAtDepot(StreamTimestamp.of("d", T0.plusSeconds(60)), parcel, "Croydon");
    emit.receivedAtDepot(StreamTimestamp.of("d", T0), parcel, "Lewisham");
    InMemoryEventIndex index = InMemoryEventIndex.empty();

    index.index(events);

    assertThat(index.find("parcel", "depotId", "Croydon"))
        .containsExactly(AggregateId.of("parcel", parcel));
    assertThat(index.find("parcel", "depotId", "Lewisham")).isEmpty();
  }

  @Test
  void indexUnderShuffledAndRepeatedInputEqualsIndexOfOrderedInput() {
    List<Event> events = new ArrayList<>();
    ParcelEvents emit = EventBus.to(events::addAll).emitter(ParcelEvents.class);
    Random random = new Random(42);
    String[] depots = {"Lewisham", "Croydon", "Bromley", "Sutton"};
    List<UUID> parcels = new ArrayList<>();
    for (int p = 0; p < 200; p++) {
      UUID parcel = UUID.randomUUID();
      parcels.add(parcel);
      int moves = 1 + random.nextInt(6);
      for (int m = 0; m < moves; m++) {
        emit.arrivedAtDepot(
            StreamTimestamp.of("depot-" + m % 2, T0.plusSeconds(m * 10L)),
            parcel,
            depots[random.nextInt(depots.length)]);
      }
    }
    InMemoryEventIndex ordered = InMemoryEventIndex.empty();
    ordered.index(
        events.stream().sorted(java.util.Comparator.comparing(Event::timestamp)).toList());
    List<Event> messy = new ArrayList<>(events);
    messy.addAll(events.subList(0, 300)); // repeats
    Collections.shuffle(messy, random);
    InMemoryEventIndex shuffled = InMemoryEventIndex.empty();
    messy.forEach(shuffled);

    int total = 0;
    for (String depot : depots) {
      assertThat(shuffled.find("parcel", "depotId", depot))
          .isEqualTo(ordered.find("parcel", "depotId", depot));
      total += shuffled.find("parcel", "depotId", depot).size();
    }
    assertThat(total).as("every parcel is at exactly one depot").isEqualTo(parcels.size());
    for (UUID parcel : parcels) {
      Event latest =
          events.stream()
              .filter(e -> e.aggregateId().id().equals(parcel.toString()))
              .max(java.util.Comparator.comparing(Event::timestamp))
              .orElseThrow();
      assertThat(shuffled.latestValue(AggregateId.of("parcel", parcel), "depotId"))
          .isEqualTo(latest.parameters().get("depotId"));
    }
  }

  @Test
  void aggregateMovesBetweenValuesWithoutStaleEntries() {
    UUID parcel = UUID.randomUUID();
    InMemoryEventIndex index = InMemoryEventIndex.empty();
    ParcelEvents emit = EventBus.to(index::index).emitter(ParcelEvents.class);

    emit.receivedAtDepot(StreamTimestamp.of("d", T0), parcel, "Lewisham");
    emit.arrivedAtDepot(StreamTimestamp.of("d", T0.plusSeconds(1)), parcel, "Croydon");
    emit.arrivedAtDepot(StreamTimestamp.of("d", T0.plusSeconds(2)), parcel, "Bromley");

    assertThat(index.find("parcel", "depotId", "Lewisham")).isEmpty();
    assertThat(index.find("parcel", "depotId", "Croydon")).isEmpty();
    assertThat(index.find("parcel", "depotId", "Bromley")).hasSize(1);
    assertThat(index.find("truck", "depotId", "Bromley")).isEmpty();
  }
}
