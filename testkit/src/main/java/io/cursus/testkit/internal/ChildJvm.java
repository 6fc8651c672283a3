package io.cursus.testkit.internal;

import io.cursus.testkit.EngineException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server JVM started as a child of this one, through {@link Watchdog}, with its output appended
 * to a log file. It can be started again after it stopped, with the same command.
 *
 * <p>Thread safe: all state changes are synchronized.
 */
public final class ChildJvm {
  private static final Logger LOG = LoggerFactory.getLogger(ChildJvm.class);
  private static final Duration GRACEFUL_STOP = Duration.ofSeconds(60);
  private static final int TAIL_LINES = 40;

  private final String name;
  private final List<String> command;
  private final Path logFile;
  private Process process;
  private long logOffset;

  /**
   * @param name what the process is, for messages ("Cassandra node 1")
   * @param classpath the server's classpath entries (a {@code dir/*} wildcard is allowed)
   * @param jvmOptions options before the main class
   * @param mainClass the real main class, started by {@link Watchdog}
   * @param args the main class's arguments
   * @param logFile where standard output and error are appended
   */
  public ChildJvm(
      String name,
      List<String> classpath,
      List<String> jvmOptions,
      String mainClass,
      List<String> args,
      Path logFile) {
    this.name = name;
    this.logFile = logFile;
    List<String> cp = new ArrayList<>(classpath);
    cp.add(watchdogLocation());
    List<String> cmd = new ArrayList<>();
    cmd.add(javaExecutable());
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(String.join(java.io.File.pathSeparator, cp));
    cmd.add(Watchdog.class.getName());
    cmd.add(mainClass);
    cmd.addAll(args);
    this.command = List.copyOf(cmd);
  }

  /** Starts the process; does not wait for it to be ready. */
  public synchronized void start() {
    if (isRunning()) {
      throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
    }
    try {
      Files.createDirectories(logFile.getParent());
      logOffset = Files.exists(logFile) ? Files.size(logFile) : 0;
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.redirectErrorStream(true);
      builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      // Standard input stays a pipe that we never write to: Watchdog exits the child when it
      // closes.
      process = builder.start();
      ProcessReaper.register(this);
      LOG.debug("Started {} (pid {}), log {}", name, process.pid(), logFile);
    } catch (IOException e) {
      throw new EngineException("Could not start " + name + " with " + command, e);
    }
  }

  /**
   * Waits until {@code ready} is true, polling every 100 ms, failing early if the process exits.
   *
   * @throws EngineException with the last lines of the log if the process exits or time runs out
   */
  public void awaitReady(String what, Duration timeout, BooleanSupplier ready) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ready.getAsBoolean()) {
      Process p = current();
      if (p == null || !p.isAlive()) {
        throw new EngineException(
            name
                + " exited"
                + (p == null ? "" : " with code " + p.exitValue())
                + " before "
                + what
                + "; last log lines ("
                + logFile
                + "):\n"
                + tail());
      }
      if (System.nanoTime() > deadline) {
        throw new EngineException(
            name
                + " did not "
                + what
                + " within "
                + timeout.toSeconds()
                + " s; last log lines ("
                + logFile
                + "):\n"
                + tail());
      }
      sleep(100);
    }
  }

  /** Waits for the process to exit by itself and returns its exit code. */
  public int awaitExit(Duration timeout) {
    Process p = current();
    try {
      if (p == null || !p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new EngineException(
            name
                + " did not finish within "
                + timeout.toSeconds()
                + " s; last log lines:\n"
                + tail());
      }
      return p.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("Interrupted while waiting for " + name + " to finish", e);
    }
  }

  /** True if a line containing {@code text} was logged since the last start. */
  public boolean logContains(String text) {
    try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
      file.seek(Math.min(logOffset, file.length()));
      byte[] bytes = new byte[(int) (file.length() - file.getFilePointer())];
      file.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8).contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  /** Sends SIGTERM and waits for a clean exit (killing the process after 60 s). */
  public void stop() {
    terminate(false);
  }

  /** Sends SIGKILL and waits until the process is gone. */
  public void kill() {
    terminate(true);
  }

  private synchronized void terminate(boolean forcibly) {
    if (process == null) {
      return;
    }
    Process p = process;
    if (p.isAlive()) {
      if (forcibly) {
        p.destroyForcibly();
      } else {
        p.destroy();
      }
      try {
        if (!p.waitFor(GRACEFUL_STOP.toMillis(), TimeUnit.MILLISECONDS)) {
          LOG.warn("{} did not stop within {} s after SIGTERM; killing it", name, GRACEFUL_STOP);
          p.destroyForcibly();
          p.waitFor();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    awaitGone(p.toHandle());
    ProcessReaper.unregister(this);
  }

  private static void awaitGone(ProcessHandle handle) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (handle.isAlive() && System.nanoTime() < deadline) {
      sleep(50);
    }
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** The process id of the running process. */
  public synchronized long pid() {
    if (process == null || !process.isAlive()) {
      throw new IllegalStateException(name + " is not running");
    }
    return process.pid();
  }

  public Path logFile() {
    return logFile;
  }

  public String name() {
    return name;
  }

  private synchronized Process current() {
    return process;
  }

  /** The last lines of the log, for error messages. */
  public String tail() {
    try {
      Deque<String> lines = new ArrayDeque<>();
      for (String line : Files.readAllLines(logFile, StandardCharsets.UTF_8)) {
        lines.addLast(line);
        if (lines.size() > TAIL_LINES) {
          lines.removeFirst();
        }
      }
      return String.join("\n", lines);
    } catch (IOException e) {
      return "(could not read " + logFile + ": " + e + ")";
    }
  }

  /** True if a TCP connection to the address succeeds within a second. */
  public static boolean accepts(InetSocketAddress address) {
    try (Socket socket = new Socket()) {
      socket.connect(address, 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String javaExecutable() {
    Optional<String> current = ProcessHandle.current().info().command();
    if (current.isPresent() && Files.isExecutable(Paths.get(current.get()))) {
      return current.get();
    }
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String watchdogLocation() {
    try {
      return Paths.get(Watchdog.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (java.net.URISyntaxException | RuntimeException e) {
      throw new EngineException(
          "Could not locate the testkit classes to put on the child classpath", e);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("Interrupted while waiting for a child process", e);
    }
  }
}
