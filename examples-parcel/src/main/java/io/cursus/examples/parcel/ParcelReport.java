package io.cursus.examples.parcel;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.state.StateBuilder;
import io.cursus.api.store.HistoryQuery;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Asks a stack the questions users ask, checks the answers against the simulation, and prints them.
 */
final class ParcelReport {

  private static final StateBuilder<ParcelState> STATES =
      StateBuilder.of(ParcelState.class, ParcelEvents.class);

  private final Stack stack;
  private final Simulation simulation;
  private final Instant started;
  private final Instant checkpoint;
  private final PrintStream out;

  ParcelReport(
      Stack stack, Simulation simulation, Instant started, Instant checkpoint, PrintStream out) {
    this.stack = stack;
    this.simulation = simulation;
    this.started = started;
    this.checkpoint = checkpoint;
    this.out = out;
  }

  /** Prints every answer; returns whether the store holds exactly the simulated events. */
  boolean print() {
    Map<UUID, List<Event>> expected = simulation.expected();
    UUID featured = featuredParcel(expected);
    AggregateId parcel = AggregateId.of("parcel", featured);
    List<Event> history = stack.source().history(parcel);

    out.println();
    out.println("1. History of parcel " + featured + " in event-time order:");
    for (Event event : history) {
      out.printf(
          "   %s  %-9s  %-16s %-28s processed %s%n",
          event.eventTime(),
          event.timestamp().streamId(),
          event.type().name(),
          event.parameters().asMap(),
          sinceStart(event));
    }

    Instant midway = history.get(1).eventTime().plusSeconds(60);
    out.println();
    out.println("2. State of that parcel:");
    out.println(
        "   now:                           "
            + STATES.build(history).map(Object::toString).orElse("unknown"));
    out.println(
        "   as of "
            + midway
            + ": "
            + STATES.buildAsOf(history, midway).map(Object::toString).orElse("unknown"));

    out.println();
    out.println("3. Where parcels are now (asked of the index):");
    Map<String, Long> truth = expectedLocations(expected);
    int agreeing = 0;
    for (String place : places()) {
      Set<AggregateId> found = stack.index().find("parcel", "location", place);
      boolean depot = Simulation.DEPOTS.containsKey(place);
      out.printf(
          "   %-10s %-9s %3d parcels%n", depot ? "at depot" : "on truck", place, found.size());
      if (found.size() == truth.getOrDefault(place, 0L)) {
        agreeing++;
      }
    }
    out.println(
        "   the index agrees with the simulated journeys for "
            + agreeing
            + " of "
            + places().size()
            + " depots and trucks");

    List<Event> knownThen =
        stack.source().history(parcel, HistoryQuery.all().asKnownAt(checkpoint));
    out.println();
    out.println("4. What we knew about that parcel at the checkpoint, before the late reports:");
    out.println(
        "   "
            + knownThen.size()
            + " of its "
            + history.size()
            + " events: "
            + knownThen.stream().map(e -> e.type().name()).toList()
            + "; state then: "
            + STATES
                .build(knownThen)
                .map(Object::toString)
                .orElse("unknown (its first report was late)"));

    long stored = 0;
    long exact = 0;
    for (Map.Entry<UUID, List<Event>> entry : expected.entrySet()) {
      List<Event> actual = stack.source().history(AggregateId.of("parcel", entry.getKey()));
      stored += actual.size();
      if (actual.equals(entry.getValue())) {
        exact++;
      }
    }
    long aggregates = stack.catalogue().list("parcel").size();
    out.println();
    out.println("5. Summary:");
    out.println(
        "   offered "
            + simulation.offered()
            + " reports of "
            + simulation.unique()
            + " distinct events; the idempotency filter stopped "
            + stack.duplicatesStopped()
            + " repeats");
    out.println(
        "   stored "
            + stored
            + " events for "
            + aggregates
            + " parcels; lost "
            + Math.max(0, simulation.unique() - stored)
            + ", duplicated "
            + Math.max(0, stored - simulation.unique())
            + "; "
            + exact
            + " of "
            + expected.size()
            + " histories exactly as simulated");
    return stored == simulation.unique() && exact == expected.size();
  }

  /** A parcel with at least three events, one of them late and one repeated, if there is one. */
  private UUID featuredParcel(Map<UUID, List<Event>> expected) {
    Optional<UUID> best =
        expected.entrySet().stream()
            .filter(e -> e.getValue().size() >= 3)
            .filter(e -> e.getValue().stream().anyMatch(simulation::isLate))
            .filter(e -> e.getValue().stream().anyMatch(simulation::isRepeated))
            .map(Map.Entry::getKey)
            .findFirst();
    return best.orElseGet(
        () ->
            expected.entrySet().stream()
                .max(Comparator.comparingInt(e -> e.getValue().size()))
                .orElseThrow()
                .getKey());
  }

  static Map<String, Long> expectedLocations(Map<UUID, List<Event>> expected) {
    Map<String, Long> counts = new TreeMap<>();
    for (List<Event> history : expected.values()) {
      String location = null;
      for (Event event : history) {
        Object value = event.parameters().get("location");
        if (value != null) {
          location = (String) value;
        }
      }
      if (location != null) {
        counts.merge(location, 1L, Long::sum);
      }
    }
    return counts;
  }

  static List<String> places() {
    List<String> places = new ArrayList<>(Simulation.DEPOTS.keySet());
    places.addAll(Simulation.TRUCKS.keySet());
    return places;
  }

  private String sinceStart(Event event) {
    return event
        .processingTime()
        .map(t -> String.format("+%.3f s", Duration.between(started, t).toNanos() / 1e9))
        .orElse("-");
  }
}
