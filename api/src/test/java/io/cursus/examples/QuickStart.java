package io.cursus.examples;

import io.cursus.api.AggregateId;
import io.cursus.api.HandlesEventsFor;
import io.cursus.api.Initial;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.Terminal;
import io.cursus.api.bus.EventBus;
import io.cursus.api.memory.InMemoryEventStore;
import io.cursus.api.store.HistoryQuery;
import java.io.PrintStream;
import java.time.Instant;
import java.util.UUID;

/** The README's example: runnable with the Quick start's first command, and tested. */
public final class QuickStart {

  // README:begin
  @HandlesEventsFor("parcel")
  public interface ParcelEvents {
    @Initial
    void receivedAtDepot(StreamTimestamp ts, UUID parcelId, String depotId);

    void loadedOntoTruck(StreamTimestamp ts, UUID parcelId, String truckId);

    @Terminal
    void delivered(StreamTimestamp ts, UUID parcelId, String destinationId);
  }

  static void run(PrintStream out) {
    InMemoryEventStore store = InMemoryEventStore.empty();
    ParcelEvents parcel = EventBus.writingTo(store).emitter(ParcelEvents.class);
    UUID id = UUID.fromString("69016fb5-0000-4000-8000-000000000001");
    Instant t = Instant.parse("2026-11-22T09:00:00Z");

    // Written out of order, from two streams, one of them twice:
    parcel.delivered(StreamTimestamp.of("truck-7", t.plusSeconds(7200)), id, "Mr Smith");
    parcel.receivedAtDepot(StreamTimestamp.of("depot-1", t), id, "Lewisham");
    parcel.loadedOntoTruck(StreamTimestamp.of("depot-1", t.plusSeconds(600)), id, "J98 257");
    parcel.receivedAtDepot(StreamTimestamp.of("depot-1", t), id, "Lewisham");

    // Read back once each, in event-time order:
    store.history(AggregateId.of("parcel", id), HistoryQuery.all()).forEach(out::println);
  }

  // README:end

  private QuickStart() {}

  public static void main(String[] args) {
    run(System.out);
  }
}
