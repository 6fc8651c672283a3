package io.cursus.api.internal;

import io.cursus.api.EventCharacteristic;
import java.util.EnumSet;
import java.util.Set;

/**
 * Event characteristics as the bit mask stores keep: {@code INITIAL} is 1, {@code TERMINAL} is 2
 * (documented with the Cassandra schema, since the numbers are stored). Not public API.
 */
public final class CharacteristicBits {
  private static final int INITIAL = 1;
  private static final int TERMINAL = 2;
  private static final int KNOWN = INITIAL | TERMINAL;

  private CharacteristicBits() {}

  /** The characteristics as a bit mask. */
  public static int toMask(Set<EventCharacteristic> characteristics) {
    int mask = 0;
    for (EventCharacteristic c : characteristics) {
      mask |= bit(c);
    }
    return mask;
  }

  /**
   * The characteristics of a bit mask written by {@link #toMask}.
   *
   * @throws IllegalArgumentException if the mask has a bit no characteristic uses
   */
  public static Set<EventCharacteristic> fromMask(int mask) {
    if ((mask & ~KNOWN) != 0) {
      throw new IllegalArgumentException("unknown event characteristics in mask " + mask);
    }
    EnumSet<EventCharacteristic> set = EnumSet.noneOf(EventCharacteristic.class);
    for (EventCharacteristic c : EventCharacteristic.values()) {
      if ((mask & bit(c)) != 0) {
        set.add(c);
      }
    }
    return set;
  }

  private static int bit(EventCharacteristic characteristic) {
    return switch (characteristic) {
      case INITIAL -> INITIAL;
      case TERMINAL -> TERMINAL;
    };
  }
}
