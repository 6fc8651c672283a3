package io.cursus.cassandra.internal;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs requests asynchronously with at most {@code maxInFlight} in flight for its owner (a store or
 * an index). A blocking caller beyond that waits; an asynchronous one is queued without a thread
 * waiting for it ({@link Permits}). Thread-safe.
 */
public final class BoundedRequests {

  private final CqlSession session;
  private final Permits permits;

  public BoundedRequests(CqlSession session, int maxInFlight) {
    this.session = session;
    this.permits = new Permits(maxInFlight);
  }

  /**
   * Runs every statement and waits for all of them.
   *
   * @param doing what the statements do, for the message of a failure, which also says how many
   *     failed and that running them again is safe (every statement given here is idempotent)
   * @throws io.cursus.api.CursusException if any failed, saying whether a retry can help
   */
  public void runAll(List<? extends Statement<?>> statements, String doing) {
    List<CompletableFuture<AsyncResultSet>> pending = new ArrayList<>(statements.size());
    try {
      for (Statement<?> statement : statements) {
        pending.add(execute(statement));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Failures.transientFailure(
          "interrupted while " + doing + "; some writes may be done, and doing it again is safe",
          e);
    }
    awaitAll(pending, doing, "the rest may be done, and doing it again is safe");
  }

  /**
   * Waits for every request of {@code pending}.
   *
   * @param doing what the requests do, for the message of a failure, which also says how many
   *     failed, then {@code after}
   * @throws io.cursus.api.CursusException if any failed, saying whether a retry can help
   */
  public static void awaitAll(
      List<? extends CompletableFuture<?>> pending, String doing, String after) {
    Throwable first = null;
    int failed = 0;
    for (CompletableFuture<?> future : pending) {
      try {
        future.join();
      } catch (RuntimeException e) {
        failed++;
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw Failures.classify(
          first,
          doing + " (" + failed + " of " + pending.size() + " writes failed; " + after + ")");
    }
  }

  /**
   * Runs every statement without blocking: each is sent once a permit is free. The stage completes
   * when all have, or exceptionally with what {@link #runAll} would have thrown.
   */
  public CompletionStage<Void> runAllAsync(List<? extends Statement<?>> statements, String doing) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (statements.isEmpty()) {
      done.complete(null);
      return done;
    }
    AtomicInteger remaining = new AtomicInteger(statements.size());
    AtomicInteger failed = new AtomicInteger();
    AtomicReference<Throwable> first = new AtomicReference<>();
    for (Statement<?> statement : statements) {
      var unused =
          executeAsync(statement)
              .whenComplete(
                  (result, failure) -> {
                    if (failure != null) {
                      failed.incrementAndGet();
                      first.compareAndSet(null, failure);
                    }
                    if (remaining.decrementAndGet() == 0) {
                      Throwable cause = first.get();
                      if (cause == null) {
                        done.complete(null);
                      } else {
                        done.completeExceptionally(
                            Failures.classify(
                                cause, writesFailed(doing, failed.get(), statements.size())));
                      }
                    }
                  });
    }
    return done;
  }

  /**
   * Sends {@code statement} once a permit is free, waiting for one on this thread.
   *
   * @throws InterruptedException if interrupted while waiting; nothing was sent then
   */
  public CompletableFuture<AsyncResultSet> execute(Statement<?> statement)
      throws InterruptedException {
    return permits.whenFree(() -> session.executeAsync(statement));
  }

  /** Sends {@code statement} once a permit is free, without blocking. */
  public CompletableFuture<AsyncResultSet> executeAsync(Statement<?> statement) {
    return permits.whenFreeAsync(() -> session.executeAsync(statement));
  }

  /**
   * Starts {@code operation} (requests that follow one another, such as the pages of one query)
   * once a permit is free, without blocking; it holds the permit until its stage completes.
   */
  public <T> CompletableFuture<T> runAsync(Supplier<? extends CompletionStage<T>> operation) {
    return permits.whenFreeAsync(operation);
  }

  private static String writesFailed(String doing, int failed, int total) {
    return doing
        + " ("
        + failed
        + " of "
        + total
        + " writes failed; the rest may be done, and doing it again is safe)";
  }
}
