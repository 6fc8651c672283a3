package io.cursus.testkit.internal;

/** A main class that never returns by itself, to test {@link Watchdog}. */
public final class SleepForever {
  private SleepForever() {}

  public static void main(String[] args) throws InterruptedException {
    System.out.println("sleeping " + String.join(" ", args));
    Thread.sleep(Long.MAX_VALUE);
  }
}
