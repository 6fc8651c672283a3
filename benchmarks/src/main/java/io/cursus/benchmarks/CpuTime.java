package io.cursus.benchmarks;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * CPU time used so far by this JVM and by the engines the testkit started as its child processes
 * (Cassandra, the Kafka broker), as the operating system counts it (user plus system, all threads:
 * JIT, garbage collection and the engines' background work included). Two snapshots around a phase
 * give the CPU each process spent on it, which on a shared 2-core machine says more about what a
 * phase costs than its wall time does.
 */
final class CpuTime {

  /** Processes whose CPU time is read; engines reached at given addresses are not among them. */
  static final String BENCHMARK = "benchmark JVM";

  static final String CASSANDRA = "Cassandra";

  static final String KAFKA = "Kafka broker";

  private final Map<String, Duration> used;

  private CpuTime(Map<String, Duration> used) {
    this.used = used;
  }

  /** CPU time used so far by each process that can be found and read now. */
  static CpuTime now() {
    Map<String, Duration> used = new LinkedHashMap<>();
    cpu(ProcessHandle.current()).ifPresent(d -> used.put(BENCHMARK, d));
    ProcessHandle.current()
        .descendants()
        .forEach(
            child -> {
              String command = commandLine(child);
              String name =
                  command.contains("org.apache.cassandra.service.CassandraDaemon")
                      ? CASSANDRA
                      : command.contains("kafka.Kafka") ? KAFKA : null;
              if (name != null) {
                cpu(child).ifPresent(d -> used.merge(name, d, Duration::plus));
              }
            });
    return new CpuTime(used);
  }

  /**
   * The command line of {@code process}: read from {@code /proc} where there is one, since {@link
   * ProcessHandle.Info#commandLine} can leave out what follows a long class path (the engines' main
   * class among it), so that the engines were not found; else as the JDK gives it.
   */
  private static String commandLine(ProcessHandle process) {
    java.nio.file.Path proc =
        java.nio.file.Path.of("/proc", Long.toString(process.pid()), "cmdline");
    try {
      byte[] bytes = java.nio.file.Files.readAllBytes(proc);
      return new String(bytes, java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ');
    } catch (java.io.IOException | RuntimeException e) {
      return process.info().commandLine().orElse("");
    }
  }

  private static Optional<Duration> cpu(ProcessHandle process) {
    return process.info().totalCpuDuration();
  }

  /**
   * Microseconds of CPU per event that each process spent between {@code earlier} and this
   * snapshot, for processes present in both.
   */
  Map<String, Double> microsPerEventSince(CpuTime earlier, int events) {
    Map<String, Double> perEvent = new LinkedHashMap<>();
    used.forEach(
        (name, total) -> {
          Duration before = earlier.used.get(name);
          if (before != null) {
            perEvent.put(name, total.minus(before).toNanos() / 1e3 / events);
          }
        });
    return perEvent;
  }
}
