package io.cursus.spring.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.springframework.beans.factory.DisposableBean;

/**
 * What Cursus opened for the context (a Cassandra session, a Kafka producer, a Hazelcast client),
 * closed in the reverse order when the context closes. What the application defined as its own
 * beans is never registered here: it is the application's to close. Thread-safe.
 */
public final class CursusResources implements DisposableBean {

  private final Deque<AutoCloseable> opened = new ArrayDeque<>();

  /** Registers {@code resource} to close with the context; returns it. */
  public synchronized <T extends AutoCloseable> T closeWithContext(T resource) {
    opened.push(resource);
    return resource;
  }

  /**
   * Closes everything registered, newest first, each even if an earlier one failed.
   *
   * @throws IllegalStateException with the failures as suppressed exceptions, if any failed
   */
  @Override
  public void destroy() {
    List<Exception> failures = new ArrayList<>();
    while (true) {
      AutoCloseable next;
      synchronized (this) {
        next = opened.poll();
      }
      if (next == null) {
        break;
      }
      try {
        next.close();
      } catch (Exception e) {
        failures.add(e);
      }
    }
    if (!failures.isEmpty()) {
      IllegalStateException failed =
          new IllegalStateException("closing Cursus's connections failed: " + failures);
      failures.forEach(failed::addSuppressed);
      throw failed;
    }
  }
}
