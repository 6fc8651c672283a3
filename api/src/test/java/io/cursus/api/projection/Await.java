package io.cursus.api.projection;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition that another thread makes true; generous timeouts, never a fixed sleep. */
final class Await {
  static final Duration LONG = Duration.ofSeconds(30);

  private Await() {}

  static void until(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + LONG.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out after " + LONG + " waiting for " + what);
      }
      LockSupport.parkNanos(1_000_000);
    }
  }

  static void until(String what, BooleanSupplier condition, Supplier<Object> state) {
    long deadline = System.nanoTime() + LONG.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out after " + LONG + " waiting for " + what + "; state: " + state.get());
      }
      LockSupport.parkNanos(1_000_000);
    }
  }
}
