package io.cursus.api.evolution;

import io.cursus.api.Event;
import java.util.List;

/**
 * One step of an event's evolution: takes an event stored at version {@code n} to what it is at
 * version {@code n + 1}. Registered with {@link Upcasters.Builder#step}, which also says which
 * event names the step can produce, so that the chain is checked before any event is read.
 *
 * <p>The event given has the stored name and version; its parameter values are in their plain form
 * (strings, numbers, booleans, lists, maps and nulls as JSON reads them) when the store keeps text,
 * and the values as written in a store that keeps events (the in-memory one). The step returns the
 * events it becomes, any version (the registry sets {@code n + 1}): one for a change, none to drop
 * the event, several to split it. It must not have side effects: it runs on every read until the
 * stored events are rewritten. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Upcaster {

  /**
   * The events {@code event} becomes at the next version.
   *
   * @throws RuntimeException if the event cannot be upcast; the read then fails naming the event
   *     and the step
   */
  List<Event> upcast(Event event);
}
