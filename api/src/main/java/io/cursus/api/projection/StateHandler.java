package io.cursus.api.projection;

/**
 * Receives, for every aggregate a batch touched, its state recomputed from its whole history in
 * event-time order: {@code (parcelId, state) -> board.put(parcelId, state.location())}.
 *
 * <p>Each call carries the aggregate's complete state, so a handler upserts it into a view keyed by
 * the id; repeating a call is harmless, and an event that arrives late (earlier in event time than
 * events already projected) yields the corrected state by construction. The calls of one projection
 * come from one thread at a time.
 *
 * @param <I> the aggregate id type (String, UUID, Long or Integer, or {@link
 *     io.cursus.api.AggregateId})
 * @param <S> the state type
 */
@FunctionalInterface
public interface StateHandler<I, S> {

  /** The state of aggregate {@code id} after every event known of it so far. */
  void update(I id, S state);

  /**
   * Called instead of {@link #update} when aggregate {@code id} has events but no state: none of
   * them is an initial event yet (a truck's report that arrived before the depot's). A state never
   * goes away once it exists, since events are never removed. Does nothing by default.
   */
  default void noState(I id) {}
}
