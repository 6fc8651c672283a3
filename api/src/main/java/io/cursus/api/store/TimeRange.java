package io.cursus.api.store;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.CheckReturnValue;
import java.time.Instant;
import java.util.Optional;

/**
 * A range of event times, each end open (unbounded), inclusive or exclusive.
 *
 * <pre>{@code
 * TimeRange.all()
 * TimeRange.from(monday).before(tuesday)      // [monday, tuesday)
 * TimeRange.after(monday).until(tuesday)      // (monday, tuesday]
 * }</pre>
 *
 * Immutable and thread-safe.
 */
@CheckReturnValue
public final class TimeRange {

  private static final TimeRange ALL = new TimeRange(null, null);

  private final Bound lower;
  private final Bound upper;

  private TimeRange(Bound lower, Bound upper) {
    if (lower != null && upper != null) {
      int c = lower.instant().compareTo(upper.instant());
      if (c > 0 || (c == 0 && !(lower.inclusive() && upper.inclusive()))) {
        throw new IllegalArgumentException(
            "empty time range: lower bound " + lower + " is not before upper bound " + upper);
      }
    }
    this.lower = lower;
    this.upper = upper;
  }

  /** Every event time. */
  public static TimeRange all() {
    return ALL;
  }

  /** From {@code instant}, inclusive. */
  public static TimeRange from(Instant instant) {
    return new TimeRange(Bound.inclusive(instant), null);
  }

  /** After {@code instant}, exclusive. */
  public static TimeRange after(Instant instant) {
    return new TimeRange(Bound.exclusive(instant), null);
  }

  /** Up to {@code instant}, inclusive. */
  public static TimeRange upTo(Instant instant) {
    return ALL.until(instant);
  }

  /** Before {@code instant}, exclusive. */
  public static TimeRange upToBefore(Instant instant) {
    return ALL.before(instant);
  }

  /** This range, ending at {@code instant} inclusive. */
  public TimeRange until(Instant instant) {
    return new TimeRange(lower, Bound.inclusive(instant));
  }

  /** This range, ending before {@code instant} (exclusive). */
  public TimeRange before(Instant instant) {
    return new TimeRange(lower, Bound.exclusive(instant));
  }

  public Optional<Bound> lower() {
    return Optional.ofNullable(lower);
  }

  public Optional<Bound> upper() {
    return Optional.ofNullable(upper);
  }

  public boolean isAll() {
    return lower == null && upper == null;
  }

  /** Whether {@code instant} lies in this range. */
  public boolean contains(Instant instant) {
    if (lower != null) {
      int c = instant.compareTo(lower.instant());
      if (c < 0 || (c == 0 && !lower.inclusive())) {
        return false;
      }
    }
    if (upper != null) {
      int c = instant.compareTo(upper.instant());
      return c < 0 || (c == 0 && upper.inclusive());
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TimeRange other
        && java.util.Objects.equals(lower, other.lower)
        && java.util.Objects.equals(upper, other.upper);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(lower, upper);
  }

  @Override
  public String toString() {
    return (lower == null ? "(-inf" : (lower.inclusive() ? "[" : "(") + lower.instant())
        + ", "
        + (upper == null ? "+inf)" : upper.instant() + (upper.inclusive() ? "]" : ")"));
  }

  /** One end of a range. */
  public record Bound(Instant instant, boolean inclusive) {
    public Bound {
      requireNonNull(instant, "bound instant must not be null");
    }

    public static Bound inclusive(Instant instant) {
      return new Bound(instant, true);
    }

    public static Bound exclusive(Instant instant) {
      return new Bound(instant, false);
    }
  }
}
