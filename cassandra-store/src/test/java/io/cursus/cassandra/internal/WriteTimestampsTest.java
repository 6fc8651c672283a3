package io.cursus.cassandra.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.ProcessingIds;
import io.cursus.api.StreamTimestamp;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The write timestamps that turn Cassandra's last-write-wins into Cursus's rules: first capture
 * wins for event rows (ADR 2), latest event wins for index cells.
 */
class WriteTimestampsTest {

  private static final long TWO_TO_THE_62 = 1L << 62;
  private static final Instant UUID_EPOCH = Instant.parse("1582-10-15T00:00:00Z");
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** The processing id of {@code instant} (to 100 ns, a version 1 UUID's resolution). */
  private static UUID capturedAt(Instant instant) {
    return ProcessingIds.latestAt(instant);
  }

  @Test
  void anEarlierCaptureGetsAGreaterWriteTimestampSoItWinsWhateverTheOrderOfWrites() {
    // given: captures spread over 1970..2200, compared pairwise
    Random random = new Random(2);
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      long micros = (long) (random.nextDouble() * 7_258_118_400_000_000L); // up to 2200
      ids.add(capturedAt(Instant.EPOCH.plusNanos(micros * 1_000L)));
    }

    // then: the earlier of two captures (a microsecond or more apart) has the greater timestamp
    for (UUID a : ids) {
      for (UUID b : ids) {
        if (microsOf(a) < microsOf(b)) {
          assertThat(WriteTimestamps.firstCaptureWins(a))
              .as("%s captured before %s", ProcessingIds.instantOf(a), ProcessingIds.instantOf(b))
              .isGreaterThan(WriteTimestamps.firstCaptureWins(b));
        }
      }
    }
  }

  @Test
  void idsMadeOneAfterAnotherNeverGetAGreaterTimestampThanAnEarlierOne() {
    // given
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      ids.add(ProcessingIds.next());
    }

