package io.cursus.api;

import static java.util.Objects.requireNonNull;

/**
 * What makes an event the same event: its aggregate and its stream timestamp.
 *
 * <p>Stores upsert by identity, so writing the same event twice keeps one copy.
 */
public record EventIdentity(AggregateId aggregateId, StreamTimestamp timestamp) {

  public EventIdentity {
    requireNonNull(aggregateId, "aggregate id must not be null");
    requireNonNull(timestamp, "stream timestamp must not be null");
  }

  @Override
  public String toString() {
    return aggregateId + "@" + timestamp;
  }
}
