package io.cursus.api;

import java.util.EnumSet;
import java.util.Set;

/** Flags that say what an event does to the life of its aggregate. */
public enum EventCharacteristic {
  /** The event creates the aggregate; a state class builds its first state from it. */
  INITIAL(1),
  /** The event ends the aggregate's life. */
  TERMINAL(2);

  private final int bit;

  EventCharacteristic(int bit) {
    this.bit = bit;
  }

  /** The characteristics as a bit mask, the form stores keep. */
  public static int toMask(Set<EventCharacteristic> characteristics) {
    int mask = 0;
    for (EventCharacteristic c : characteristics) {
      mask |= c.bit;
    }
    return mask;
  }

  /** The characteristics of a bit mask written by {@link #toMask}. */
  public static Set<EventCharacteristic> fromMask(int mask) {
    if ((mask & ~3) != 0) {
      throw new IllegalArgumentException("unknown event characteristics in mask " + mask);
    }
    EnumSet<EventCharacteristic> set = EnumSet.noneOf(EventCharacteristic.class);
    for (EventCharacteristic c : values()) {
      if ((mask & c.bit) != 0) {
        set.add(c);
      }
    }
    return set;
  }
}
