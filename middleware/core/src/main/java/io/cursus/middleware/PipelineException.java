package io.cursus.middleware;

import io.cursus.api.CursusException;
import io.cursus.api.Event;
import java.util.Optional;

/**
 * A stage of a {@link Pipeline} failed. The message names the stage and the event it failed on (for
 * a stage that takes whole batches: the batch's size and first event); the cause is kept.
 *
 * <p>{@link #isTransient()} is the cause's verdict when the cause is a {@link CursusException}, so
 * a caller can retry a batch that failed on a timeout; any other cause (a programming error, a
 * rejected event) is not transient.
 */
public final class PipelineException extends CursusException {
  private static final long serialVersionUID = 1L;

  private final String stage;
  private final transient Event event;
  private final boolean isTransient;

  PipelineException(String stage, Event event, int batchSize, Throwable cause) {
    super(message(stage, event, batchSize, cause), cause);
    this.stage = stage;
    this.event = event;
    this.isTransient = cause instanceof CursusException c && c.isTransient();
  }

  private static String message(String stage, Event event, int batchSize, Throwable cause) {
    String where =
        batchSize > 1
            ? "on a batch of " + batchSize + " events starting with " + event
            : "on " + event;
    return "stage '" + stage + "' failed " + where + ": " + cause;
  }

  /** The name of the stage that failed. */
  public String stage() {
    return stage;
  }

  /** The event the stage failed on, or the first event of the batch it failed on. */
  public Optional<Event> event() {
    return Optional.ofNullable(event);
  }

  @Override
  public boolean isTransient() {
    return isTransient;
  }
}
