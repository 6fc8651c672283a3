package io.cursus.api.store;

import io.cursus.api.Event;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Writes events. The role a store plays for the write side.
 *
 * <p>Contract every implementation keeps (the store conformance suite in {@code cursus-testkit}
 * checks it):
 *
 * <ul>
 *   <li>Writes are keyed by {@linkplain Event#identity() identity}: writing an event whose identity
 *       is already stored keeps one copy, and the first capture wins: of two copies, the one with
 *       the earlier processing id stays, whatever order they are written in (so a redelivery leaves
 *       the stored event, and its processing id, as they were).
 *   <li>An event without a processing id is stamped with one when it is written.
 *   <li>Events may arrive in any order; each lands in its place in time.
 *   <li>A failure of the store is a {@link io.cursus.api.CursusException} saying whether a retry
 *       can help; retrying a whole batch is always safe, since writes are idempotent.
 * </ul>
 *
 * <p>Implementations are thread-safe.
 */
public interface EventLog {

  /**
   * Writes {@code events}, returning when they are durable to the store's own standard.
   *
   * @throws IllegalArgumentException if an event is null; nothing of the batch is written then
   */
  void append(List<Event> events);

  /** Writes one event; see {@link #append(List)}. */
  default void append(Event event) {
    append(List.of(event));
  }

  /**
   * Writes {@code events} without blocking the caller where the store can: the stage completes when
   * {@link #append(List)} would have returned, or exceptionally with what it would have thrown. The
   * Cassandra store sends its writes asynchronously; the default runs {@link #append(List)} on the
   * calling thread (right for the in-memory store, which never waits).
   */
  default CompletionStage<Void> appendAsync(List<Event> events) {
    try {
      append(events);
      return CompletableFuture.completedFuture(null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
