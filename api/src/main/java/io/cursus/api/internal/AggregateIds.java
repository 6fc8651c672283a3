package io.cursus.api.internal;

import static java.util.Objects.requireNonNull;

import io.cursus.api.AggregateId;
import java.util.UUID;

/**
 * Aggregate ids from values whose type is only known at run time (an emitter's argument, a typed
 * family's id), for the mapping core and the modules built on it. Not public API.
 */
public final class AggregateIds {
  private AggregateIds() {}

  /**
   * The aggregate {@code id} of {@code type}.
   *
   * @throws IllegalArgumentException if {@code id} is not a String, UUID, Long or Integer, naming
   *     its class
   */
  public static AggregateId of(String type, Object id) {
    requireNonNull(id, () -> "aggregate id of type '" + type + "' must not be null");
    if (id instanceof String text) {
      return AggregateId.of(type, text);
    } else if (id instanceof UUID uuid) {
      return AggregateId.of(type, uuid);
    } else if (id instanceof Long || id instanceof Integer) {
      return AggregateId.of(type, ((Number) id).longValue());
    }
    throw new IllegalArgumentException(
        "aggregate id of type '"
            + type
            + "' must be a String, UUID, long or int, was a "
            + id.getClass().getName());
  }
}
