package io.cursus.testkit;

import java.nio.file.Path;

/**
 * Fault handle of one server process started by the testkit, for reliability tests: the test keeps
 * running while the server goes away and comes back with the same ports and data.
 *
 * <p>On an engine the user supplied ({@code CURSUS_CASSANDRA}, {@code CURSUS_KAFKA}) every method
 * but {@link #isRunning()} throws {@link UnsupportedOperationException}. Thread safe.
 */
public interface ServerNode {
  /** Stops the server cleanly (SIGTERM) and waits until its process is gone. No-op if stopped. */
  void stop();

  /** Kills the server (SIGKILL, as {@code kill -9}) and waits until its process is gone. */
  void kill();

  /**
   * Starts the stopped or killed server again with the same ports and data, and waits until it
   * answers clients.
   *
   * @throws IllegalStateException if it is running
   * @throws EngineException if it does not come up in time (the message holds its last log lines)
   */
  void start();

  /** {@link #stop()} then {@link #start()}. */
  default void restart() {
    stop();
    start();
  }

  /** True while the server process is alive (for an external engine: always true). */
  boolean isRunning();

  /**
   * The operating-system id of the running server process.
   *
   * @throws IllegalStateException if it is not running
   */
  long pid();

  /** The file the server's output goes to. */
  Path logFile();
}
