package io.cursus.api.projection;

import static java.util.Objects.requireNonNull;

import io.cursus.api.Event;

/**
 * One event as a {@link ProjectionSource} delivers it: the event, the partition it came from and
 * its offset there. After handling it, the projection's position in that partition is {@code offset
 * + 1}.
 */
public record Delivery(Event event, String partition, long offset) {

  public Delivery {
    requireNonNull(event, "event must not be null");
    requireNonNull(partition, "partition must not be null");
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative, was " + offset);
    }
  }
}