    // then
    for (int i = 1; i < ids.size(); i++) {
      assertThat(WriteTimestamps.firstCaptureWins(ids.get(i)))
          .isLessThanOrEqualTo(WriteTimestamps.firstCaptureWins(ids.get(i - 1)));
    }
  }

  @Test
  void isTwoToThe62MinusTheCaptureTimeInMicroseconds() {
    // the documented formula (docs/cassandra.md): a row is deleted by hand above 2^62
    assertThat(WriteTimestamps.firstCaptureWins(capturedAt(Instant.EPOCH)))
        .isEqualTo(TWO_TO_THE_62);
    assertThat(WriteTimestamps.firstCaptureWins(capturedAt(T0.plusNanos(123_456_700))))
        .isEqualTo(TWO_TO_THE_62 - (T0.getEpochSecond() * 1_000_000L + 123_456));
  }

  @Test
  void capturesWithinOneMicrosecondTieAndTheNextMicrosecondIsOneLower() {
    // given: a version 1 UUID counts 100 ns; the write timestamp counts microseconds
    long atT0 = WriteTimestamps.firstCaptureWins(capturedAt(T0));

    // then
    for (int hundreds = 1; hundreds < 10; hundreds++) {
      assertThat(WriteTimestamps.firstCaptureWins(capturedAt(T0.plusNanos(hundreds * 100L))))
          .as("%d00 ns after", hundreds)
          .isEqualTo(atT0);
    }
    assertThat(WriteTimestamps.firstCaptureWins(capturedAt(T0.plusNanos(1_000))))
        .isEqualTo(atT0 - 1);
  }

  @Test
  void staysPositiveAndOrderedFromTheFirstToTheLastInstantAVersion1UuidCanHold() {
    // given: the first tick of the UUID epoch (1582) and the last one (60 bits of 100 ns, 5236)
    long lastTick = (1L << 60) - 1;
    UUID first = capturedAt(UUID_EPOCH);
    UUID last =
        capturedAt(
            UUID_EPOCH.plusSeconds(lastTick / 10_000_000L).plusNanos(lastTick % 10_000_000L * 100));
    UUID now = ProcessingIds.next();

    // when
    long ofFirst = WriteTimestamps.firstCaptureWins(first);
    long ofNow = WriteTimestamps.firstCaptureWins(now);
    long ofLast = WriteTimestamps.firstCaptureWins(last);

    // then: no overflow anywhere, and the order holds at both ends
    assertThat(last.timestamp()).isEqualTo(lastTick);
    assertThat(ofFirst).isGreaterThan(ofNow);
    assertThat(ofNow).isGreaterThan(ofLast);
    assertThat(ofLast).isPositive();
    assertThat(ofNow).isLessThanOrEqualTo(TWO_TO_THE_62);
  }

  @Test
  void everyCaptureSince1970IsAtMostTwoToThe62SoADeleteAboveItCoversEveryRow() {
    for (Instant at : List.of(Instant.EPOCH, T0, Instant.parse("2999-12-31T23:59:59.999999900Z"))) {
      assertThat(WriteTimestamps.firstCaptureWins(capturedAt(at)))
          .as("%s", at)
          .isPositive()
          .isLessThanOrEqualTo(TWO_TO_THE_62);
    }
  }

  @Test
  void refusesAProcessingIdThatIsNotATimeBasedUuid() {
    UUID random = UUID.randomUUID();
    UUID named = UUID.nameUUIDFromBytes("parcel".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> WriteTimestamps.firstCaptureWins(random))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("processing id " + random + " is not a time-based (version 1) UUID");
    assertThatThrownBy(() -> WriteTimestamps.firstCaptureWins(named))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(named.toString());
  }

  @Test
  void aLaterEventGetsAGreaterIndexTimestampWhateverItsStream() {
    // given: the lowest and the highest stream ids there are
    StreamTimestamp highestStream = StreamTimestamp.of("\uffff\uffff\uffff", T0);
    StreamTimestamp lowestStreamAMillisecondLater = StreamTimestamp.of("", T0.plusMillis(1));

    // then
    assertThat(WriteTimestamps.latestEventWins(lowestStreamAMillisecondLater))
        .isGreaterThan(WriteTimestamps.latestEventWins(highestStream));
    assertThat(WriteTimestamps.latestEventWins(StreamTimestamp.of("", T0)))
        .isEqualTo(T0.toEpochMilli() * 1000);
    assertThat(WriteTimestamps.latestEventWins(highestStream))
        .isEqualTo(T0.toEpochMilli() * 1000 + 999);
  }

  @Test
  void atOneInstantTheIndexTimestampNeverPutsAGreaterStreamIdBehindALesserOne() {
    // given: stream ids of all sorts, in the order of stream timestamps at one instant
    Random random = new Random(5);
    List<String> streams = new ArrayList<>(List.of("", "a", "ab", "b", "scanner-1", "\uffff"));
    for (int i = 0; i < 2_000; i++) {
      StringBuilder id = new StringBuilder();
      for (int c = random.nextInt(4); c > 0; c--) {
        id.append((char) random.nextInt(0x10000));
      }
      streams.add(id.toString());
    }
    streams.sort(null);

    // then: the rank never goes down
    for (int i = 1; i < streams.size(); i++) {
      assertThat(WriteTimestamps.latestEventWins(StreamTimestamp.of(streams.get(i), T0)))
          .isGreaterThanOrEqualTo(
              WriteTimestamps.latestEventWins(StreamTimestamp.of(streams.get(i - 1), T0)));
    }
  }

  @Test
  void atOneInstantStreamIdsSpreadOverAThousandMicrosecondsByTheirFirstTwoCharacters() {
    long millisecond = T0.toEpochMilli() * 1000;

    assertThat(WriteTimestamps.latestEventWins(StreamTimestamp.of("", T0))).isEqualTo(millisecond);
    assertThat(WriteTimestamps.latestEventWins(StreamTimestamp.of("\u8000", T0)))
        .isEqualTo(millisecond + 500);
    assertThat(WriteTimestamps.latestEventWins(StreamTimestamp.of("\uffff\uffff", T0)))
        .isEqualTo(millisecond + 999);
    // beyond the first two characters, ids tie
    assertThat(WriteTimestamps.latestEventWins(StreamTimestamp.of("scanner-1", T0)))
        .isEqualTo(WriteTimestamps.latestEventWins(StreamTimestamp.of("scanner-2", T0)));
  }

  @Test
  void eventsBefore1970KeepTheirOrderInTheIndex() {
    StreamTimestamp older = StreamTimestamp.of("s", Instant.parse("1969-12-31T23:59:59.998Z"));
    StreamTimestamp newer = StreamTimestamp.of("s", Instant.parse("1969-12-31T23:59:59.999Z"));

    assertThat(WriteTimestamps.latestEventWins(newer))
        .isGreaterThan(WriteTimestamps.latestEventWins(older));
    assertThat(WriteTimestamps.latestEventWins(newer)).isNegative();
  }

  private static long microsOf(UUID id) {
    Instant at = ProcessingIds.instantOf(id);
    return at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000;
  }
}
