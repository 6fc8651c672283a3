package io.cursus.cassandra.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.api.ProcessingIds;
import io.cursus.api.StreamTimestamp;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IndexCellsTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /**
   * What Cassandra keeps of two writes to one cell: greater write timestamp, then greater bytes.
   */
  private static int cassandraOrder(long timeA, String cellA, long timeB, String cellB) {
    int byTime = Long.compare(timeA, timeB);
    return byTime != 0
        ? byTime
        : java.util.Arrays.compareUnsigned(
            cellA.getBytes(StandardCharsets.UTF_8), cellB.getBytes(StandardCharsets.UTF_8));
  }

  private record Copy(StreamTimestamp timestamp, UUID processingId, String json) {
    long time() {
      return WriteTimestamps.latestEventWins(timestamp);
    }

    String cell() {
      return IndexCells.latest(
          timestamp.streamId(), WriteTimestamps.firstCaptureWins(processingId), json);
    }

    /** Cursus's order: the later event, then of copies of one event the earlier capture. */
    int compareTo(Copy other) {
      int byEvent = timestamp.compareTo(other.timestamp);
      return byEvent != 0 ? byEvent : -ProcessingIds.compare(processingId, other.processingId);
    }
  }

  @Test
  void cassandrasTieBreakOnTheCellKeepsTheLaterEventThenTheFirstCapture() {
    // given: events at a few instants on streams that share prefixes, each captured a few times
    Random random = new Random(7);
    List<String> streams =
        List.of(
            "",
            "s",
            "sa",
            "sb",
            "scanner-1",
            "scanner-2",
            "scanner-10",
            "scanner",
            "\u00e9t\u00e9");
    List<Copy> copies = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      StreamTimestamp at =
          StreamTimestamp.of(
              streams.get(random.nextInt(streams.size())), T0.plusMillis(random.nextInt(3)));
      UUID captured =
          ProcessingIds.latestAt(
              T0.plusSeconds(random.nextInt(5)).plusNanos(random.nextInt(1000) * 1000L));
      String json = random.nextBoolean() ? null : "\"hub-" + random.nextInt(100) + "\"";
      copies.add(new Copy(at, captured, json));
    }

    // then: for every pair Cassandra keeps the one Cursus's order calls the latest
    for (Copy a : copies) {
      for (Copy b : copies) {
        int cursus = a.compareTo(b);
        if (cursus != 0) {
          assertThat(Integer.signum(cassandraOrder(a.time(), a.cell(), b.time(), b.cell())))
              .as("%s vs %s", a, b)
              .isEqualTo(Integer.signum(cursus));
        }
      }
    }
  }

  @Test
  void comparesCellsInTheOrderOfTheirUtf8Bytes() {
    List<String> texts =
        List.of("", "a", "ab", "\u00e9", "\uffff", "\ud83d\ude00", "z\ud83d\ude00", "z\uffff");
    for (String a : texts) {
      for (String b : texts) {
        assertThat(Integer.signum(IndexCells.compare(a, b)))
            .as("%s vs %s", a, b)
            .isEqualTo(
                Integer.signum(
                    java.util.Arrays.compareUnsigned(
                        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8))));
      }
    }
  }

  @Test
  void readsBackTheJsonOfACellAndOfACellOfTheEarlierFormat() {
    assertThat(IndexCells.jsonOf(IndexCells.latest("scanner-1", 42, "\"hub-05\"")))
        .isEqualTo("\"hub-05\"");
    assertThat(IndexCells.jsonOf(IndexCells.latest("", 42, "{\"a\":\"x.y:z\"}")))
        .isEqualTo("{\"a\":\"x.y:z\"}");
    assertThat(IndexCells.jsonOf(IndexCells.latest("s", 42, null))).isNull();
    assertThat(IndexCells.jsonOf("\"hub-05\"")).as("earlier format").isEqualTo("\"hub-05\"");
    assertThat(IndexCells.jsonOf("17")).as("earlier format").isEqualTo("17");
  }

  @Test
  void keysAValueByItselfWhileTheKeyFitsInCassandrasLimitAndByItsDigestBeyond() {
    // 9 bytes of framing + "t" + "p" leave 65,524 bytes for the value's JSON
    String fits = "x".repeat(65_524);
    String over = "x".repeat(65_525);
    String multibyteFits = "\u20ac".repeat(21_841) + "x"; // 65,524 bytes, 21,842 characters
    String multibyteOver = "\u20ac".repeat(21_842); // 65,526 bytes, fewer characters than `fits`

    assertThat(IndexCells.valueKey("t", "p", fits)).isEqualTo(fits);
    assertThat(IndexCells.valueKey("t", "p", multibyteFits)).isEqualTo(multibyteFits);
    assertThat(IndexCells.valueKey("t", "p", over))
        .startsWith(IndexCells.DIGEST_PREFIX)
        .hasSize(IndexCells.DIGEST_PREFIX.length() + 64);
    assertThat(IndexCells.valueKey("t", "p", multibyteOver)).startsWith(IndexCells.DIGEST_PREFIX);
    assertThat(IndexCells.valueKey("t", "p", over))
        .isEqualTo(IndexCells.valueKey("t", "p", over))
        .isNotEqualTo(IndexCells.valueKey("t", "p", over + "x"))
        .isNotEqualTo(IndexCells.valueKey("t", "p", over.substring(1) + "y"));
    assertThat(IndexCells.valueKey("t", "p", "\"short\"")).isEqualTo("\"short\"");
  }
}
