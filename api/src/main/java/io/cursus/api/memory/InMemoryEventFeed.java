package io.cursus.api.memory;

import static java.util.Objects.requireNonNull;

import io.cursus.api.Event;
import io.cursus.api.projection.Delivery;
import io.cursus.api.projection.Position;
import io.cursus.api.projection.ProjectionSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The events an {@link InMemoryEventStore} accepted, in the order it accepted them: the live source
 * of projections on the embedded default. One partition, {@value #PARTITION}; the offset of an
 * event is its place in the feed, from 0.
 *
 * <p>The store appends to its feed while it holds its write lock, the events of each batch that
 * were new to it (a repeat of a stored identity changes nothing and is not appended; the stored,
 * first-captured copy is what the feed holds). So the feed's order is the store's acceptance order,
 * an event in the feed is already readable from the store, and {@link #storedUpTo()} is simply the
 * {@link #head()}.
 *
 * <p><b>Memory.</b> The feed holds a reference to each stored event (4 or 8 bytes each, in chunks
 * of 4,096), for as long as the store lives: a few percent of what the store itself holds. Nothing
 * is ever removed, since the store removes nothing either.
 *
 * <p>A feed made with {@link #create()} belongs to no store: {@link #publish} appends to it, which
 * lets a test or an in-process pipeline feed projections by hand. Thread-safe: one writer at a time
 * (appends are serialised), any number of readers, which never block the writer.
 */
public final class InMemoryEventFeed implements ProjectionSource {

  /** The name of the feed's only partition. */
  public static final String PARTITION = "feed";

  private static final int CHUNK_BITS = 12;
  private static final int CHUNK = 1 << CHUNK_BITS;

  private final boolean ownedByStore;
  private final Object appending = new Object();
  private final ReentrantLock waiting = new ReentrantLock();
  private final Condition appended = waiting.newCondition();
  private volatile Event[][] chunks = new Event[16][];
  private volatile long size;

  private InMemoryEventFeed(boolean ownedByStore) {
    this.ownedByStore = ownedByStore;
  }

  /** A feed of no store, written with {@link #publish}. */
  public static InMemoryEventFeed create() {
    return new InMemoryEventFeed(false);
  }

  static InMemoryEventFeed ofStore() {
    return new InMemoryEventFeed(true);
  }

  /**
   * Appends {@code events}, in order, and wakes the readers waiting for them.
   *
   * @throws IllegalStateException if this is a store's feed, which only its store writes
   */
  public void publish(List<Event> events) {
    requireNonNull(events, "events must not be null");
    if (ownedByStore) {
      throw new IllegalStateException(
          "this feed belongs to an InMemoryEventStore, which appends what it accepts; append to"
              + " the store instead");
    }
    for (Event event : events) {
      requireNonNull(event, "a published event is null");
    }
    append(events);
    wake();
  }

  /** Appends {@code events}; the store calls it under its write lock, so the order is its own. */
  void append(List<Event> events) {
    if (events.isEmpty()) {
      return;
    }
    synchronized (appending) {
      long at = size;
      Event[][] all = chunks;
      for (Event event : events) {
        int chunk = (int) (at >>> CHUNK_BITS);
        if (chunk == all.length) {
          Event[][] grown = new Event[all.length * 2][];
          System.arraycopy(all, 0, grown, 0, all.length);
          all = grown;
        }
        if (all[chunk] == null) {
          all[chunk] = new Event[CHUNK];
        }
        all[chunk][(int) (at & (CHUNK - 1))] = event;
        at++;
      }
      chunks = all;
      size = at; // publishes the writes above to readers that read size first
    }
  }

  /** Wakes the readers waiting for events; the store calls it once its write lock is released. */
  void wake() {
    waiting.lock();
    try {
      appended.signalAll();
    } finally {
      waiting.unlock();
    }
  }

  /** How many events the feed holds. */
  public long size() {
    return size;
  }

  /** The event at {@code offset}. */
  public Event get(long offset) {
    long known = size;
    if (offset < 0 || offset >= known) {
      throw new IndexOutOfBoundsException(
          "offset " + offset + " is outside the feed of " + known + " events");
    }
    return chunks[(int) (offset >>> CHUNK_BITS)][(int) (offset & (CHUNK - 1))];
  }

  @Override
  public Position head() {
    return Position.of(PARTITION, size);
  }

  @Override
  public Position storedUpTo() {
    return ownedByStore ? head() : Position.start();
  }

  @Override
  public Optional<Instant> capturedAt(Position position) {
    long offset = position.next(PARTITION);
    return offset < size ? get(offset).processingTime() : Optional.empty();
  }

  @Override
  public Reader open(String projection, Supplier<Position> committed) {
    requireNonNull(projection, "projection must not be null");
    requireNonNull(committed, "committed must not be null");
    return new FeedReader(committed.get().next(PARTITION));
  }

  @Override
  public String toString() {
    return "in-memory feed of " + size + " events";
  }

  /** Reads the feed from an offset. */
  private final class FeedReader implements Reader {
    private long next;
    private volatile boolean woken;

    FeedReader(long next) {
      this.next = next;
    }

    @Override
    public List<Delivery> poll(int max, Duration timeout) throws InterruptedException {
      if (max < 1) {
        throw new IllegalArgumentException("max must be at least 1, was " + max);
      }
      if (size <= next && !woken) {
        long deadline = System.nanoTime() + timeout.toNanos();
        waiting.lock();
        try {
          long left;
          while (size <= next && !woken && (left = deadline - System.nanoTime()) > 0) {
            appended.await(left, TimeUnit.NANOSECONDS);
          }
        } finally {
          waiting.unlock();
        }
      }
      woken = false;
      long end = Math.min(size, next + max);
      List<Delivery> deliveries = new ArrayList<>((int) Math.max(0, end - next));
      for (long offset = next; offset < end; offset++) {
        deliveries.add(new Delivery(get(offset), PARTITION, offset));
      }
      next = Math.max(next, end);
      return deliveries;
    }

    @Override
    public void seek(Position position) {
      next = position.next(PARTITION);
    }

    @Override
    public void wakeup() {
      woken = true;
      wake();
    }

    @Override
    public void close() {
      wakeup();
    }
  }
}
