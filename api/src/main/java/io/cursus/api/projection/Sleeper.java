package io.cursus.api.projection;

import java.time.Duration;

/**
 * Waits between two attempts to handle something that failed. {@link Projections} uses its own by
 * default, which a pause, a stop or a close cuts short; tests give one that records the durations
 * and returns at once, so that no test sleeps.
 */
@FunctionalInterface
public interface Sleeper {

  /** Waits {@code duration}, or less. */
  void sleep(Duration duration) throws InterruptedException;
}
