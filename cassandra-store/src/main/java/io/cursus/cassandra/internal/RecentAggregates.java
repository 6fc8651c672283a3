package io.cursus.cassandra.internal;

import static java.util.Objects.requireNonNull;

import io.cursus.api.AggregateId;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Aggregates whose catalogue row a store has written, remembered so that their later appends skip
 * writing it again. A direct-mapped table of a fixed number of slots, each holding one id: an
 * aggregate is forgotten when another one takes its slot (its row is then written once more, which
 * is harmless, the write being idempotent), and an aggregate is never remembered that was not
 * added. Thread-safe without locks: a slot holds an immutable id.
 */
public final class RecentAggregates {

  private final AtomicReferenceArray<AggregateId> slots;
  private final int mask;

  /**
   * Remembers up to {@code capacity} aggregates, rounded up to a power of two; 0 remembers none.
   *
   * @throws IllegalArgumentException if {@code capacity} is negative or above 2^30
   */
  public RecentAggregates(int capacity) {
    if (capacity < 0 || capacity > 1 << 30) {
      throw new IllegalArgumentException(
          "capacity must be between 0 and " + (1 << 30) + ", was " + capacity);
    }
    int size = capacity <= 1 ? capacity : Integer.highestOneBit(capacity - 1) << 1;
    this.slots = new AtomicReferenceArray<>(size);
    this.mask = size - 1;
  }

  /** Whether {@code aggregate} was added and is still remembered. */
  public boolean contains(AggregateId aggregate) {
    requireNonNull(aggregate, "aggregate must not be null");
    return slots.length() != 0 && aggregate.equals(slots.getAcquire(slotOf(aggregate)));
  }

  /** Remembers {@code aggregate}, in place of the one that had its slot. */
  public void add(AggregateId aggregate) {
    requireNonNull(aggregate, "aggregate must not be null");
    if (slots.length() != 0) {
      slots.setRelease(slotOf(aggregate), aggregate);
    }
  }

  /** Slots: the most aggregates remembered at once. */
  public int capacity() {
    return slots.length();
  }

  private int slotOf(AggregateId aggregate) {
    int hash = aggregate.hashCode();
    return (hash ^ (hash >>> 16)) & mask;
  }
}
