package io.cursus.middleware.hazelcast;

import static java.util.Objects.requireNonNull;

import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.map.IMap;
import com.hazelcast.nio.serialization.HazelcastSerializationException;
import io.cursus.api.CursusException;
import io.cursus.api.Event;
import io.cursus.api.NonTransientCursusException;
import io.cursus.api.TransientCursusException;
import io.cursus.middleware.IdempotencyFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

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
 * from several threads run in parallel. {@link #firstSightings} checks a whole batch in one round:
 * one entry processor over the batch's keys ({@link IMap#submitToKeys}), which does on each key
 * exactly what {@code putIfAbsent(key, now, window)} does (the first writer wins, the entry lives
 * for the window from then on) and runs one operation per partition, all at once. The members must
 * be able to load this class to run it: always so for embedded members; a client's cluster needs
 * {@code cursus-hazelcast} on the members' class path. If a member cannot load it, the filter logs
 * it once and checks batches with one {@code putIfAbsent} per event from then on. The map holds a
 * {@code Long} (when the event was first seen, epoch millis) per entry; bound its size with the
 * map's eviction config if the window holds more events than memory. A Hazelcast failure is a
 * {@link TransientCursusException}; a shut-down instance a {@link NonTransientCursusException}.
 * Thread-safe.
 */
public final class HazelcastIdempotencyFilter implements IdempotencyFilter {

  private static final Logger LOG = Logger.getLogger(HazelcastIdempotencyFilter.class.getName());

  private final IMap<String, Long> seen;
  private final long windowMillis;

  /** False once a member could not load {@code FirstWins}; then batches go key by key. */
  private volatile boolean entryProcessors = true;

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

  /**
   * The batch's first sightings, checked in one round (see the class comment). Of several events of
   * one identity in the batch only the first can pass, as with {@link #test} one by one. If
   * Hazelcast fails, the call cannot tell which keys it recorded, so every identity of the batch is
   * deleted again (as far as Hazelcast still answers) before the failure is thrown: nothing this
   * call may have recorded is dropped as a repeat on the retry; at worst an identity recorded
   * earlier is deleted with them and one repeat passes later, which the identity-keyed store
   * absorbs.
   */
  @Override
  public List<Event> firstSightings(List<Event> events) {
    requireNonNull(events, "events must not be null");
    if (!entryProcessors || events.size() < 2) {
      return IdempotencyFilter.super.firstSightings(events);
    }
    Map<String, Integer> firstIndex = new LinkedHashMap<>(events.size() * 2);
    for (int i = 0; i < events.size(); i++) {
      Event event = requireNonNull(events.get(i), "an event of the batch is null");
      firstIndex.putIfAbsent(IdempotencyFilter.identityKey(event), i);
    }
    Map<String, Boolean> passed;
    try {
      CompletionStage<Map<String, Boolean>> done =
          seen.submitToKeys(
              firstIndex.keySet(), new FirstWins(System.currentTimeMillis(), windowMillis));
      passed = done.toCompletableFuture().get();
    } catch (ExecutionException | RuntimeException e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      if (cause instanceof HazelcastSerializationException && entryProcessors) {
        entryProcessors = false;
        LOG.log(
            Level.WARNING,
            "a member of the cluster of map "
                + seen.getName()
                + " cannot run Cursus's idempotency entry processor (is cursus-hazelcast on the"
                + " members' class path?); checking batches with one putIfAbsent per event from"
                + " now on",
            cause);
        forgetKeysQuietly(List.copyOf(firstIndex.keySet()), null);
        return IdempotencyFilter.super.firstSightings(events);
      }
      CursusException failure = failure("checking a batch of " + events.size(), events, cause);
      forgetKeysQuietly(List.copyOf(firstIndex.keySet()), failure);
      throw failure;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      TransientCursusException failure =
          new TransientCursusException(
              "interrupted while checking a batch of "
                  + events.size()
                  + " events in Hazelcast map "
                  + seen.getName()
                  + ", starting with "
                  + events.get(0).identity(),
              e);
      forgetKeysQuietly(List.copyOf(firstIndex.keySet()), failure);
      throw failure;
    }
    List<Event> first = new ArrayList<>(firstIndex.size());
    for (Map.Entry<String, Integer> key : firstIndex.entrySet()) {
      if (Boolean.TRUE.equals(passed.get(key.getKey()))) {
        first.add(events.get(key.getValue()));
      }
    }
    return first; // in the batch's order: the keys are in the order of their first event
  }

  private static String keyOf(Event event) {
    return IdempotencyFilter.identityKey(event);
  }

  /** Forgets the batch in one round: a delete per identity, all at once. */
  @Override
  public void forgetAll(List<Event> events) {
    requireNonNull(events, "events must not be null");
    List<String> keys = new ArrayList<>(events.size());
    for (Event event : events) {
      keys.add(keyOf(requireNonNull(event, "an event of the batch is null")));
    }
    RuntimeException failure = forgetKeys(keys);
    if (failure != null) {
      throw failure(
          "forgetting a batch of " + events.size(),
          events,
          failure.getCause() != null ? failure.getCause() : failure);
    }
  }

  private void forgetKeysQuietly(List<String> keys, RuntimeException failure) {
    RuntimeException notForgotten = forgetKeys(keys);
    if (notForgotten != null && failure != null) {
      failure.addSuppressed(notForgotten);
    }
  }

  /** Deletes {@code keys} at once; the first failure (its cause kept), or null. */
  private RuntimeException forgetKeys(List<String> keys) {
    List<CompletionStage<Boolean>> deletes = new ArrayList<>(keys.size());
    RuntimeException failure = null;
    for (String key : keys) {
      try {
        deletes.add(seen.deleteAsync(key));
      } catch (RuntimeException e) {
        failure = failure == null ? new IllegalStateException(e.toString(), e) : failure;
      }
    }
    for (CompletionStage<Boolean> delete : deletes) {
      try {
        delete.toCompletableFuture().get();
      } catch (ExecutionException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        failure = failure == null ? new IllegalStateException(cause.toString(), cause) : failure;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure = failure == null ? new IllegalStateException(e.toString(), e) : failure;
      }
    }
    return failure;
  }

  private CursusException failure(String what, List<Event> events, Throwable cause) {
    String message =
        "Hazelcast map "
            + seen.getName()
            + " failed while "
            + what
            + " events, starting with "
            + events.get(0).identity();
    if (cause instanceof HazelcastInstanceNotActiveException) {
      return new NonTransientCursusException(
          "Hazelcast instance of map "
              + seen.getName()
              + " is shut down; cannot go on "
              + what
              + " events, starting with "
              + events.get(0).identity(),
          cause);
    }
    return new TransientCursusException(message, cause);
  }

  /**
   * {@code putIfAbsent(key, now, window)} as an entry processor: the first writer of a key wins and
   * its entry lives for the window; returns whether this call was the first. Runs on the key's
   * partition thread, so it is atomic with every other operation on the key, and again on the
   * backups.
   */
  static final class FirstWins implements EntryProcessor<String, Long, Boolean> {
    private static final long serialVersionUID = 1L;

    private final long now;
    private final long windowMillis;

    FirstWins(long now, long windowMillis) {
      this.now = now;
      this.windowMillis = windowMillis;
    }

    @Override
    public Boolean process(Map.Entry<String, Long> entry) {
      if (entry.getValue() != null) {
        return Boolean.FALSE;
      }
      ((ExtendedMapEntry<String, Long>) entry).setValue(now, windowMillis, TimeUnit.MILLISECONDS);
      return Boolean.TRUE;
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
