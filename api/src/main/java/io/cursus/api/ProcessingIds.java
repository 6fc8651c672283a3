package io.cursus.api;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;

/**
 * Time-based (version 1) UUIDs that record when Cursus learned of an event.
 *
 * <p>{@link #next()} is thread-safe and strictly increasing within one JVM: two calls never return
 * ids with the same time. Order processing ids with {@link #compare}, not {@link UUID#compareTo},
 * which does not order version 1 UUIDs by time.
 */
public final class ProcessingIds {

  // 100-nanosecond intervals between 1582-10-15 (the UUID epoch) and 1970-01-01.
  private static final long UUID_EPOCH_OFFSET = 0x01B21DD213814000L;
  private static final long NODE_AND_CLOCK = randomNodeAndClock();
  private static final Object LOCK = new Object();
  private static long lastTicks;

  private ProcessingIds() {}

  /** A new processing id for the current time. */
  public static UUID next() {
    long now = ticksOf(Instant.now());
    long ticks;
    synchronized (LOCK) {
      ticks = Math.max(now, lastTicks + 1);
      lastTicks = ticks;
    }
    return fromTicks(ticks, NODE_AND_CLOCK);
  }

  /**
   * The greatest processing id of {@code instant}: every id made at or before {@code instant}
   * compares lower or equal. Used to ask what was known at a processing time.
   */
  public static UUID latestAt(Instant instant) {
    return fromTicks(ticksOf(instant), 0x3FFF_FFFF_FFFF_FFFFL);
  }

  /** When the processing id was made. Fails if {@code id} is not a version 1 UUID. */
  public static Instant instantOf(UUID id) {
    long ticks = ticksOf(id);
    long sinceEpoch = ticks - UUID_EPOCH_OFFSET;
    return Instant.ofEpochSecond(
        Math.floorDiv(sinceEpoch, 10_000_000L), Math.floorMod(sinceEpoch, 10_000_000L) * 100);
  }

  /** Orders processing ids by the time they were made. */
  public static int compare(UUID a, UUID b) {
    int byTime = Long.compare(ticksOf(a), ticksOf(b));
    return byTime != 0
        ? byTime
        : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
  }

  private static long ticksOf(UUID id) {
    if (id.version() != 1) {
      throw new IllegalArgumentException(
          "processing id " + id + " is not a time-based (version 1) UUID");
    }
    return id.timestamp();
  }

  private static long ticksOf(Instant instant) {
    return instant.getEpochSecond() * 10_000_000L + instant.getNano() / 100 + UUID_EPOCH_OFFSET;
  }

  private static UUID fromTicks(long ticks, long nodeAndClock) {
    long timeLow = ticks & 0xFFFF_FFFFL;
    long timeMid = (ticks >>> 32) & 0xFFFFL;
    long timeHigh = (ticks >>> 48) & 0x0FFFL;
    long msb = (timeLow << 32) | (timeMid << 16) | 0x1000L | timeHigh;
    long lsb = (nodeAndClock & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(msb, lsb);
  }

  private static long randomNodeAndClock() {
    SecureRandom random = new SecureRandom();
    // A random node id has its multicast bit set, as RFC 4122 section 4.5 asks.
    return random.nextLong() | 0x0000_0100_0000_0000L;
  }
}
