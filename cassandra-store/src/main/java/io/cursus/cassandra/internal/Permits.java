package io.cursus.cassandra.internal;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Bounds how many asynchronous operations run at once, for callers that may wait and for callers
 * that must not.
 *
 * <p>{@link #whenFree} waits on the calling thread until a permit is free: the blocking calls of a
 * store use it, so that a caller beyond the bound is held back and nothing is queued. {@link
 * #whenFreeAsync} never blocks: an operation beyond the bound waits in a queue and is started, by
 * the thread that completes an earlier operation, as soon as a permit is free. Both share the same
 * permits. An operation holds its permit from its start until the stage it returns completes.
 *
 * <p>Queued operations start in the order they were queued. Thread-safe.
 */
public final class Permits {

  private final Semaphore free;
  private final Queue<Runnable> queued = new ConcurrentLinkedQueue<>();
  private final AtomicInteger drainRequests = new AtomicInteger();

  /**
   * @throws IllegalArgumentException if {@code permits} is below 1
   */
  public Permits(int permits) {
    if (permits < 1) {
      throw new IllegalArgumentException("permits must be at least 1, was " + permits);
    }
    this.free = new Semaphore(permits);
  }

  /**
   * Starts {@code operation} on this thread once a permit is free, waiting for one here.
   *
   * @return a stage that completes as the operation's does (exceptionally too, also when starting
   *     it threw)
   * @throws InterruptedException if interrupted while waiting; the operation is then not started
   */
  public <T> CompletableFuture<T> whenFree(Supplier<? extends CompletionStage<T>> operation)
      throws InterruptedException {
    free.acquire();
    CompletableFuture<T> result = new CompletableFuture<>();
    start(operation, result);
    return result;
  }

  /**
   * Starts {@code operation} now on this thread if a permit is free, otherwise later, on the thread
   * that frees one; never blocks.
   *
   * @return a stage that completes as the operation's does (exceptionally too, also when starting
   *     it threw)
   */
  public <T> CompletableFuture<T> whenFreeAsync(Supplier<? extends CompletionStage<T>> operation) {
    CompletableFuture<T> result = new CompletableFuture<>();
    queued.add(() -> start(operation, result));
    drain();
    return result;
  }

  /** Permits free now. */
  public int available() {
    return free.availablePermits();
  }

  /** Operations waiting in the queue for a permit. */
  public int queued() {
    return queued.size();
  }

  /** Runs {@code operation}, which holds a permit, and frees the permit when it completes. */
  private <T> void start(
      Supplier<? extends CompletionStage<T>> operation, CompletableFuture<T> result) {
    CompletionStage<T> running;
    try {
      running = operation.get();
    } catch (RuntimeException e) {
      release();
      result.completeExceptionally(e);
      return;
    }
    var unused =
        running.whenComplete(
            (value, failure) -> {
              release(); // first, so that what the result's callers start can take it
              if (failure != null) {
                result.completeExceptionally(failure);
              } else {
                result.complete(value);
              }
            });
  }

  private void release() {
    free.release();
    drain();
  }

  /**
   * Starts queued operations while permits are free. One thread drains at a time; a thread that
   * asks while another drains makes that one look again, so no queued operation is left behind with
   * a permit free, and an operation that completes at once does not recurse into here.
   */
  private void drain() {
    if (drainRequests.getAndIncrement() != 0) {
      return;
    }
    int requests = 1;
    do {
      while (!queued.isEmpty() && free.tryAcquire()) {
        Runnable next = queued.poll();
        if (next == null) {
          free.release(); // cannot happen while this thread is the only one that polls
          break;
        }
        next.run(); // start never throws: a failure completes its result
      }
      requests = drainRequests.addAndGet(-requests);
    } while (requests != 0);
  }
}
