package io.cursus.middleware;

import io.cursus.api.Event;
import io.cursus.middleware.internal.InMemoryIdempotencyFilter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Lets an event through the first time its {@linkplain Event#identity() identity} is seen within a
 * time window, and drops repeats. A filter narrows duplicates cheaply before they reach Kafka or a
 * store; it is not what makes storage exactly once (stores upsert by identity), so a filter that
 * forgets early (a full window, an expired entry, a lost cache node) costs work, never correctness.
 *
 * <p>Use it with {@link Pipeline#deduplicate}, which checks a whole batch with {@link
 * #firstSightings} and {@linkplain #forgetAll forgets} the identities of a batch that a later stage
 * failed on, so the caller's retry is not dropped as a repeat. Implementations are thread-safe.
 */
public interface IdempotencyFilter extends Predicate<Event> {

  /**
   * Whether {@code event} is seen for the first time within the window; records it as seen.
   *
   * @throws io.cursus.api.CursusException if the backing store fails
   */
  @Override
  boolean test(Event event);

  /** Forgets {@code event}'s identity, so that it passes again. */
  void forget(Event event);

  /**
   * The events of {@code events} seen for the first time, in their order, as {@link #test} would
   * let them through one by one: of several events of one identity in the list only the first can
   * pass. Records them all as seen. An implementation that talks to a remote store checks the whole
   * list in one round instead of one round per event; this default calls {@link #test} per event.
   *
   * <p>If the check fails part-way, the identities this call recorded are {@linkplain #forget
   * forgotten} again (as far as the backing store still answers) before the failure is thrown, so
   * that a retry of the same events is not dropped as repeats.
   *
   * @throws io.cursus.api.CursusException if the backing store fails
   */
  default List<Event> firstSightings(List<Event> events) {
    List<Event> passed = new ArrayList<>(events.size());
    for (Event event : events) {
      try {
        if (test(event)) {
          passed.add(event);
        }
      } catch (RuntimeException e) {
        try {
          forgetAll(passed);
        } catch (RuntimeException notForgotten) {
          e.addSuppressed(notForgotten);
        }
        throw e;
      }
    }
    return passed;
  }

  /**
   * Forgets the identities of {@code events}, so that they pass again. Tries every event; if some
   * could not be forgotten, throws the first failure with the others suppressed.
   */
  default void forgetAll(List<Event> events) {
    RuntimeException failure = null;
    for (Event event : events) {
      try {
        forget(event);
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * An in-process filter remembering at most {@code maxEntries} identities, each for {@code
   * window}; beyond {@code maxEntries} the oldest are forgotten first.
   */
  static IdempotencyFilter inMemory(int maxEntries, Duration window) {
    return inMemory(maxEntries, window, Clock.systemUTC());
  }

  /** {@link #inMemory(int, Duration)} with the time taken from {@code clock} (for tests). */
  static IdempotencyFilter inMemory(int maxEntries, Duration window, Clock clock) {
    return new InMemoryIdempotencyFilter(maxEntries, window, clock);
  }

  /**
   * A stable text form of {@code event}'s identity: aggregate type, aggregate id, event time in
   * epoch milliseconds and stream id. Separators inside the parts are escaped, so two different
   * identities never have the same key.
   */
  static String identityKey(Event event) {
    StringBuilder key = new StringBuilder(64);
    escape(key, event.aggregateId().type()).append('|');
    escape(key, event.aggregateId().id()).append('|');
    key.append(event.eventTime().toEpochMilli()).append('|');
    escape(key, event.timestamp().streamId());
    return key.toString();
  }

  private static StringBuilder escape(StringBuilder key, String part) {
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      if (c == '|' || c == '\\') {
        key.append('\\');
      }
      key.append(c);
    }
    return key;
  }
}
