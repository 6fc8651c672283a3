package io.cursus.api.store;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Appends decisions: events written only if a condition on the aggregate's history holds, checked
 * and written atomically, with a {@link ConsistencyToken} back for the next decision or for reading
 * one's own writes. The role a store plays for commands ("redirect the parcel unless it was
 * delivered", "reserve the last slot"), beside the blind, idempotent {@link EventLog} it keeps for
 * facts.
 *
 * <pre>{@code
 * TokenedHistory read = store.historyWithToken(parcel, HistoryQuery.all());
 * // ... decide from read.events() ...
 * ConsistencyToken token =
 *     store.append(List.of(redirected), AppendCondition.noEventsSince(read.token(), "delivered"));
 * }</pre>
 *
 * <p>Contract every implementation keeps (the conformance suite {@code
 * ConditionalAppendConformance} checks it):
 *
 * <ul>
 *   <li>A conditional append writes the events of one aggregate. Its condition is checked and the
 *       events written as one atomic step per aggregate: of two appends racing on one condition,
 *       one wins and the other gets an {@link AppendConflictException}, and nothing of a refused
 *       batch is written.
 *   <li>Events are written as by {@link EventLog#append}: by identity, first capture wins, each
 *       stamped with a processing id unless it has one (so a caller that captured them first, with
 *       {@link Event#captured()}, knows their ids).
 *   <li>A token from another aggregate, or one ahead of everything the store has for its aggregate,
 *       is refused with an {@link IllegalArgumentException}.
 *   <li>Appending the same captured events again (the same processing ids), after they were
 *       appended on a condition and before any other conditional append, returns the token of that
 *       append instead of a conflict: retrying after a lost answer is safe.
 * </ul>
 *
 * <p>Implementations are thread-safe.
 */
public interface DecisionLog {

  /**
   * Writes {@code events}, all of one aggregate, if {@code condition} holds.
   *
   * @return the aggregate's token after the append
   * @throws AppendConflictException if the condition is false; nothing was written
   * @throws IllegalArgumentException if {@code events} is empty, holds a null or events of several
   *     aggregates, or the condition's token belongs to another aggregate or is ahead of the store;
   *     nothing was written
   */
  ConsistencyToken append(List<Event> events, AppendCondition condition);

  /** Writes one event if {@code condition} holds; see {@link #append(List, AppendCondition)}. */
  default ConsistencyToken append(Event event, AppendCondition condition) {
    return append(List.of(event), condition);
  }

  /**
   * {@link #append(List, AppendCondition)} without blocking the caller where the store can; the
   * default runs it on the calling thread. A failure, a conflict included, completes the stage
   * exceptionally.
   */
  default CompletionStage<ConsistencyToken> appendAsync(
      List<Event> events, AppendCondition condition) {
    try {
      return CompletableFuture.completedFuture(append(events, condition));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * The events of {@code aggregate} that {@code query} selects, with the aggregate's token as it
   * stood when the read began: decide from the events, then append with {@link
   * AppendCondition#unchangedSince} or {@link AppendCondition#noEventsSince} and this token.
   */
  TokenedHistory historyWithToken(AggregateId aggregate, HistoryQuery query);

  /**
   * As {@link #historyWithToken(AggregateId, HistoryQuery)}, read so that it contains at least what
   * {@code atLeast} stands for: read your own writes on a store whose replicas may lag. A token
   * from an append guarantees that append's events (where the query selects them); a token from a
   * read, a history at least as new as that read's. Waits a bounded time.
   *
   * @throws TokenNotReachedException if no such history could be read within the store's wait
   * @throws IllegalArgumentException if {@code atLeast} belongs to another aggregate, or is ahead
   *     of what the store can ever show (from another store)
   */
  TokenedHistory historyWithToken(
      AggregateId aggregate, HistoryQuery query, ConsistencyToken atLeast);
}
