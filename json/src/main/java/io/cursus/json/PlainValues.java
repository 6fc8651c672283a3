package io.cursus.json;

import io.cursus.api.mapping.EventValidator;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The values an upcaster hands back that are already exactly what reading their JSON as the
 * declared type would give: those are taken as they are, without writing them as JSON and reading
 * them again (which is what upcast events otherwise cost, two passes of JSON per parameter).
 *
 * <p>Only forms whose round trip is the identity are taken: a string for a String; an Integer or a
 * Long for a long, an Integer for an int; a Boolean for a boolean; a BigDecimal within the scale a
 * reader accepts for a BigDecimal; a UUID's canonical text (36 characters, hex digits and dashes
 * where they belong) for a UUID; and a value that is already an instance of a declared value type
 * (UUID, the java.time types, BigInteger, an enum). Anything else, null included, is {@link
 * #NOT_EXACT}: the caller reads it through JSON, with the checks and errors of a stored value.
 */
final class PlainValues {

  /** Not taken as it is: read it through JSON. */
  static final Object NOT_EXACT = new Object();

  private static final Set<Class<?>> VALUE_TYPES =
      Set.of(
          UUID.class,
          Instant.class,
          LocalDate.class,
          LocalDateTime.class,
          Duration.class,
          BigInteger.class);

  private PlainValues() {}

  /** {@code value} as a value of {@code declared}, or {@link #NOT_EXACT}. */
  static Object asDeclared(Type declared, @Nullable Object value) {
    if (value == null || !(declared instanceof Class<?> type)) {
      return NOT_EXACT;
    }
    if (type == String.class) {
      return value instanceof String ? value : NOT_EXACT;
    }
    if (type == long.class || type == Long.class) {
      return value instanceof Long || value instanceof Integer
          ? (Object) ((Number) value).longValue()
          : NOT_EXACT;
    }
    if (type == int.class || type == Integer.class) {
      return value instanceof Integer ? value : NOT_EXACT;
    }
    if (type == boolean.class || type == Boolean.class) {
      return value instanceof Boolean ? value : NOT_EXACT;
    }
    if (type == BigDecimal.class) {
      return value instanceof BigDecimal decimal
              && Math.abs((long) decimal.scale()) <= EventValidator.MAX_DECIMAL_SCALE
          ? value
          : NOT_EXACT;
    }
    if (type == UUID.class && value instanceof String text) {
      return isCanonicalUuid(text) ? UUID.fromString(text) : NOT_EXACT;
    }
    if (value.getClass() == type && (VALUE_TYPES.contains(type) || type.isEnum())) {
      return value;
    }
    return NOT_EXACT;
  }

  /** Whether {@code text} is 8-4-4-4-12 hex digits (either case), as Jackson reads a UUID. */
  static boolean isCanonicalUuid(String text) {
    if (text.length() != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = text.charAt(i);
      boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
      if (dash ? c != '-' : Character.digit(c, 16) < 0 || c > 'f') {
        return false;
      }
    }
    return true;
  }
}
