package io.cursus.api.projection;

import io.cursus.api.CursusException;
import java.time.Duration;

/** How a projection treats what a handler, or the world around it, throws. */
final class Failures {

  /** What to do about a failure. */
  enum Verdict {
    /** The world may recover: back off and retry, without limit, without moving the position. */
    TRANSIENT,
    /** The world failed for good, or the JVM did: stop the projection (FAILED). */
    STOP,
    /** Something about this event: retry a bounded number of times, then park it. */
    POISON
  }

  private Failures() {}

  /**
   * A {@link CursusException} (or one among the causes) decides by its own verdict: transient, or
   * non-transient (stop: a missing table or bad credentials would fail every event alike). An
   * {@link Error} stops. Anything else is about the event: poison.
   */
  static Verdict classify(Throwable failure) {
    if (failure instanceof Error) {
      return Verdict.STOP;
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof CursusException cursus) {
        return cursus.isTransient() ? Verdict.TRANSIENT : Verdict.STOP;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return Verdict.POISON;
  }

  /** {@code initial} doubled {@code attempt} times, at most {@code max}. */
  static Duration backoff(Duration initial, Duration max, int attempt) {
    Duration wait = initial;
    for (int i = 0; i < attempt && wait.compareTo(max) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(max) > 0 ? max : wait;
  }

  /** The exception's type and message, and its cause's if it has no message of its own. */
  static String describe(Throwable failure) {
    String text = failure.getClass().getSimpleName() + ": " + failure.getMessage();
    if (failure.getMessage() == null && failure.getCause() != null) {
      text += " (caused by " + describe(failure.getCause()) + ")";
    }
    return text;
  }
}
