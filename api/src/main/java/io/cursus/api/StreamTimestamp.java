package io.cursus.api;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.CheckReturnValue;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * When an event happened (its event time) and which stream, or source, reported it.
 *
 * <p>Event time is kept to the millisecond, the precision every store keeps; finer digits are
 * dropped when the timestamp is made, so an event reads back exactly as it was written. The stream
 * id separates two events of one aggregate at the same instant. Timestamps order by event time,
 * then by stream id. Immutable and thread-safe.
 *
 * <p>The stream comes first wherever both are given, in the constructor as in {@link #of(String,
 * Instant)}: {@code StreamTimestamp.of("truck-7", at)}.
 */
@CheckReturnValue
public record StreamTimestamp(String streamId, Instant timestamp)
    implements Comparable<StreamTimestamp> {

  public StreamTimestamp {
    requireNonNull(streamId, "stream id must not be null (use \"\" for the default stream)");
    requireNonNull(timestamp, "event timestamp must not be null");
    timestamp = timestamp.truncatedTo(ChronoUnit.MILLIS);
  }

  /** {@code timestamp} reported by stream {@code streamId}. */
  public static StreamTimestamp of(String streamId, Instant timestamp) {
    return new StreamTimestamp(streamId, timestamp);
  }

  /** {@code timestamp} on the default (empty) stream. */
  public static StreamTimestamp of(Instant timestamp) {
    return new StreamTimestamp("", timestamp);
  }

  /** The current instant on stream {@code streamId}. */
  public static StreamTimestamp now(String streamId) {
    return new StreamTimestamp(streamId, Instant.now());
  }

  /** The same stream, {@code amount} of {@code unit} later. */
  public StreamTimestamp plus(long amount, ChronoUnit unit) {
    return new StreamTimestamp(streamId, timestamp.plus(amount, unit));
  }

  @Override
  public int compareTo(StreamTimestamp other) {
    // Written out rather than a Comparator chain: histories compare every pair of neighbours.
    int byTime = timestamp.compareTo(other.timestamp);
    return byTime != 0 ? byTime : streamId.compareTo(other.streamId);
  }

  @Override
  public String toString() {
    return streamId.isEmpty() ? timestamp.toString() : timestamp + "@" + streamId;
  }
}
