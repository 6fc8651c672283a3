package io.cursus.examples.parcel;

import io.cursus.api.projection.ProjectionStatus;
import io.cursus.api.projection.Projections;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Prints the depot board a state projection kept while the reports arrived, checks it against a
 * fresh fold of the store, then rebuilds it beside itself and checks the new generation too.
 */
final class DepotBoardReport {

  private static final Duration WAIT = Duration.ofMinutes(2);

  private final Stack stack;
  private final Projections projections;
  private final DepotBoard board;
  private final PrintStream out;

  DepotBoardReport(Stack stack, Projections projections, DepotBoard board, PrintStream out) {
    this.stack = stack;
    this.projections = projections;
    this.board = board;
    this.out = out;
  }

  /** Prints the board; returns whether it, and its rebuild, equal a fresh fold of the store. */
  boolean print() throws InterruptedException {
    boolean caughtUp = projections.awaitCaughtUp(DepotBoard.NAME, WAIT);
    ProjectionStatus status = projections.status(DepotBoard.NAME);
    out.println();
    out.println(
        "6. The depot board, kept by the state projection '"
            + DepotBoard.NAME
            + "' while the reports arrived:");
    out.printf(
        "   generation %d, %s, %d events handled, reports up to %s behind the newest event time%n",
        status.generation(),
        status.phase(),
        status.eventsHandled(),
        readable(status.greatestLateness()));
    for (Map.Entry<String, Integer> place : board.counts().entrySet()) {
      out.printf("   %-24s %3d parcels%n", place.getKey(), place.getValue());
    }
    Map<UUID, String> fold = DepotBoard.fold(stack.source(), stack.catalogue());
    boolean equal = board.places().equals(fold);
    out.printf(
        "   equal to a fresh fold of the store for %d of %d parcels%n",
        agreeing(board.places(), fold), fold.size());

    CompletableFuture<Integer> rebuilt = projections.rebuild(DepotBoard.NAME);
    List<String> progress = new ArrayList<>();
    while (!rebuilt.isDone()) {
      projections
          .status(DepotBoard.NAME)
          .rebuild()
          .flatMap(ProjectionStatus::catchUp)
          .map(p -> p.aggregatesDone() + "/" + p.aggregatesTotal())
          .filter(p -> progress.isEmpty() || !progress.get(progress.size() - 1).equals(p))
          .ifPresent(progress::add);
      LockSupport.parkNanos(100_000);
    }
    int generation;
    try {
      generation = rebuilt.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the depot board's rebuild did not take over", e);
    }
    boolean rebuiltEqual = board.places().equals(fold);
    out.println(
        "   rebuilt beside the serving board from the store"
            + (progress.isEmpty()
                ? ""
                : ", progress " + String.join(", ", progress) + " aggregates"));
    out.printf(
        "   generation %d took over, equal to the fold for %d of %d parcels%n",
        generation, agreeing(board.places(), fold), fold.size());
    return caughtUp && equal && rebuiltEqual && board.serving() == generation;
  }

  private static String readable(Duration duration) {
    if (duration.toHours() > 0) {
      return duration.toHours() + " h " + duration.toMinutesPart() + " min";
    }
    if (duration.toMinutes() > 0) {
      return duration.toMinutes() + " min " + duration.toSecondsPart() + " s";
    }
    return String.format("%.1f s", duration.toMillis() / 1000.0);
  }

  private static long agreeing(Map<UUID, String> board, Map<UUID, String> fold) {
    return fold.entrySet().stream().filter(e -> e.getValue().equals(board.get(e.getKey()))).count();
  }
}
