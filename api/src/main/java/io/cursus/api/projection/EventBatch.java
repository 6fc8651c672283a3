package io.cursus.api.projection;

import static java.util.Objects.requireNonNull;

import io.cursus.api.Event;
import java.util.List;

/**
 * A batch of an event projection's events, handed to a {@link BatchHandler}.
 *
 * @param projection the projection's name
 * @param generation the generation handling it (a rebuild runs a higher one beside the serving one;
 *     write to the view of this generation)
 * @param events the events, in arrival order within each aggregate (while catching up: each
 *     aggregate's stored events in the order they were captured)
 * @param checkpoint the projection's checkpoint once this batch is handled. A handler that keeps it
 *     in the same transaction as its effects ({@link Checkpoint#asString()}), under {@code
 *     checkpointKey}, and a {@link CheckpointStore} that reads and writes that same row, makes a
 *     restart resume exactly after the last batch whose effects were stored.
 * @param checkpointKey the key the runtime saves {@code checkpoint} under: the projection's name,
 *     or {@code name#rebuild} while a rebuild runs beside the serving generation
 */
public record EventBatch(
    String projection,
    int generation,
    List<Event> events,
    Checkpoint checkpoint,
    String checkpointKey) {

  public EventBatch {
    requireNonNull(projection, "projection must not be null");
    events = List.copyOf(events);
    requireNonNull(checkpoint, "checkpoint must not be null");
    requireNonNull(checkpointKey, "checkpoint key must not be null");
  }

  /** Whether the batch comes from the catch-up (the store) rather than the live source. */
  public boolean catchingUp() {
    return !checkpoint.isCaughtUp();
  }
}
