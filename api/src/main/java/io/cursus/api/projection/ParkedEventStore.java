package io.cursus.api.projection;

import java.util.List;
import java.util.Optional;

/**
 * Keeps what projections parked ({@link ParkedEvent}), until it is redelivered ({@link
 * Projections#redeliver}) or the generation that parked it is replaced by a rebuild.
 *
 * <p>{@link #inMemory()} keeps them for the life of the object; a Cassandra table keeps them across
 * restarts. Implementations are thread-safe.
 */
public interface ParkedEventStore {

  /** A new, empty store that keeps parked events in memory. Thread-safe. */
  static ParkedEventStore inMemory() {
    return new InMemoryParkedEventStore();
  }

  /** Parks {@code parked}, replacing what projection and key already hold. */
  void park(ParkedEvent parked);

  /** What projection {@code projection} has parked, oldest first. */
  List<ParkedEvent> list(String projection);

  /** What projection {@code projection} parked under {@code key}, if anything. */
  default Optional<ParkedEvent> get(String projection, String key) {
    return list(projection).stream().filter(p -> p.key().equals(key)).findFirst();
  }

  /** Forgets what projection {@code projection} parked under {@code key}. */
  void remove(String projection, String key);
}
