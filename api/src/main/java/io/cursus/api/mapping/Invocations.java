package io.cursus.api.mapping;

import java.lang.reflect.InvocationTargetException;

/** Unwraps what reflective calls into user code threw. */
final class Invocations {
  private Invocations() {}

  /**
   * The exception to throw for what user code threw: unchecked exceptions as they are, checked ones
   * wrapped in an {@link EventHandlingException} saying what was being done.
   */
  static RuntimeException rethrow(InvocationTargetException e, String doing) {
    Throwable cause = e.getCause();
    if (cause instanceof RuntimeException runtime) {
      return runtime;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    return new EventHandlingException(doing + " threw " + cause, cause);
  }
}
