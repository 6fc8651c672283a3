package io.cursus.middleware.hazelcast;

import static java.util.Objects.requireNonNull;

import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.map.IMap;
import io.cursus.api.Event;
import io.cursus.api.NonTransientCursusException;
import io.cursus.api.TransientCursusException;
import io.cursus.middleware.IdempotencyFilter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A cluster-wide {@link IdempotencyFilter}: an {@link IMap} of {@linkplain
 * IdempotencyFilter#identityKey identity keys}, each entry living for the window. Producers on any
 * member (or client) of one Hazelcast cluster, using the same map name, let an event through once
 * between them: {@code putIfAbsent} is atomic on the key's partition owner.
 *
 * <pre>{@code
 * IdempotencyFilter filter =
 *     HazelcastIdempotencyFilter.using(hazelcast, "cursus-idempotency", Duration.ofMinutes(10));
 * }</pre>
 *
 * <p>Each test is one synchronous call (with the map's synchronous backup, if configured); calls
 * from several threads run in parallel. The map holds a {@code Long} (when the event was first
 * seen, epoch millis) per entry; bound its size with the map's eviction config if the window holds
 * more events than memory. A Hazelcast failure is a {@link TransientCursusException}; a shut-down
 * instance a {@link NonTransientCursusException}. Thread-safe.
 */
public final class HazelcastIdempotencyFilter implements IdempotencyFilter {

  private final IMap<String, Long> seen;
  private final long windowMillis;

  private HazelcastIdempotencyFilter(IMap<String, Long> seen, Duration window) {
    this.seen = requireNonNull(seen, "map must not be null");
    requireNonNull(window, "window must not be null");
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive, was " + window);
    }
    this.windowMillis = window.toMillis();
  }

  /** A filter over {@code map}; every entry it puts lives for {@code window}. */
  public static HazelcastIdempotencyFilter using(IMap<String, Long> map, Duration window) {
    return new HazelcastIdempotencyFilter(map, window);
  }

  /** A filter over the map {@code mapName} of {@code hazelcast} (a member or a client). */
  public static HazelcastIdempotencyFilter using(
      HazelcastInstance hazelcast, String mapName, Duration window) {
    requireNonNull(hazelcast, "hazelcast must not be null");
    return new HazelcastIdempotencyFilter(hazelcast.getMap(mapName), window);
  }

  @Override
  public boolean test(Event event) {
    String key = IdempotencyFilter.identityKey(requireNonNull(event, "event must not be null"));
    try {
      return seen.putIfAbsent(key, System.currentTimeMillis(), windowMillis, TimeUnit.MILLISECONDS)
          == null;
    } catch (HazelcastInstanceNotActiveException e) {
      throw new NonTransientCursusException(
          "Hazelcast instance of map "
              + seen.getName()
              + " is shut down; cannot go on checking "
              + event.identity(),
          e);
    } catch (HazelcastException e) {
      throw new TransientCursusException(
          "Hazelcast map " + seen.getName() + " failed while checking " + event.identity(), e);
    }
  }

  @Override
  public void forget(Event event) {
    String key = IdempotencyFilter.identityKey(requireNonNull(event, "event must not be null"));
    try {
      seen.delete(key);
    } catch (HazelcastInstanceNotActiveException e) {
      throw new NonTransientCursusException(
          "Hazelcast instance of map "
              + seen.getName()
              + " is shut down; cannot go on forgetting "
              + event.identity(),
          e);
    } catch (HazelcastException e) {
      throw new TransientCursusException(
          "Hazelcast map " + seen.getName() + " failed while forgetting " + event.identity(), e);
    }
  }

  @Override
  public String toString() {
    return "Hazelcast idempotency window of " + windowMillis + " ms in map " + seen.getName();
  }
}
