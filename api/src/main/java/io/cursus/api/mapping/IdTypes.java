package io.cursus.api.mapping;

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

  static Object fromText(String id, Class<?> type, String where) {
    try {
      if (type == String.class) {
        return id;
      } else if (type == UUID.class) {
        return UUID.fromString(id);
      } else if (type == Long.class || type == long.class) {
        return Long.parseLong(id);
      } else if (type == Integer.class || type == int.class) {
        return Integer.parseInt(id);
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          where + ": aggregate id '" + id + "' is not a valid " + type.getSimpleName(), e);
    }
    throw new IllegalStateException(where + ": unsupported id type " + type);
  }
}
