package io.cursus.examples.parcel;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.bus.EventBus;
import io.cursus.api.command.Decided;
import io.cursus.api.command.Decider;
import io.cursus.api.command.Decision;
import io.cursus.api.state.StateBuilder;
import io.cursus.api.store.AppendConflictException;
import io.cursus.api.store.DecisionLog;
import io.cursus.api.store.HistoryQuery;
import io.cursus.api.store.TokenedHistory;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The "redirect parcel" command: a decision, allowed only while the parcel is neither delivered nor
 * failed, appended only if nothing happened to the parcel since the state was read. The demo runs
 * it three ways: on a delivered parcel (refused), on a parcel that a depot reports loaded while the
 * command decides (a conflict, then the command decides again on the new state and succeeds), and
 * reads the redirected parcel back at least at the token the command returned.
 */
final class Redirects {

  private static final StateBuilder<ParcelState> STATES =
      StateBuilder.of(ParcelState.class, ParcelEvents.class);

  private final Decider<ParcelState> parcels;

  Redirects(DecisionLog decisions) {
    this.parcels = Decider.of(decisions, STATES).retries(3);
  }

  /**
   * Redirects parcel {@code id} to {@code destination}.
   *
   * @throws IllegalStateException if the parcel is unknown, delivered or failed; nothing appended
   * @throws AppendConflictException if it kept changing while the command decided
   */
  Decided<ParcelState> redirect(UUID id, String destination) {
    return parcels.decide(id, redirectUnlessFinished(id, destination));
  }

  /** The decision: refuse unless the parcel is on its way, else emit {@code redirected}. */
  static Decision<ParcelState> redirectUnlessFinished(UUID id, String destination) {
    return (parcel, out) -> {
      if (parcel.isEmpty()) {
        throw new IllegalStateException("parcel " + id + " is unknown");
      }
      if (parcel.get().isFinished()) {
        throw new IllegalStateException(
            "parcel " + id + " is " + parcel.get() + ": too late to redirect it");
      }
      out.emitter(ParcelEvents.class)
          .redirected(StreamTimestamp.now("customer-desk"), id, destination);
    };
  }

  /** Runs the three cases on {@code stack} and prints them as section 8 of the report. */
  static void demonstrate(
      Stack stack, Map<UUID, List<Event>> expected, long storedSoFar, PrintStream out)
      throws InterruptedException {
    UUID delivered = firstDelivered(expected);
    UUID waiting = firstOnItsWay(expected);
    Redirects redirects = new Redirects(stack.decisions());
    out.println();
    out.println("8. Redirecting parcels, a decision taken only while the parcel is on its way:");

    try {
      redirects.redirect(delivered, "Lewisham post office");
      out.println("   parcel " + delivered + ": redirected (unexpected!)");
    } catch (IllegalStateException refused) {
      out.println("   refused: " + refused.getMessage());
    }

    EventBus reports = EventBus.to(stack.channel());
    int[] calls = {0};
    Decided<ParcelState> decided =
        redirects.parcels.decide(
            waiting,
            (parcel, batch) -> {
              calls[0]++;
              out.println("   attempt " + calls[0] + " decides on: " + parcel.orElseThrow());
              if (calls[0] == 1) {
                // meanwhile, the depot reports the parcel loaded onto a truck
                reports
                    .emitter(ParcelEvents.class)
                    .loadedOntoTruck(StreamTimestamp.now("depot-scanner"), waiting, "J98 257");
                try {
                  stack.awaitQuiet(storedSoFar + 1);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  throw new IllegalStateException("interrupted", e);
                }
              }
              redirectUnlessFinished(waiting, "Greenwich pick-up point").decide(parcel, batch);
            });
    stack.awaitQuiet(storedSoFar + 2);
    out.println(
        "   parcel "
            + waiting
            + " redirected after "
            + decided.attempts()
            + " attempts"
            + (decided.attempts() > 1
                ? " (the first met a conflict: the loading was appended after it read)"
                : "")
            + "; token "
            + decided.token());

    TokenedHistory read =
        stack
            .decisions()
            .historyWithToken(
                AggregateId.of("parcel", waiting), HistoryQuery.all(), decided.token());
    Optional<ParcelState> now = STATES.build(read.events());
    out.println("   read at least at that token: " + now.orElseThrow());
  }

  /** The first parcel delivered, by its simulated history. */
  static UUID firstDelivered(Map<UUID, List<Event>> expected) {
    return expected.entrySet().stream()
        .filter(
            e ->
                STATES
                    .build(e.getValue())
                    .map(s -> s.status().equals("delivered to"))
                    .orElse(false))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no parcel is delivered"));
  }

  /** The first parcel neither delivered nor failed, by its simulated history. */
  static UUID firstOnItsWay(Map<UUID, List<Event>> expected) {
    return expected.entrySet().stream()
        .filter(e -> STATES.build(e.getValue()).map(s -> !s.isFinished()).orElse(false))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("every parcel is delivered or failed"));
  }

  /** The state of parcel {@code id} by its simulated history, as the demo prints it. */
  static String simulatedState(Map<UUID, List<Event>> expected, UUID id) {
    return STATES.build(expected.get(id)).map(ParcelState::toString).orElse("unknown");
  }
}
