package io.cursus.api.mapping;

import io.cursus.api.Event;
import java.util.function.Consumer;

/**
 * Delivers events to a handler: an implementation of an event interface, or a function of typed
 * events.
 *
 * <p>Events the handler does not declare (other aggregate types, other names or versions) are
 * passed over: {@link #dispatch} returns {@code false} for them. What a handler method throws
 * reaches the caller unchanged if unchecked, wrapped in {@link EventHandlingException} if checked.
 * Thread-safe if the handler is.
 */
public interface EventDispatcher extends Consumer<Event> {

  /**
   * Delivers {@code event} if the handler declares its type.
   *
   * @return whether the handler declares the event's type and received it
   * @throws IllegalArgumentException if the event's parameters do not match the declaration
   */
  boolean dispatch(Event event);

  @Override
  default void accept(Event event) {
    dispatch(event);
  }

  /** A dispatcher that refuses events the handler does not declare, naming the event. */
  default Consumer<Event> strict() {
    return event -> {
      if (!dispatch(event)) {
        throw new IllegalArgumentException("no handler method for " + event);
      }
    };
  }
}
