package io.cursus.api.projection;

import java.util.Optional;

/**
 * Keeps the {@link Checkpoint} of each projection, so that a projection restarted, in this process
 * or another, resumes where it was.
 *
 * <p>Keys are projection names, and {@code name#rebuild} for a rebuild in progress. {@link #save}
 * merges positions partition by partition: a partition the saved checkpoint does not name keeps the
 * offset stored for it, so instances of a projection that own different partitions of a source can
 * save side by side.
 *
 * <p>{@link #inMemory()} keeps checkpoints for the life of the object; a Cassandra table keeps them
 * across restarts. To keep a projection's checkpoint in the same transaction as its view, implement
 * this interface over the table that holds the view (see {@link EventBatch#checkpoint()}).
 * Implementations are thread-safe.
 */
public interface CheckpointStore {

  /** A new, empty store that keeps checkpoints in memory. Thread-safe. */
  static CheckpointStore inMemory() {
    return new InMemoryCheckpointStore();
  }

  /** The checkpoint saved under {@code key}, if any. */
  Optional<Checkpoint> load(String key);

  /**
   * Saves {@code checkpoint} under {@code key}: its generation and catch-up state replace those
   * stored, its partitions' offsets replace theirs, and other partitions keep theirs.
   */
  void save(String key, Checkpoint checkpoint);

  /** Forgets what is saved under {@code key}; a projection without a checkpoint catches up. */
  void delete(String key);
}
