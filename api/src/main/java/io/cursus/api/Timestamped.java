package io.cursus.api;

import static java.util.Objects.requireNonNull;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A typed event (a record, a Kotlin data class) with the stream timestamp at which it happened, and
 * the processing id once it has been captured.
 *
 * <p>Immutable and thread-safe if the event is. Equality ignores the processing id, as {@link
 * Event}'s does.
 *
 * @param <E> the event's declared type
 */
public final class Timestamped<E> implements Comparable<Timestamped<?>> {

  private final StreamTimestamp timestamp;
  private final E event;
  private final UUID processingId;

  private Timestamped(StreamTimestamp timestamp, E event, UUID processingId) {
    this.timestamp = requireNonNull(timestamp, "stream timestamp must not be null");
    this.event = requireNonNull(event, "event must not be null");
    this.processingId = processingId;
  }

  public static <E> Timestamped<E> of(StreamTimestamp timestamp, E event) {
    return new Timestamped<>(timestamp, event, null);
  }

  public static <E> Timestamped<E> of(
      StreamTimestamp timestamp, E event, @Nullable UUID processingId) {
    return new Timestamped<>(timestamp, event, processingId);
  }

  public StreamTimestamp timestamp() {
    return timestamp;
  }

  public E event() {
    return event;
  }

  public Optional<UUID> processingId() {
    return Optional.ofNullable(processingId);
  }

  @Override
  public int compareTo(Timestamped<?> other) {
    return timestamp.compareTo(other.timestamp);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Timestamped<?> other
        && timestamp.equals(other.timestamp)
        && event.equals(other.event);
  }

  @Override
  public int hashCode() {
    return Objects.hash(timestamp, event);
  }

  @Override
  public String toString() {
    return event + " at " + timestamp;
  }
}
