package io.cursus.reliability;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.fixtures.ParcelEvents;
import io.cursus.api.mapping.EventMapper;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.json.EventJson;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The events the scenarios send: parcel journeys of four events on two streams. */
public final class Parcels {
  public static final EventTypeRegistry REGISTRY = EventTypeRegistry.of(ParcelEvents.class);
  public static final EventJson JSON = EventJson.using(REGISTRY);
  public static final Instant START = Instant.parse("2026-11-22T09:00:00Z");

  private Parcels() {}

  /**
   * One parcel's journey, a minute apart: received and arrived come from the depot scanners'
   * stream, loaded and delivered from the truck's, so a history interleaves two streams. The last
   * depot is {@code "depot-" + depot}.
   */
  public static List<Event> journey(UUID parcel, int depot) {
    List<Event> events = new ArrayList<>(4);
    ParcelEvents emit = EventMapper.emitter(ParcelEvents.class, events::add);
    emit.receivedAtDepot(StreamTimestamp.of("scanner", START), parcel, "Lewisham");
    emit.loadedOntoTruck(
        StreamTimestamp.of("truck", START.plus(1, ChronoUnit.MINUTES)), parcel, "J98 257");
    emit.arrivedAtDepot(
        StreamTimestamp.of("scanner", START.plus(2, ChronoUnit.MINUTES)), parcel, "depot-" + depot);
    emit.delivered(StreamTimestamp.of("truck", START.plus(3, ChronoUnit.MINUTES)), parcel, "home");
    return events;
  }

  /** The journeys of {@code parcels} new parcels, by aggregate, each in event-time order. */
  public static Map<AggregateId, List<Event>> journeys(int parcels) {
    Map<AggregateId, List<Event>> journeys = new LinkedHashMap<>();
    for (int i = 0; i < parcels; i++) {
      List<Event> journey = journey(UUID.randomUUID(), i % 3);
      journeys.put(journey.get(0).aggregateId(), journey);
    }
    return journeys;
  }

  /** Every event of {@code journeys}, journey after journey. */
  public static List<Event> flatten(Map<AggregateId, List<Event>> journeys) {
    return journeys.values().stream().flatMap(List::stream).toList();
  }
}
