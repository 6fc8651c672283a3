package io.cursus.benchmarks.model;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.EventCharacteristic;
import io.cursus.api.EventType;
import io.cursus.api.Parameters;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.mapping.EventTypeRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Builds the benchmarks' events by hand, the way a baseline without Cursus's mapping would. */
public final class Parcels {
  public static final String TYPE = "parcel";
  public static final EventType RECEIVED = EventType.of(TYPE, "receivedAtDepot");
  public static final EventType LOADED = EventType.of(TYPE, "loadedOntoTruck");
  public static final EventType ARRIVED = EventType.of(TYPE, "arrivedAtDepot");
  public static final EventTypeRegistry REGISTRY = EventTypeRegistry.of(ParcelEvents.class);
  public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  public static final String STREAM = "scanner-1";

  private Parcels() {}

  /**
   * The {@code index}-th event of a parcel's history: received first, then loaded and arrived in
   * turn, one millisecond apart.
   */
  public static Event event(String parcelId, int index) {
    StreamTimestamp at = StreamTimestamp.of(STREAM, T0.plusMillis(index));
    AggregateId id = AggregateId.of(TYPE, parcelId);
    if (index == 0) {
      return Event.of(
          id,
          at,
          RECEIVED,
          Parameters.of("depotId", "depot-" + (index % 7)),
          Set.of(EventCharacteristic.INITIAL));
    }
    return index % 2 == 1
        ? Event.of(id, at, LOADED, Parameters.of("truckId", "truck-" + (index % 13)))
        : Event.of(id, at, ARRIVED, Parameters.of("depotId", "depot-" + (index % 7)));
  }

  /** The first {@code length} events of a parcel's history, in event-time order. */
  public static List<Event> history(String parcelId, int length) {
    List<Event> events = new ArrayList<>(length);
    for (int i = 0; i < length; i++) {
      events.add(event(parcelId, i));
    }
    return events;
  }
}
