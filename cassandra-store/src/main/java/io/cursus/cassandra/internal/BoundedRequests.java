package io.cursus.cassandra.internal;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Runs statements asynchronously with at most {@code maxInFlight} in flight for its owner (a store
 * or an index); a caller beyond that waits. There is no queue, so memory stays bounded.
 * Thread-safe.
 */
public final class BoundedRequests {

  private final CqlSession session;
  private final Semaphore inFlight;

  public BoundedRequests(CqlSession session, int maxInFlight) {
    this.session = session;
    this.inFlight = new Semaphore(maxInFlight);
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
        inFlight.acquire();
        CompletableFuture<AsyncResultSet> future;
        try {
          future = session.executeAsync(statement).toCompletableFuture();
        } catch (RuntimeException e) {
          inFlight.release();
          throw e;
        }
        var unused = future.whenComplete((result, failure) -> inFlight.release());
        pending.add(future);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Failures.transientFailure(
          "interrupted while " + doing + "; some writes may be done, and doing it again is safe",
          e);
    }
    Throwable first = null;
    int failed = 0;
    for (CompletableFuture<AsyncResultSet> future : pending) {
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
          doing
              + " ("
              + failed
              + " of "
              + statements.size()
              + " writes failed; the rest may be done, and doing it again is safe)");
    }
  }
}
