package io.cursus.api;

import org.jspecify.annotations.Nullable;

/** A failure that may go away: a timeout, an unavailable node. Retrying can help. */
public class TransientCursusException extends CursusException {
  private static final long serialVersionUID = 1L;

  public TransientCursusException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  @Override
  public final boolean isTransient() {
    return true;
  }
}
