package io.cursus.api;

import org.jspecify.annotations.Nullable;

/** A failure that retrying will not fix: bad credentials, a missing table, a corrupt row. */
public class NonTransientCursusException extends CursusException {
  private static final long serialVersionUID = 1L;

  public NonTransientCursusException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  @Override
  public final boolean isTransient() {
    return false;
  }
}
