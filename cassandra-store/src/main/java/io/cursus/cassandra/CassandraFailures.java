package io.cursus.cassandra;

import io.cursus.cassandra.internal.Failures;

/**
 * Which failures of the Cassandra driver are worth retrying: the ones Cursus's own Cassandra
 * classes report as a {@link io.cursus.api.TransientCursusException} (no node available, all nodes
 * failed, timeouts, unavailable replicas, overload, a busy or closed connection, a server error).
 *
 * <p>For a projection whose handlers write to Cassandra, so that an outage holds the projection
 * back instead of parking the events that arrive during it:
 *
 * <pre>{@code
 * Projection.events("deliveries")
 *     .handler(event -> session.execute(insert.bind(...)))
 *     .transientWhen(CassandraFailures::isTransient)
 *     .build();
 * }</pre>
 */
public final class CassandraFailures {

  private CassandraFailures() {}

  /**
   * Whether {@code failure}, or one among its causes, is a driver failure that retrying may mend. A
   * syntax error, an unknown table, bad credentials or a refused write are not.
   */
  public static boolean isTransient(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (Failures.isTransient(t)) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
