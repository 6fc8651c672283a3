package io.cursus.api.projection;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link CheckpointStore#inMemory()}. */
final class InMemoryCheckpointStore implements CheckpointStore {

  private final Map<String, Checkpoint> checkpoints = new ConcurrentHashMap<>();

  @Override
  public Optional<Checkpoint> load(String key) {
    return Optional.ofNullable(checkpoints.get(requireNonNull(key, "key must not be null")));
  }

  @Override
  public void save(String key, Checkpoint checkpoint) {
    requireNonNull(key, "key must not be null");
    requireNonNull(checkpoint, "checkpoint must not be null");
    checkpoints.merge(key, checkpoint, (stored, saved) -> merged(stored, saved));
  }

  private static Checkpoint merged(Checkpoint stored, Checkpoint saved) {
    Position position = stored.position().merge(saved.position());
    return saved.isCaughtUp()
        ? Checkpoint.live(saved.generation(), position)
        : Checkpoint.catchingUp(saved.generation(), position, saved.catchUpAfter());
  }

  @Override
  public void delete(String key) {
    checkpoints.remove(requireNonNull(key, "key must not be null"));
  }

  @Override
  public String toString() {
    return "in-memory checkpoints " + checkpoints;
  }
}
