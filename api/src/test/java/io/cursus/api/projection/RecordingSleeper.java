package io.cursus.api.projection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A sleeper that records the waits asked of it and returns at once. Thread-safe. */
final class RecordingSleeper implements Sleeper {
  private final List<Duration> waits = new ArrayList<>();
  private volatile Consumer<Duration> onSleep = wait -> {};

  @Override
  public void sleep(Duration duration) {
    synchronized (this) {
      waits.add(duration);
    }
    onSleep.accept(duration);
  }

  /** Runs {@code action} on the sleeping thread at each wait (to look at the projection then). */
  void onSleep(Consumer<Duration> action) {
    this.onSleep = action;
  }

  synchronized List<Duration> waits() {
    return List.copyOf(waits);
  }
}
