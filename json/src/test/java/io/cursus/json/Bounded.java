package io.cursus.json;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a read of fuzzed input on a worker thread and gives up on it after a bound, so a read that
 * hangs fails its property (naming the input) instead of hanging the build. The bound is a hang
 * detector, not a speed claim: it is far above what any read takes. Whatever the read throws,
 * {@link Error}s included, comes back as the outcome, for the property to judge.
 */
final class Bounded implements AutoCloseable {

  /** Far above the few milliseconds a read of at most a MiB takes, even on a loaded machine. */
  static final long BOUND_SECONDS = 30;

  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(
          task -> {
            Thread thread = new Thread(task, "fuzzed-read");
            thread.setDaemon(true); // a hung read must not keep the test JVM alive
            return thread;
          });

  /** What a read did: returned {@code value}, or threw {@code thrown}. */
  record Outcome<T>(T value, Throwable thrown) {}

  /**
   * Runs {@code read}, waiting at most {@link #BOUND_SECONDS}.
   *
   * @throws AssertionError if it did not finish in time, naming {@code input}
   */
  <T> Outcome<T> run(Callable<T> read, Object input) {
    Future<Outcome<T>> future =
        worker.submit(
            () -> {
              try {
                return new Outcome<>(read.call(), null);
              } catch (Throwable e) { // the property judges whatever escapes, errors too
                return new Outcome<>(null, e);
              }
            });
    try {
      return future.get(BOUND_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new AssertionError(
          "the read did not finish within " + BOUND_SECONDS + " s (it hangs) on: " + input, e);
    } catch (ExecutionException e) {
      throw new AssertionError("the bounded read failed to run on: " + input, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for a read of: " + input, e);
    }
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}
