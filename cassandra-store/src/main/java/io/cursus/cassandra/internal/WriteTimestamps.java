package io.cursus.cassandra.internal;

import io.cursus.api.ProcessingIds;
import io.cursus.api.StreamTimestamp;
import java.time.Instant;
import java.util.UUID;

/**
 * Cassandra keeps, of two writes to one cell, the one with the greater write timestamp. Choosing
 * the write timestamp turns that rule into the one Cursus needs.
 */
public final class WriteTimestamps {

  // Far above any real clock in microseconds (2^62 us is about 146,000 years).
  private static final long FIRST_CAPTURE_BASE = 1L << 62;

  private WriteTimestamps() {}

  /**
   * The write timestamp of an event row: the earlier the capture, the greater the timestamp, so the
   * first capture of an event wins whatever order the copies are written in.
   */
  public static long firstCaptureWins(UUID processingId) {
    Instant processed = ProcessingIds.instantOf(processingId);
    long micros =
        Math.addExact(
            Math.multiplyExact(processed.getEpochSecond(), 1_000_000L),
            processed.getNano() / 1_000L);
    return FIRST_CAPTURE_BASE - micros;
  }

  /**
   * The write timestamp of an index cell: the later the event, the greater the timestamp, so the
   * newest event's value wins whatever order events arrive in. Event times are whole milliseconds;
   * the microseconds (0 to 999) rank stream ids by their first two characters, coarsely but never
   * out of order, so that of two events in one millisecond the greater stream id's is never behind.
   * Stream ids of one rank tie, and the cell's own content decides ({@link IndexCells}).
   */
  public static long latestEventWins(StreamTimestamp timestamp) {
    return Math.addExact(
        Math.multiplyExact(timestamp.timestamp().toEpochMilli(), 1000L),
        streamRank(timestamp.streamId()));
  }

  static long streamRank(String streamId) {
    long c0 = streamId.isEmpty() ? 0 : streamId.charAt(0);
    long c1 = streamId.length() < 2 ? 0 : streamId.charAt(1);
    long prefix = (c0 << 16) | c1; // 0 .. 2^32-1, ordered like the strings' prefixes
    return (prefix * 1000L) >>> 32; // 0 .. 999, still ordered
  }
}
