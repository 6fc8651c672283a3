package io.cursus.api.store;

import io.cursus.api.AggregateId;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Answers which aggregates have a parameter's latest value equal to a value: "parcels whose latest
 * {@code depotId} is Lewisham".
 *
 * <p>The latest value is the one carried by the event with the greatest stream timestamp that has
 * the parameter; an older event that arrives late never replaces it. Implementations are
 * thread-safe.
 */
public interface EventIndex {

  /**
   * The aggregates of {@code aggregateType} whose latest value of {@code parameter} is {@code
   * value}.
   */
  Set<AggregateId> find(String aggregateType, String parameter, Object value);

  /**
   * {@link #find} without blocking the caller where the index can (the Cassandra index reads
   * asynchronously; the default looks up on the calling thread). A failure completes the stage
   * exceptionally.
   */
  default CompletionStage<Set<AggregateId>> findAsync(
      String aggregateType, String parameter, Object value) {
    try {
      return CompletableFuture.completedFuture(find(aggregateType, parameter, value));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
