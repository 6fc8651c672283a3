package io.cursus.api.mapping;

import org.jspecify.annotations.Nullable;

/** A handler or state method threw a checked exception; the message says which and on what. */
public final class EventHandlingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EventHandlingException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
