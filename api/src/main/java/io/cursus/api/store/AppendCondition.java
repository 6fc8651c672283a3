package io.cursus.api.store;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.CheckReturnValue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * What must hold for a {@link DecisionLog#append(java.util.List, AppendCondition) conditional
 * append} to write its events; checked and written atomically, per aggregate.
 *
 * <pre>{@code
 * AppendCondition.noEventsYet()                          // create: the aggregate is new
 * AppendCondition.unchangedSince(token)                  // nothing at all was appended since
 * AppendCondition.noEventsSince(token, "delivered")      // no "delivered" was appended since
 * AppendCondition.none()                                 // write anyway, but get a token back
 * }</pre>
 *
 * <p>"Since the token" means appended after the token was taken, whatever the events' times: a late
 * event, whose event time lies before every event the token saw, is a change since the token all
 * the same. Events written by plain {@link EventLog#append appends} count as well as conditional
 * ones (see each store for how exactly it counts them). Immutable and thread-safe.
 */
@CheckReturnValue
public final class AppendCondition {

  /** The kinds of condition. */
  public enum Kind {
    /** No condition: the events are written as a plain append would write them. */
    NONE,
    /** The aggregate has no events yet. */
    NO_EVENTS_YET,
    /** No event of the aggregate was appended since the token. */
    UNCHANGED_SINCE,
    /** No event with one of the given names was appended since the token. */
    NO_EVENTS_NAMED_SINCE
  }

  private static final AppendCondition NONE =
      new AppendCondition(Kind.NONE, null, Collections.emptySet());
  private static final AppendCondition NO_EVENTS_YET =
      new AppendCondition(Kind.NO_EVENTS_YET, null, Collections.emptySet());

  private final Kind kind;
  private final @Nullable ConsistencyToken token;
  private final Set<String> eventNames;

  private AppendCondition(Kind kind, @Nullable ConsistencyToken token, Set<String> eventNames) {
    this.kind = kind;
    this.token = token;
    this.eventNames = eventNames;
  }

  /**
   * No condition. The events are written as by a plain append (a fact, not a decision: it takes no
   * lock and never conflicts), and the token returned counts them, for reading them back.
   */
  public static AppendCondition none() {
    return NONE;
  }

  /** The aggregate has no events at all yet, written by any append. */
  public static AppendCondition noEventsYet() {
    return NO_EVENTS_YET;
  }

  /** No event was appended to the aggregate since {@code token} was taken. */
  public static AppendCondition unchangedSince(ConsistencyToken token) {
    return new AppendCondition(
        Kind.UNCHANGED_SINCE,
        requireNonNull(token, "token must not be null"),
        Collections.emptySet());
  }

  /**
   * No event named {@code eventName} (or one of {@code more}), of any version, was appended to the
   * aggregate since {@code token} was taken; events of other names may have been.
   */
  public static AppendCondition noEventsSince(
      ConsistencyToken token, String eventName, String... more) {
    List<String> names = new ArrayList<>(1 + more.length);
    names.add(eventName);
    Collections.addAll(names, more);
    return noEventsSince(token, names);
  }

  /** As {@link #noEventsSince(ConsistencyToken, String, String...)}, for a collection of names. */
  public static AppendCondition noEventsSince(
      ConsistencyToken token, Collection<String> eventNames) {
    requireNonNull(token, "token must not be null");
    requireNonNull(eventNames, "event names must not be null");
    if (eventNames.isEmpty()) {
      throw new IllegalArgumentException(
          "noEventsSince needs at least one event name; use unchangedSince for any event");
    }
    Set<String> names = new TreeSet<>();
    for (String name : eventNames) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException(
            "event names must not be null or blank, were " + eventNames);
      }
      names.add(name);
    }
    return new AppendCondition(
        Kind.NO_EVENTS_NAMED_SINCE, token, Collections.unmodifiableSet(names));
  }

  public Kind kind() {
    return kind;
  }

  /**
   * The token the condition compares with; empty for {@link #none()} and {@link #noEventsYet()}.
   */
  public Optional<ConsistencyToken> token() {
    return Optional.ofNullable(token);
  }

  /** The event names of {@link #noEventsSince}, sorted; empty for the other kinds. */
  public Set<String> eventNames() {
    return eventNames;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof AppendCondition other
        && kind == other.kind
        && java.util.Objects.equals(token, other.token)
        && eventNames.equals(other.eventNames);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(kind, token, eventNames);
  }

  @Override
  public String toString() {
    return switch (kind) {
      case NONE -> "no condition";
      case NO_EVENTS_YET -> "no events yet";
      case UNCHANGED_SINCE -> "unchanged since " + token;
      case NO_EVENTS_NAMED_SINCE -> "no " + String.join(" or ", eventNames) + " since " + token;
    };
  }
}
