package io.cursus.api.mapping.elsewhere;

import io.cursus.api.HandlesEventsFor;
import io.cursus.api.Initial;

/**
 * A family whose records its package keeps to itself, so the mapping cannot spin classes that call
 * their constructors and builds them through their shape's factory.
 */
@HandlesEventsFor("hidden")
public sealed interface HiddenEvent permits Opened, Noted {

  /** An opening by {@code by}, as code of another package can make one. */
  static HiddenEvent opened(String by, int times) {
    return new Opened(by, times);
  }
}

@Initial
record Opened(String by, int times) implements HiddenEvent {}

record Noted(String note) implements HiddenEvent {
  Noted {
    if (note.isBlank()) {
      throw new IllegalArgumentException("a note must say something");
    }
  }
}
