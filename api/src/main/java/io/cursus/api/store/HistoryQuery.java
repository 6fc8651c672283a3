package io.cursus.api.store;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.CheckReturnValue;
import io.cursus.api.Event;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;

/**
 * Which part of a history to read, and in which order: a {@link TimeRange} of event times, an
 * {@link HistoryOrder}, and optionally a processing time to read the history "as known at".
 *
 * <pre>{@code
 * HistoryQuery.all()                                   // everything, oldest first
 * HistoryQuery.within(TimeRange.from(monday)).descending()
 * HistoryQuery.all().asKnownAt(yesterday)              // what we knew yesterday
 * }</pre>
 *
 * Immutable and thread-safe.
 */
@CheckReturnValue
public final class HistoryQuery {

  private static final HistoryQuery ALL =
      new HistoryQuery(TimeRange.all(), HistoryOrder.ASCENDING, null);

  /** Ascending order by event time, then stream id (see {@link Event#compareTimestamps}). */
  public static final Comparator<Event> EVENT_TIME_ORDER = Event::compareTimestamps;

  private final TimeRange range;
  private final HistoryOrder order;
  private final Instant knownAt;

  private HistoryQuery(TimeRange range, HistoryOrder order, Instant knownAt) {
    this.range = requireNonNull(range, "time range must not be null");
    this.order = requireNonNull(order, "order must not be null");
    this.knownAt = knownAt;
  }

  /** The whole history, oldest first, as known now. */
  public static HistoryQuery all() {
    return ALL;
  }

  /** The events in {@code range}, oldest first. */
  public static HistoryQuery within(TimeRange range) {
    return new HistoryQuery(range, HistoryOrder.ASCENDING, null);
  }

  /** This query, oldest first. */
  public HistoryQuery ascending() {
    return new HistoryQuery(range, HistoryOrder.ASCENDING, knownAt);
  }

  /** This query, newest first. */
  public HistoryQuery descending() {
    return new HistoryQuery(range, HistoryOrder.DESCENDING, knownAt);
  }

  /** This query in {@code order}. */
  public HistoryQuery withOrder(HistoryOrder order) {
    return new HistoryQuery(range, order, knownAt);
  }

  /** This query restricted to {@code range} (replacing its range). */
  public HistoryQuery withRange(TimeRange range) {
    return new HistoryQuery(range, order, knownAt);
  }

  /**
   * Only events captured at or before {@code processingTime}: the history as it was known then.
   * Events that have no processing id are treated as known.
   */
  public HistoryQuery asKnownAt(Instant processingTime) {
    return new HistoryQuery(
        range, order, requireNonNull(processingTime, "processing time must not be null"));
  }

  public TimeRange range() {
    return range;
  }

  public HistoryOrder order() {
    return order;
  }

  public Optional<Instant> knownAt() {
    return Optional.ofNullable(knownAt);
  }

  /** The comparator of this query's order. */
  public Comparator<Event> comparator() {
    return order == HistoryOrder.ASCENDING ? EVENT_TIME_ORDER : EVENT_TIME_ORDER.reversed();
  }

  /** Whether {@code event} belongs to the answer (its time is in range and it was known). */
  public boolean matches(Event event) {
    if (!range.contains(event.eventTime())) {
      return false;
    }
    if (knownAt == null) {
      return true;
    }
    return event.processingTime().map(t -> !t.isAfter(knownAt)).orElse(true);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HistoryQuery other
        && range.equals(other.range)
        && order == other.order
        && java.util.Objects.equals(knownAt, other.knownAt);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(range, order, knownAt);
  }

  @Override
  public String toString() {
    return "history " + range + " " + order + (knownAt == null ? "" : " as known at " + knownAt);
  }
}
