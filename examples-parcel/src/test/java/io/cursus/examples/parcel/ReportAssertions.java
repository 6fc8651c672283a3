package io.cursus.examples.parcel;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.api.Event;
import io.cursus.api.EventIdentity;
import io.cursus.api.state.StateBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Runs the demo on a stack and checks each printed answer against the simulation's truth. */
final class ReportAssertions {

  private ReportAssertions() {}

  static String runAndCheck(Stack stack, Simulation simulation) throws InterruptedException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    boolean ok =
        ParcelTrackingDemo.run(
            stack, simulation, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String report = bytes.toString(StandardCharsets.UTF_8);
    assertThat(ok)
        .as("the demo says the store holds exactly the simulated events:%n%s", report)
        .isTrue();
    check(report, simulation);
    return report;
  }

  static void check(String report, Simulation simulation) {
    Map<UUID, List<Event>> expected = simulation.expected();

    Matcher featuredLine =
        Pattern.compile("1\\. History of parcel (\\S+) in event-time order:").matcher(report);
    assertThat(featuredLine.find()).as("report names the featured parcel:%n%s", report).isTrue();
    UUID featured = UUID.fromString(featuredLine.group(1));
    List<Event> history = expected.get(featured);
    List<String> historyLines =
        report
            .lines()
            .dropWhile(l -> !l.startsWith("1. "))
            .skip(1)
            .takeWhile(l -> !l.isBlank())
            .toList();
    assertThat(historyLines).hasSameSizeAs(history);
    for (int i = 0; i < history.size(); i++) {
      Event event = history.get(i);
      assertThat(historyLines.get(i))
          .as("history line %d", i)
          .startsWith("   " + event.eventTime() + "  ")
          .contains(" " + event.timestamp().streamId() + " ")
          .contains(" " + event.type().name() + " ")
          .contains(event.parameters().asMap().toString())
          .containsPattern("processed \\+\\d+\\.\\d{3} s$");
    }

    StateBuilder<ParcelState> states = StateBuilder.of(ParcelState.class, ParcelEvents.class);
    assertThat(report)
        .contains("   now:                           " + states.build(history).orElseThrow());
    java.time.Instant midway = history.get(1).eventTime().plusSeconds(60);
    assertThat(report)
        .contains("   as of " + midway + ": " + states.buildAsOf(history, midway).orElseThrow());

    Map<String, Long> places = ParcelReport.expectedLocations(expected);
    for (String place : ParcelReport.places()) {
      String how = Simulation.DEPOTS.containsKey(place) ? "at depot" : "on truck";
      assertThat(report)
          .contains(
              String.format(
                  "   %-10s %-9s %3d parcels%n", how, place, places.getOrDefault(place, 0L)));
    }
    assertThat(report)
        .contains(
            "the index agrees with the simulated journeys for "
                + ParcelReport.places().size()
                + " of "
                + ParcelReport.places().size());

    Set<EventIdentity> firstWave =
        simulation.firstWave().stream()
            .flatMap(List::stream)
            .map(Event::identity)
            .collect(Collectors.toSet());
    List<String> knownThen =
        history.stream()
            .filter(e -> firstWave.contains(e.identity()))
            .map(e -> e.type().name())
            .toList();
    assertThat(report)
        .contains("   " + knownThen.size() + " of its " + history.size() + " events: " + knownThen);

    assertThat(report)
        .contains(
            "   stored "
                + simulation.unique()
                + " events for "
                + expected.size()
                + " parcels; lost 0, duplicated 0; "
                + expected.size()
                + " of "
                + expected.size()
                + " histories exactly as simulated");
    long repeats = (long) simulation.offered() - simulation.unique();
    assertThat(report)
        .contains(
            "   offered "
                + simulation.offered()
                + " reports of "
                + simulation.unique()
                + " distinct events; the idempotency filter stopped "
                + repeats
                + " repeats");

    if (report.contains("6. The depot board, kept by")) {
      checkDepotBoard(report, simulation);
    }
    checkRedirects(report, simulation.expected());
  }

  /** Section 7: the refused redirect, the conflict and its retry, the read at the token. */
  private static void checkRedirects(String report, Map<UUID, List<Event>> expected) {
    UUID delivered = Redirects.firstDelivered(expected);
    UUID waiting = Redirects.firstOnItsWay(expected);
    assertThat(report)
        .contains("8. Redirecting parcels")
        .contains("   refused: parcel " + delivered + " is delivered to ")
        .contains(": too late to redirect it")
        .contains("   attempt 1 decides on: " + Redirects.simulatedState(expected, waiting))
        .contains("   attempt 2 decides on: on truck J98 257")
        .contains("   parcel " + waiting + " redirected after 2 attempts")
        .contains(
            "   read at least at that token: on truck J98 257, redirected to Greenwich pick-up"
                + " point");
    assertThat(report).doesNotContain("attempt 3").doesNotContain("unexpected");
  }

  /** The depot board: counts per place as a fold of the simulated histories gives them. */
  static void checkDepotBoard(String report, Simulation simulation) {
    StateBuilder<ParcelState> states = StateBuilder.of(ParcelState.class, ParcelEvents.class);
    Map<String, Integer> places = new java.util.TreeMap<>();
    for (List<Event> history : simulation.expected().values()) {
      states
          .build(history)
          .ifPresent(state -> places.merge(DepotBoard.place(state), 1, Integer::sum));
    }
    int parcels = simulation.expected().size();
    assertThat(report)
        .contains(
            "   generation 1, LIVE, " + simulation.unique() + " events handled, reports up to ");
    for (Map.Entry<String, Integer> place : places.entrySet()) {
      assertThat(report)
          .contains(String.format("   %-24s %3d parcels%n", place.getKey(), place.getValue()));
    }
    assertThat(report)
        .contains(
            "   equal to a fresh fold of the store for " + parcels + " of " + parcels + " parcels")
        .contains(
            "   generation 2 took over, equal to the fold for "
                + parcels
                + " of "
                + parcels
                + " parcels")
        .containsPattern("reports up to .+ behind the newest event time");
  }
}
