package io.cursus.api.store;

import static java.util.Objects.requireNonNull;

import io.cursus.api.AggregateId;
import io.cursus.api.NonTransientCursusException;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * A conditional append found its condition false: the aggregate changed since the token (or already
 * had events), and nothing of the batch was written. Appending the same batch with the same
 * condition again cannot succeed, so it is not transient; read the history again (from {@link
 * #current()} on), decide again, and append with the new token. The message names the aggregate,
 * the condition and what changed.
 */
public final class AppendConflictException extends NonTransientCursusException {
  private static final long serialVersionUID = 1L;

  private final transient AggregateId aggregate;
  private final transient AppendCondition condition;
  private final transient ConsistencyToken current;
  private final long decisionsSince;
  private final boolean factsSince;
  private final Set<String> eventNames;

  /**
   * For store implementations: the append to {@code aggregate} under {@code condition} was refused;
   * the aggregate stands at {@code current}; since the condition's token (since the beginning for
   * {@link AppendCondition#noEventsYet()}) {@code decisionsSince} conditional appends and, if
   * {@code factsSince}, plain appends changed it, with events named {@code eventNames} (as far as
   * the store can tell; may be empty).
   */
  public AppendConflictException(
      AggregateId aggregate,
      AppendCondition condition,
      ConsistencyToken current,
      long decisionsSince,
      boolean factsSince,
      Set<String> eventNames) {
    super(message(aggregate, condition, decisionsSince, factsSince, eventNames), null);
    this.aggregate = requireNonNull(aggregate, "aggregate must not be null");
    this.condition = requireNonNull(condition, "condition must not be null");
    this.current = requireNonNull(current, "current token must not be null");
    this.decisionsSince = decisionsSince;
    this.factsSince = factsSince;
    this.eventNames = Collections.unmodifiableSet(new TreeSet<>(eventNames));
  }

  private static String message(
      AggregateId aggregate,
      AppendCondition condition,
      long decisionsSince,
      boolean factsSince,
      Set<String> eventNames) {
    StringBuilder m =
        new StringBuilder("conditional append to ")
            .append(aggregate)
            .append(" refused, nothing of the batch was written: '")
            .append(condition)
            .append("' is false; ")
            .append(
                condition.kind() == AppendCondition.Kind.NO_EVENTS_YET
                    ? "it already has "
                    : "since the token it got ");
    if (decisionsSince > 0) {
      m.append(decisionsSince).append(decisionsSince == 1 ? " decision" : " decisions");
      if (factsSince) {
        m.append(" and ");
      }
    }
    if (factsSince) {
      m.append("facts");
    }
    if (decisionsSince == 0 && !factsSince) {
      m.append("changes");
    }
    if (!eventNames.isEmpty()) {
      m.append(" (").append(String.join(", ", new TreeSet<>(eventNames))).append(')');
    }
    return m.toString();
  }

  public AggregateId aggregate() {
    return aggregate;
  }

  /** The condition that was false. */
  public AppendCondition condition() {
    return condition;
  }

  /** Where the aggregate stands now: read from here on, or use it after deciding again. */
  public ConsistencyToken current() {
    return current;
  }

  /** How many conditional appends changed the aggregate since the token. */
  public long decisionsSince() {
    return decisionsSince;
  }

  /** Whether plain appends (facts) changed the aggregate since the token. */
  public boolean factsSince() {
    return factsSince;
  }

  /** The names of the events appended since the token, as far as the store can tell. */
  public Set<String> eventNames() {
    return eventNames;
  }
}
