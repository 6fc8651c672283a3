package io.cursus.api;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.CheckReturnValue;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * An immutable fact that happened to one aggregate.
 *
 * <p>An event has an {@linkplain #identity() identity} (aggregate and stream timestamp), a {@link
 * EventType type}, {@link Parameters parameters} in declared order, {@link EventCharacteristic
 * characteristics}, and, once captured, a processing id: a time-based UUID recording when Cursus
 * learned of it.
 *
 * <p>Two events are equal when they state the same fact: same identity, type, parameters and
 * characteristics. The processing id is metadata about our knowledge of the fact and does not take
 * part in equality. Immutable and thread-safe.
 */
@CheckReturnValue
public final class Event {

  private final AggregateId aggregateId;
  private final StreamTimestamp timestamp;
  private final EventType type;
  private final Parameters parameters;
  private final Set<EventCharacteristic> characteristics;
  private final UUID processingId;
  // The event time in milliseconds (saturated beyond a long's range), read with the fields above:
  // ordering a history then reads no timestamp where two events' milliseconds differ.
  private final long timeMillis;

  private Event(
      AggregateId aggregateId,
      StreamTimestamp timestamp,
      EventType type,
      Parameters parameters,
      Set<EventCharacteristic> characteristics,
      UUID processingId) {
    this.aggregateId = requireNonNull(aggregateId, "aggregate id must not be null");
    this.timestamp = requireNonNull(timestamp, "stream timestamp must not be null");
    this.type = requireNonNull(type, "event type must not be null");
    this.parameters = requireNonNull(parameters, "parameters must not be null");
    requireNonNull(characteristics, "characteristics must not be null");
    this.characteristics =
        characteristics.isEmpty()
            ? Collections.emptySet()
            : Collections.unmodifiableSet(EnumSet.copyOf(characteristics));
    if (!type.aggregateType().equals(aggregateId.type())) {
      throw new IllegalArgumentException(
          "event type "
              + type
              + " belongs to aggregate type '"
              + type.aggregateType()
              + "' but the event is for "
              + aggregateId);
    }
    if (processingId != null && processingId.version() != 1) {
      throw new IllegalArgumentException(
          "processing id " + processingId + " of " + type + " is not a time-based UUID");
    }
    this.processingId = processingId;
    this.timeMillis = millis(timestamp.timestamp());
  }

  private static long millis(Instant instant) {
    try {
      return instant.toEpochMilli();
    } catch (ArithmeticException e) {
      // Instants this far out keep their order among the others; among themselves the
      // timestamps are compared.
      return instant.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  /**
   * Orders {@code a} and {@code b} as their {@linkplain #timestamp() stream timestamps} do ({@link
   * StreamTimestamp#compareTo}): by event time, then by stream id. For code that orders or checks
   * the order of many events: an event keeps its time in milliseconds, so two events of different
   * milliseconds are compared without reading their timestamps.
   */
  public static int compareTimestamps(Event a, Event b) {
    if (a.timeMillis != b.timeMillis) {
      return a.timeMillis < b.timeMillis ? -1 : 1;
    }
    return a.timestamp.compareTo(b.timestamp);
  }

  /** A new, not yet captured event (no processing id). */
  public static Event of(
      AggregateId aggregateId,
      StreamTimestamp timestamp,
      EventType type,
      Parameters parameters,
      Set<EventCharacteristic> characteristics) {
    return new Event(aggregateId, timestamp, type, parameters, characteristics, null);
  }

  /** A new, not yet captured event without characteristics. */
  public static Event of(
      AggregateId aggregateId, StreamTimestamp timestamp, EventType type, Parameters parameters) {
    return of(aggregateId, timestamp, type, parameters, Set.of());
  }

  public AggregateId aggregateId() {
    return aggregateId;
  }

  public StreamTimestamp timestamp() {
    return timestamp;
  }

  /** The event time: when it happened, according to its source. */
  public Instant eventTime() {
    return timestamp.timestamp();
  }

  public EventType type() {
    return type;
  }

  public Parameters parameters() {
    return parameters;
  }

  public Set<EventCharacteristic> characteristics() {
    return characteristics;
  }

  public boolean isInitial() {
    return characteristics.contains(EventCharacteristic.INITIAL);
  }

  public boolean isTerminal() {
    return characteristics.contains(EventCharacteristic.TERMINAL);
  }

  public EventIdentity identity() {
    return new EventIdentity(aggregateId, timestamp);
  }

  /** The processing id, if the event has been captured. */
  public Optional<UUID> processingId() {
    return Optional.ofNullable(processingId);
  }

  /** When Cursus learned of the event, if it has been captured. */
  public Optional<Instant> processingTime() {
    return processingId().map(ProcessingIds::instantOf);
  }

  /** This event with {@code processingId}. */
  public Event withProcessingId(UUID processingId) {
    requireNonNull(processingId, "processing id must not be null");
    return new Event(aggregateId, timestamp, type, parameters, characteristics, processingId);
  }

  /** This event, stamped with a new processing id unless it already has one. */
  public Event captured() {
    return processingId != null ? this : withProcessingId(ProcessingIds.next());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Event other
        && aggregateId.equals(other.aggregateId)
        && timestamp.equals(other.timestamp)
        && type.equals(other.type)
        && parameters.equals(other.parameters)
        && characteristics.equals(other.characteristics);
  }

  @Override
  public int hashCode() {
    return Objects.hash(aggregateId, timestamp, type, parameters);
  }

  @Override
  public String toString() {
    StringBuilder s =
        new StringBuilder()
            .append(type.name())
            .append('_')
            .append(type.version())
            .append(' ')
            .append(aggregateId)
            .append(" at ")
            .append(timestamp)
            .append(' ')
            .append(parameters);
    if (!characteristics.isEmpty()) {
      s.append(' ').append(characteristics);
    }
    if (processingId != null) {
      s.append(" (processed ").append(ProcessingIds.instantOf(processingId)).append(')');
    }
    return s.toString();
  }
}
