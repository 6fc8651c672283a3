package io.cursus.api;

import org.jspecify.annotations.Nullable;

/**
 * A failure of the world outside the caller's code: a store, a broker, a network. {@link
 * #isTransient()} says whether trying the same operation again can help.
 */
public abstract class CursusException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  protected CursusException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /** Whether the same operation may succeed if tried again later. */
  public abstract boolean isTransient();
}
