package io.cursus.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Another JVM on the test's class path, running a scenario's main class (the process a scenario
 * kills), and what it printed: lines a {@code counter} takes (progress counts) are not kept; the
 * others are echoed with the process's label and pid, and kept for {@link #awaitLine}.
 */
final class ChildJvm {

  final Process process;
  private final String label;
  private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

  private ChildJvm(Process process, String label, Predicate<String> counter) {
    this.process = process;
    this.label = label;
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                  if (!counter.test(line)) {
                    System.out.println("[" + label + " " + process.pid() + "] " + line);
                    lines.add(line);
                  }
                }
              } catch (IOException e) {
                // the process is gone
              }
            },
            "child-output-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts {@code main} with {@code args} in a JVM of 256 MiB heap; {@code counter} is given each
   * line printed and says whether it took it.
   */
  static ChildJvm start(String label, Class<?> main, Predicate<String> counter, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    return new ChildJvm(
        new ProcessBuilder(command).redirectErrorStream(true).start(), label, counter);
  }

  /** A counter of lines {@code prefix} followed by a number, kept in {@code count}. */
  static Predicate<String> counting(String prefix, AtomicLong count) {
    return line -> {
      if (!line.startsWith(prefix)) {
        return false;
      }
      count.set(Long.parseLong(line.substring(prefix.length())));
      return true;
    };
  }

  /** Waits until the process printed {@code line}; fails if it exits first. */
  void awaitLine(String line, Duration timeout) throws InterruptedException {
    Rig.await(
        "the " + label + " process printed " + line,
        timeout,
        () -> {
          if (!process.isAlive()) {
            throw new AssertionError("the " + label + " process exited: " + lines);
          }
          return lines.contains(line);
        });
  }

  /** Kills the process if it still runs, and waits until it is gone. */
  void kill() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
