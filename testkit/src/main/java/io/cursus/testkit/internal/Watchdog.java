package io.cursus.testkit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of every child JVM the testkit starts: ties the child's life to its parent's.
 *
 * <p>The parent keeps the child's standard input open and never writes to it. When the parent dies
 * for any reason (including {@code kill -9}), the operating system closes that pipe, this class
 * reads end-of-file and exits the child (halting it if its shutdown hooks take more than {@value
 * #HALT_AFTER_MILLIS} ms). Then it runs the real main class, named by the first argument, with the
 * remaining arguments.
 *
 * <p>It uses nothing but the JDK, because it runs on the server's own classpath.
 */
public final class Watchdog {
  static final long HALT_AFTER_MILLIS = 15_000;

  private Watchdog() {}

  public static void main(String[] args) throws Throwable {
    if (args.length == 0) {
      System.err.println("usage: Watchdog <main class> [arguments...]");
      System.exit(2);
    }
    Thread watcher = new Thread(Watchdog::exitWhenParentDies, "cursus-watchdog");
    watcher.setDaemon(true);
    watcher.start();
    Method main = Class.forName(args[0]).getMethod("main", String[].class);
    try {
      main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static void exitWhenParentDies() {
    InputStream in = System.in;
    byte[] buffer = new byte[64];
    try {
      while (in.read(buffer) >= 0) {
        // The parent never writes; anything read is ignored.
      }
    } catch (IOException e) {
      // A broken pipe means the same as end-of-file: the parent is gone.
    }
    System.err.println("cursus-watchdog: parent process is gone, exiting");
    Thread halter =
        new Thread(
            () -> {
              try {
                Thread.sleep(HALT_AFTER_MILLIS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              Runtime.getRuntime().halt(3);
            },
            "cursus-watchdog-halt");
    halter.setDaemon(true);
    halter.start();
    System.exit(3);
  }
}
