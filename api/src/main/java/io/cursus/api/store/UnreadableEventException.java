package io.cursus.api.store;

import io.cursus.api.NonTransientCursusException;
import org.jspecify.annotations.Nullable;

/**
 * Stored or received data that cannot be read back as an event: it is malformed, its event type is
 * unknown, or its parameters no longer match the declared schema. The message names the aggregate,
 * the event and the field where they are known. Retrying does not help; the data needs an upcaster,
 * a declaration, or a dead-letter queue.
 */
public final class UnreadableEventException extends NonTransientCursusException {
  private static final long serialVersionUID = 1L;

  /** Why the data could not be read. */
  public enum Reason {
    /** Not well-formed (bad JSON, truncated, missing metadata). */
    MALFORMED,
    /** Well-formed, but no declaration knows its event type and version. */
    UNKNOWN_EVENT_TYPE,
    /** The event type is known but a parameter is missing or of another type. */
    SCHEMA_MISMATCH
  }

  private final Reason reason;

  public UnreadableEventException(Reason reason, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
