package io.cursus.examples.parcel;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.bus.EventBus;
import io.cursus.api.memory.InMemoryEventStore;
import io.cursus.api.state.StateBuilder;
import io.cursus.api.store.EventSource;
import io.cursus.api.store.HistoryQuery;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The demo's last section: {@code delivered} is at version 2 (it gained {@code signedBy}), and a
 * delivery stored by a depot app still on version 1 ({@link ParcelEventsV1}) is read as version 2
 * through {@link ParcelTrackingDemo#REGISTRY}'s upcaster, without rewriting what is stored.
 */
final class EvolutionReport {

  private static final UUID PARCEL = UUID.fromString("00000000-0000-4000-8000-000000000001");
  private static final Instant DAY = Instant.parse("2026-11-20T08:00:00Z");

  private EvolutionReport() {}

  /** Prints the section; says whether the old delivery read as version 2 with a signature. */
  static boolean print(PrintStream out) {
    InMemoryEventStore olderApps = InMemoryEventStore.empty();
    ParcelEventsV1 depot = EventBus.to(olderApps::append).emitter(ParcelEventsV1.class);
    depot.receivedAtDepot(StreamTimestamp.of("Lewisham", DAY), PARCEL, "Lewisham");
    depot.delivered(StreamTimestamp.of("Lewisham", DAY.plusSeconds(3600)), PARCEL, "SE13 5AB");
    AggregateId parcel = AggregateId.of("parcel", PARCEL);

    EventSource current = ParcelTrackingDemo.REGISTRY.upcasters().applyTo(olderApps);
    Event stored = olderApps.history(parcel).get(1);
    List<Event> history = current.history(parcel);
    Event read = history.get(1);
    ParcelState state =
        StateBuilder.of(ParcelState.class, ParcelEvents.class)
            .build(current, PARCEL, HistoryQuery.all())
            .orElseThrow();

    out.println();
    out.println("7. Schema evolution: 'delivered' is at version 2 now (it gained 'signedBy')");
    out.println(
        "   stored by a depot app still on version 1: "
            + stored.type()
            + " "
            + stored.parameters());
    out.println(
        "   read by this version, through an upcaster: " + read.type() + " " + read.parameters());
    out.println("   its state: " + state + ", signed by " + state.signedBy());
    boolean ok =
        read.type().version().equals("2")
            && "(not recorded)".equals(read.parameters().get("signedBy"))
            && "SE13 5AB".equals(state.location())
            && "(not recorded)".equals(state.signedBy());
    out.println(
        ok
            ? "   old stored events still read: nothing stored was rewritten"
            : "   PROBLEM: the version-1 delivery did not read as version 2");
    return ok;
  }
}
