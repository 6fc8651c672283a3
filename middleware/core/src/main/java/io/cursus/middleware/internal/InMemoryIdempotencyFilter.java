package io.cursus.middleware.internal;

import static java.util.Objects.requireNonNull;

import io.cursus.api.Event;
import io.cursus.middleware.IdempotencyFilter;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An {@link IdempotencyFilter} in a bounded, insertion-ordered map of identity keys to the instant
 * they leave the window. Thread-safe (one lock; each call is a few map operations).
 */
public final class InMemoryIdempotencyFilter implements IdempotencyFilter {

  private final int maxEntries;
  private final long windowMillis;
  private final Clock clock;
  private final LinkedHashMap<String, Long> expiries = new LinkedHashMap<>();

  public InMemoryIdempotencyFilter(int maxEntries, Duration window, Clock clock) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("max entries must be at least 1, was " + maxEntries);
    }
    requireNonNull(window, "window must not be null");
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive, was " + window);
    }
    this.maxEntries = maxEntries;
    this.windowMillis = window.toMillis();
    this.clock = requireNonNull(clock, "clock must not be null");
  }

  @Override
  public boolean test(Event event) {
    String key = IdempotencyFilter.identityKey(requireNonNull(event, "event must not be null"));
    long now = clock.millis();
    synchronized (expiries) {
      expireUpTo(now);
      Long expiry = expiries.get(key);
      if (expiry != null && expiry > now) {
        return false;
      }
      expiries.remove(key); // re-inserted at the young end
      expiries.put(key, now + windowMillis);
      while (expiries.size() > maxEntries) {
        Iterator<String> oldest = expiries.keySet().iterator();
        oldest.next();
        oldest.remove();
      }
      return true;
    }
  }

  @Override
  public void forget(Event event) {
    String key = IdempotencyFilter.identityKey(requireNonNull(event, "event must not be null"));
    synchronized (expiries) {
      expiries.remove(key);
    }
  }

  /** How many identities are remembered now. */
  public int size() {
    synchronized (expiries) {
      expireUpTo(clock.millis());
      return expiries.size();
    }
  }

  // Entries are in insertion order and every entry lives for the same window, so expiries grow
  // along the map (unless the clock went back; then an entry lives a little longer, which is safe).
  private void expireUpTo(long now) {
    Iterator<Map.Entry<String, Long>> entries = expiries.entrySet().iterator();
    while (entries.hasNext()) {
      if (entries.next().getValue() > now) {
        return;
      }
      entries.remove();
    }
  }

  @Override
  public String toString() {
    return "in-memory idempotency window of " + windowMillis + " ms, at most " + maxEntries;
  }
}
