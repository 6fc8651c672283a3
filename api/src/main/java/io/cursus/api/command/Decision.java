package io.cursus.api.command;

import io.cursus.api.bus.EventBus;
import java.util.Optional;

/**
 * What a command decides from the current state of its aggregate: the events it emits into {@code
 * out} (with {@link EventBus.Batch#emitter} or {@link EventBus.Batch#dispatchTo}), or none to
 * decide nothing. Throw to refuse the command; nothing is appended then.
 *
 * <p>A {@link Decider} calls it again with the new state when another writer changed the aggregate
 * in between, so it must have no side effect but its events.
 *
 * @param <S> the state
 */
@FunctionalInterface
public interface Decision<S> {

  /**
   * Emits the events the command decides into {@code out}.
   *
   * @param state the aggregate's state; empty while it has no initial event
   */
  void decide(Optional<S> state, EventBus.Batch out);
}
