package io.cursus.cassandra.internal;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.NoNodeAvailableException;
import com.datastax.oss.driver.api.core.connection.BusyConnectionException;
import com.datastax.oss.driver.api.core.connection.ClosedConnectionException;
import com.datastax.oss.driver.api.core.servererrors.OverloadedException;
import com.datastax.oss.driver.api.core.servererrors.QueryConsistencyException;
import com.datastax.oss.driver.api.core.servererrors.ServerError;
import com.datastax.oss.driver.api.core.servererrors.TruncateException;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;
import io.cursus.api.CursusException;
import io.cursus.api.NonTransientCursusException;
import io.cursus.api.TransientCursusException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Sorts driver failures into the transient and non-transient families. */
public final class Failures {

  private Failures() {}

  /** {@code failure}, met while {@code doing}, as a Cursus exception saying whether to retry. */
  public static CursusException classify(Throwable failure, String doing) {
    Throwable cause = unwrap(failure);
    if (cause instanceof CursusException cursus) {
      return cursus;
    }
    String message =
        "Cassandra failed while "
            + doing
            + ": "
            + cause.getClass().getSimpleName()
            + ": "
            + cause.getMessage();
    if (isTransient(cause)) {
      return new TransientCursusException(message + " (retrying may help)", cause);
    }
    return new NonTransientCursusException(message + " (retrying will not help)", cause);
  }

  public static TransientCursusException transientFailure(String message, Throwable cause) {
    return new TransientCursusException(message, cause);
  }

  public static boolean isTransient(Throwable cause) {
    return cause instanceof DriverTimeoutException
        || cause instanceof NoNodeAvailableException
        || cause instanceof AllNodesFailedException
        || cause instanceof UnavailableException
        || cause instanceof QueryConsistencyException // read and write timeouts and failures
        || cause instanceof OverloadedException
        || cause instanceof BusyConnectionException
        || cause instanceof ClosedConnectionException
        || cause instanceof TruncateException
        || cause instanceof ServerError;
  }

  /**
   * The failure a {@link CompletionException} or {@link ExecutionException} wraps (or that the
   * wrapper of a wrapper wraps), or {@code failure} itself.
   */
  public static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
