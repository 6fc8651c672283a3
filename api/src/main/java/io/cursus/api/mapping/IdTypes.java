package io.cursus.api.mapping;

import io.cursus.api.AggregateId;
import java.util.Set;
import java.util.UUID;

/** The Java types an aggregate id parameter may have, and conversion from the stored text. */
final class IdTypes {

  static final Set<Class<?>> SUPPORTED =
      Set.of(String.class, UUID.class, Long.class, long.class, Integer.class, int.class);

  private IdTypes() {}

  static boolean supported(Class<?> type) {
    return SUPPORTED.contains(type);
  }

  static Object fromText(AggregateId id, Class<?> type, String where) {
    try {
      return id.idAs(type);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }
}
