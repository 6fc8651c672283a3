package io.cursus.api.projection;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where a projection is in its {@link ProjectionSource}: for each partition of the source, the
 * offset of the next event to read (Kafka's convention: the offset after the last one handled).
 *
 * <p>A source with one partition (the in-memory feed) has one entry; a Kafka topic one per
 * partition. A partition a position does not name is read from its beginning (offset 0). Offsets
 * are dense within a partition: every offset below {@code next} has been delivered, so a position
 * never passes over an event that is not yet visible (the bug of akka-projection #391 and Marten
 * #4953, where a position moved past events that became visible later).
 *
 * <p>Immutable and thread-safe.
 */
public final class Position {

  private static final Position START = new Position(new TreeMap<>());

  private final SortedMap<String, Long> next;

  private Position(SortedMap<String, Long> next) {
    this.next = Collections.unmodifiableSortedMap(next);
  }

  /** Every partition from its beginning. */
  public static Position start() {
    return START;
  }

  /** Partition {@code partition} at offset {@code next}, every other from its beginning. */
  public static Position of(String partition, long next) {
    return START.with(partition, next);
  }

  /**
   * The position whose partitions are the keys of {@code offsets}, each at its value.
   *
   * @throws IllegalArgumentException if a partition is blank or an offset negative
   */
  public static Position of(Map<String, Long> offsets) {
    requireNonNull(offsets, "offsets must not be null");
    TreeMap<String, Long> copy = new TreeMap<>();
    offsets.forEach(
        (partition, offset) -> {
          checkPartition(partition);
          copy.put(partition, checkOffset(partition, requireNonNull(offset, "offset")));
        });
    return new Position(copy);
  }

  /**
   * The offset of the next event to read in {@code partition}; 0 if this position does not name it.
   */
  public long next(String partition) {
    Long offset = next.get(partition);
    return offset == null ? 0 : offset;
  }

  /** The partitions this position names, with their next offsets, in partition order. */
  public SortedMap<String, Long> offsets() {
    return next;
  }

  /** This position with {@code partition} at {@code offset}. */
  public Position with(String partition, long offset) {
    checkPartition(partition);
    TreeMap<String, Long> copy = new TreeMap<>(next);
    copy.put(partition, checkOffset(partition, offset));
    return new Position(copy);
  }

  /**
   * This position with each partition {@code other} names taken from {@code other}: how a
   * checkpoint store merges what one instance of a projection saves for the partitions it owns.
   */
  public Position merge(Position other) {
    requireNonNull(other, "other position must not be null");
    if (other.next.isEmpty()) {
      return this;
    }
    TreeMap<String, Long> copy = new TreeMap<>(next);
    copy.putAll(other.next);
    return new Position(copy);
  }

  /**
   * How many events lie between this position and {@code head}, over the partitions {@code head}
   * names: the lag of a projection at this position when the source's head is {@code head}.
   */
  public long eventsBefore(Position head) {
    requireNonNull(head, "head must not be null");
    long lag = 0;
    for (Map.Entry<String, Long> partition : head.next.entrySet()) {
      lag += Math.max(0, partition.getValue() - next(partition.getKey()));
    }
    return lag;
  }

  /** Whether this position is at or after {@code other} in every partition {@code other} names. */
  public boolean isAtOrAfter(Position other) {
    requireNonNull(other, "other position must not be null");
    for (Map.Entry<String, Long> partition : other.next.entrySet()) {
      if (next(partition.getKey()) < partition.getValue()) {
        return false;
      }
    }
    return true;
  }

  private static void checkPartition(String partition) {
    requireNonNull(partition, "partition must not be null");
    if (partition.isBlank()) {
      throw new IllegalArgumentException("partition must not be blank");
    }
  }

  private static long checkOffset(String partition, long offset) {
    if (offset < 0) {
      throw new IllegalArgumentException(
          "offset of partition '" + partition + "' must not be negative, was " + offset);
    }
    return offset;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Position other && next.equals(other.next);
  }

  @Override
  public int hashCode() {
    return next.hashCode();
  }

  @Override
  public String toString() {
    return next.toString();
  }
}
