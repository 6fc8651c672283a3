package io.cursus.api.store;

import io.cursus.api.Event;
import java.util.List;

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
}
