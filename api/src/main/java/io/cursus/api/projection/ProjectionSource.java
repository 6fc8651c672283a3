package io.cursus.api.projection;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where projections read events as they arrive: a log of the events the store accepted, split into
 * partitions, each read in order by offset. The in-memory store's feed ({@link
 * io.cursus.api.memory.InMemoryEventStore#feed()}) has one partition; a Kafka topic read by a
 * consumer group has one per Kafka partition.
 *
 * <p>What an implementation promises:
 *
 * <ul>
 *   <li>Every event the store holds is delivered at least once: it is either in the store before
 *       {@link #storedUpTo()} is taken, or in the log after it.
 *   <li>One aggregate's events are in one partition, in arrival order.
 *   <li>Offsets are dense: a reader never returns an event at an offset before one it has not
 *       returned, so a saved position never passes over an event that becomes visible later.
 * </ul>
 *
 * <p>{@link #head()}, {@link #storedUpTo()} and {@link #capturedAt} are thread-safe; a {@link
 * Reader} is used by one thread at a time, except for {@link Reader#wakeup()}.
 */
public interface ProjectionSource {

  /**
   * A reader for projection {@code projection} (its name, or {@code name#rebuild} for a rebuild
   * running beside the serving generation, which must read independently of it), positioned at what
   * {@code committed} returns for each partition it reads. A source whose partitions are shared out
   * among instances (a consumer group) calls {@code committed} again whenever partitions are
   * assigned to this reader, so that it resumes from the latest saved position. The runtime closes
   * a projection's reader while the projection is paused or failed, so that such a source can give
   * its partitions to the other instances, and opens another when it resumes.
   */
  Reader open(String projection, Supplier<Position> committed);

  /** The position after the newest event of every partition: a projection there has no lag. */
  Position head();

  /**
   * A position before which every event is readable from the store. A catch-up takes it before it
   * reads the store, and reads the live source from it afterwards, so that what arrives during the
   * catch-up is seen (perhaps twice, which is harmless). For the in-memory feed, written while the
   * store holds its write lock, this is the head; for a Kafka topic it is the offsets the store's
   * writer has committed, since an event in the topic may not be stored yet.
   */
  default Position storedUpTo() {
    return head();
  }

  /**
   * When the oldest event at or after {@code position} was captured (its processing time), if the
   * source can tell cheaply; empty if it cannot or if there is no such event. Used for the lag in
   * time of {@link ProjectionStatus}.
   */
  default Optional<Instant> capturedAt(Position position) {
    return Optional.empty();
  }

  /**
   * Whether instances of one projection share its partitions out among themselves (as a Kafka
   * consumer group does). If not, {@link Projections} lets one instance of a projection run at a
   * time, through {@link ProjectionClaims}.
   */
  default boolean splitsWork() {
    return false;
  }

  /** Reads the events of the source for one projection. Not thread-safe, except {@link #wakeup}. */
  interface Reader extends AutoCloseable {

    /**
     * Up to {@code max} events after the reader's position, in order within each partition, waiting
     * up to {@code timeout} for the first one; an empty list if none came or {@link #wakeup()} was
     * called. The reader's position moves past what it returns.
     */
    List<Delivery> poll(int max, Duration timeout) throws InterruptedException;

    /** Moves the reader to {@code position} for the partitions it names. */
    void seek(Position position);

    /** Makes a {@link #poll} that waits return at once. Thread-safe. */
    void wakeup();

    /** Releases the reader; it is not used again. */
    @Override
    void close();
  }
}
