package io.cursus.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** What the page says about the machine a run was measured on. */
final class Machine {
  private Machine() {}

  /** The 1, 5 and 15 minute load averages, or "unknown" where /proc is missing. */
  static String loadAverage() {
    return read("/proc/loadavg")
        .map(s -> String.join(" ", List.of(s.trim().split("\\s+")).subList(0, 3)))
        .orElse("unknown");
  }

  static String cpu() {
    String model =
        read("/proc/cpuinfo")
            .flatMap(
                s ->
                    s.lines()
                        .filter(l -> l.startsWith("model name"))
                        .findFirst()
                        .map(l -> l.substring(l.indexOf(':') + 1).trim()))
            .orElse(System.getProperty("os.arch"));
    return Runtime.getRuntime().availableProcessors() + " cores, " + model;
  }

  static String memory() {
    return read("/proc/meminfo")
        .flatMap(
            s ->
                s.lines()
                    .filter(l -> l.startsWith("MemTotal:"))
                    .findFirst()
                    .map(
                        l ->
                            String.format(
                                "%.1f GiB",
                                Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0)))
        .orElse("unknown");
  }

  static String os() {
    return System.getProperty("os.name") + " " + System.getProperty("os.version");
  }

  static String java() {
    return System.getProperty("java.vm.name")
        + " "
        + System.getProperty("java.runtime.version")
        + " ("
        + System.getProperty("java.vendor")
        + ")";
  }

  private static Optional<String> read(String file) {
    try {
      return Optional.of(Files.readString(Path.of(file)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
