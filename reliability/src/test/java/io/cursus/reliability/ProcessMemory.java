package io.cursus.reliability;

import io.cursus.testkit.ServerNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The resident memory of server processes, from {@code /proc/<pid>/status} (Linux): for each server
 * the latest {@code VmRSS}, and the largest {@code VmHWM} (the process's peak) seen over every
 * process it ran as (sample a server before killing it). Thread-safe.
 */
final class ProcessMemory {
  private final String what;
  private final List<? extends ServerNode> servers;
  private final long[] rssKb;
  private final long[] peakKb;

  /**
   * @param what the servers' name in the line, e.g. {@code "broker"}
   */
  ProcessMemory(String what, List<? extends ServerNode> servers) {
    this.what = what;
    this.servers = List.copyOf(servers);
    this.rssKb = new long[servers.size()];
    this.peakKb = new long[servers.size()];
  }

  synchronized void sample() {
    for (int i = 0; i < servers.size(); i++) {
      ServerNode server = servers.get(i);
      if (!server.isRunning()) {
        continue;
      }
      try {
        for (String line : Files.readAllLines(Path.of("/proc", server.pid() + "", "status"))) {
          if (line.startsWith("VmRSS:")) {
            rssKb[i] = kb(line);
          } else if (line.startsWith("VmHWM:")) {
            peakKb[i] = Math.max(peakKb[i], kb(line));
          }
        }
      } catch (IOException | IllegalStateException e) {
        // no /proc (not Linux), or the process just ended: nothing to sample
      }
    }
  }

  private static long kb(String line) {
    return Long.parseLong(line.replaceAll("[^0-9]", ""));
  }

  /** E.g. {@code RSS broker 1 340 MB (peak 371 MB), ..., together 990 MB (peaks 1100 MB)}. */
  synchronized String line() {
    StringBuilder s = new StringBuilder("RSS");
    long total = 0;
    long peakTotal = 0;
    for (int i = 0; i < servers.size(); i++) {
      s.append(i == 0 ? " " : ", ")
          .append(what)
          .append(' ')
          .append(i + 1)
          .append(' ')
          .append(rssKb[i] / 1024)
          .append(" MB (peak ")
          .append(peakKb[i] / 1024)
          .append(" MB)");
      total += rssKb[i];
      peakTotal += peakKb[i];
    }
    return s.append(", together ")
        .append(total / 1024)
        .append(" MB (peaks ")
        .append(peakTotal / 1024)
        .append(" MB)")
        .toString();
  }
}
