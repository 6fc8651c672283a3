package io.cursus.api.state;

import io.cursus.api.EventType;
import java.util.HashMap;
import java.util.Map;

/**
 * Handlers by event type, for loops over histories. Immutable and thread-safe; each loop takes a
 * {@link #lookup()} of its own.
 */
final class HandlerTable<H> {
  private static final int REMEMBERED = 8;

  private final Map<EventType, H> byType;

  HandlerTable(Map<EventType, H> byType) {
    // A HashMap: Map.copyOf's look-up divides by its table size, which showed per event.
    this.byType = new HashMap<>(byType);
  }

  /** A look-up for one loop over one history. */
  Lookup<H> lookup() {
    return new Lookup<>(byType);
  }

  /**
   * Remembers the last few type instances it was asked for. A history's events usually share a few
   * {@link EventType} instances, so comparing references finds most handlers without hashing the
   * type's three strings; an instance not seen yet is looked up in the map. Not thread-safe.
   */
  static final class Lookup<H> {
    private final Map<EventType, H> byType;
    private final EventType[] types = new EventType[REMEMBERED];
    private final Object[] handlers = new Object[REMEMBERED];
    private int next;

    private Lookup(Map<EventType, H> byType) {
      this.byType = byType;
    }

    /** The handler of {@code type}, or null. */
    // handlers[i] is byType's value (or null) for types[i]; types are compared by reference on
    // purpose (a history's events share their EventType), with byType's equals as the fallback
    @SuppressWarnings({"unchecked", "ReferenceEquality"})
    H get(EventType type) {
      for (int i = 0; i < REMEMBERED; i++) {
        if (types[i] == type) {
          return (H) handlers[i];
        }
      }
      H handler = byType.get(type);
      types[next] = type;
      handlers[next] = handler;
      next = (next + 1) % REMEMBERED;
      return handler;
    }
  }
}
