package io.cursus.middleware.kafka;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The back-off of {@link KafkaEventConsumer} after a transient failure: the first delay is {@code
 * initial}, each further failure doubles it up to {@code max}, and {@link #reset()} (all pending
 * batches done) starts again from {@code initial}. It does not sleep: the loop keeps polling (to
 * stay in its group) and asks whether the retry is {@linkplain #due() due} and how long it may
 * still poll.
 *
 * <p>Not thread-safe: the consumer's loop thread owns it.
 */
final class BackOff {

  private final Duration initial;
  private final Duration max;
  private final LongSupplier nanoTime;
  private Duration delay = Duration.ZERO;
  private long retryAt;

  /** {@code nanoTime} is the clock, as {@link System#nanoTime()}; {@code max >= initial > 0}. */
  BackOff(Duration initial, Duration max, LongSupplier nanoTime) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "back-off needs 0 < initial <= max, was initial " + initial + " and max " + max);
    }
    this.initial = initial;
    this.max = max;
    this.nanoTime = nanoTime;
    this.retryAt = nanoTime.getAsLong();
  }

  /** Records a failure: the next try is due after the returned delay from now. */
  Duration failed() {
    delay = delay.isZero() ? initial : min(delay.multipliedBy(2), max);
    retryAt = nanoTime.getAsLong() + delay.toNanos();
    return delay;
  }

  /**
   * Records that nothing is left to retry: the next failure waits {@code initial} again. A try
   * already scheduled stays due only when its time comes.
   */
  void reset() {
    delay = Duration.ZERO;
  }

  /** The delay of the last failure since the last {@link #reset()}, or zero. */
  Duration delay() {
    return delay;
  }

  /** True once the time of the last failure's retry has come (at once if none failed). */
  boolean due() {
    return nanoTime.getAsLong() - retryAt >= 0;
  }

  /** How long until the retry is due, at most {@code atMost}; zero if it is due. */
  Duration remaining(Duration atMost) {
    long wait = Math.max(0, retryAt - nanoTime.getAsLong());
    return Duration.ofNanos(Math.min(wait, atMost.toNanos()));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
