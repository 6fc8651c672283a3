package io.cursus.testkit.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Stops every running {@link ChildJvm} when this JVM shuts down (normal exit, failed tests,
 * Ctrl-C). A {@code kill -9} of this JVM is covered by {@link Watchdog} instead.
 */
final class ProcessReaper {
  private static final Set<ChildJvm> RUNNING = new LinkedHashSet<>();
  private static boolean hookInstalled;

  private ProcessReaper() {}

  static synchronized void register(ChildJvm child) {
    if (!hookInstalled) {
      Runtime.getRuntime()
          .addShutdownHook(new Thread(ProcessReaper::stopAll, "cursus-engines-shutdown"));
      hookInstalled = true;
    }
    RUNNING.add(child);
  }

  static synchronized void unregister(ChildJvm child) {
    RUNNING.remove(child);
  }

  private static void stopAll() {
    List<ChildJvm> children;
    synchronized (ProcessReaper.class) {
      children = new ArrayList<>(RUNNING);
    }
    // Stop in parallel: Cassandra takes several seconds to drain.
    List<Thread> stoppers = new ArrayList<>();
    for (ChildJvm child : children) {
      Thread t = new Thread(child::stop, "cursus-stop-" + child.name());
      t.start();
      stoppers.add(t);
    }
    for (Thread t : stoppers) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
