package io.cursus.api;

import static java.util.Objects.requireNonNull;

import java.util.UUID;

/**
 * Names one aggregate: its type ({@code parcel}) and its id within that type.
 *
 * <p>Immutable and thread-safe. The id is kept as text; the factories take the id types an event
 * declaration may use (String, UUID, long or int) and store their text form, so passing anything
 * else (an {@code Instant}, another {@code AggregateId}) does not compile.
 */
public record AggregateId(String type, String id) implements Comparable<AggregateId> {

  public AggregateId {
    requireText(type, "aggregate type");
    requireNonNull(id, "aggregate id must not be null");
    if (id.isBlank()) {
      throw new IllegalArgumentException("aggregate id of type '" + type + "' must not be blank");
    }
  }

  /** The aggregate {@code id} of {@code type}. */
  public static AggregateId of(String type, String id) {
    requireNonNull(id, () -> "aggregate id of type '" + type + "' must not be null");
    return new AggregateId(type, id);
  }

  /** The aggregate {@code id} of {@code type}, kept as its text form. */
  public static AggregateId of(String type, UUID id) {
    requireNonNull(id, () -> "aggregate id of type '" + type + "' must not be null");
    return new AggregateId(type, id.toString());
  }

  /** The aggregate {@code id} of {@code type} (also for int ids), kept as its text form. */
  public static AggregateId of(String type, long id) {
    return new AggregateId(type, Long.toString(id));
  }

  /**
   * The id as a {@code type}: String, UUID, Long/long or Integer/int, the types an event
   * declaration may give its aggregate id.
   *
   * @throws IllegalArgumentException if the id is not a valid {@code type}, naming both
   */
  public Object idAs(Class<?> type) {
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
          "aggregate id '" + id + "' is not a valid " + type.getSimpleName(), e);
    }
    throw new IllegalArgumentException(
        "aggregate ids are String, UUID, long or int, not " + type.getName());
  }

  @Override
  public int compareTo(AggregateId other) {
    int byType = type.compareTo(other.type);
    return byType != 0 ? byType : id.compareTo(other.id);
  }

  @Override
  public String toString() {
    return type + "/" + id;
  }

  static void requireText(String value, String what) {
    requireNonNull(value, () -> what + " must not be null");
    if (value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
  }
}
