package io.cursus.middleware;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.api.Event;
import io.cursus.api.bus.EventBus;
import io.cursus.api.fixtures.ParcelEvents;
import io.cursus.api.mapping.EventMapper;
import io.cursus.api.memory.InMemoryEventIndex;
import io.cursus.api.memory.InMemoryEventStore;
import io.cursus.middleware.fixtures.Parcels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PipelinesTest {

  @Test
  void embeddedPipelineStoresIndexesAndNotifiesOncePerEvent() {
    // given
    InMemoryEventStore store = InMemoryEventStore.empty();
    InMemoryEventIndex index = InMemoryEventIndex.empty();
    List<String> deliveredTo = new ArrayList<>();
    ParcelEvents projection =
        new ParcelEvents() {
          @Override
          public void receivedAtDepot(
              io.cursus.api.StreamTimestamp ts, UUID parcelId, String depotId) {}

          @Override
          public void loadedOntoTruck(
              io.cursus.api.StreamTimestamp ts, UUID parcelId, String truckId) {}

          @Override
          public void arrivedAtDepot(
              io.cursus.api.StreamTimestamp ts, UUID parcelId, String depotId) {}

          @Override
          public void delivered(
              io.cursus.api.StreamTimestamp ts, UUID parcelId, String destinationId) {
            deliveredTo.add(parcelId + " " + destinationId);
          }

          @Override
          public void deliveryFailed(io.cursus.api.StreamTimestamp ts, UUID parcelId) {}
        };
    // tag::embedded[]
    EventBus bus =
        EventBus.to(
            Pipelines.embedded(
                    Parcels.REGISTRY,
                    IdempotencyFilter.inMemory(100_000, Duration.ofMinutes(10)),
                    store,
                    index,
                    List.of(EventMapper.handler(ParcelEvents.class, projection)))
                .build());
    // end::embedded[]
    UUID parcel = UUID.randomUUID();
    List<Event> journey = Parcels.journey(parcel, "depot-1");

    // when: the journey arrives twice, the second time shuffled
    bus.dispatch(journey);
    bus.dispatch(List.of(journey.get(3), journey.get(1), journey.get(0), journey.get(2)));

    // then
    assertThat(store.history(journey.get(0).aggregateId())).isEqualTo(journey);
    assertThat(store.size()).isEqualTo(4);
    assertThat(index.find("parcel", "depotId", "Croydon"))
        .containsExactly(journey.get(0).aggregateId());
    assertThat(deliveredTo).containsExactly(parcel + " home");
  }
}
