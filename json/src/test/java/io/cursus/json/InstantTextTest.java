package io.cursus.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InstantTextTest {

  private static final Instant YEAR_0 = Instant.parse("0000-01-01T00:00:00Z");
  private static final Instant YEAR_9999_END = Instant.parse("9999-12-31T23:59:59.999999999Z");

  @Test
  void formatsAsInstantToStringDoes() {
    for (Instant instant : samples()) {
      assertThat(format(instant)).as("%s", instant).isEqualTo(instant.toString());
    }
  }

  @Test
  void leavesYearsOutsideZeroTo9999ToTheJdk() {
    char[] out = new char[InstantText.MAX_LENGTH];

    assertThat(InstantText.format(YEAR_0.minusNanos(1), out)).isEqualTo(-1);
    assertThat(InstantText.format(YEAR_9999_END.plusNanos(1), out)).isEqualTo(-1);
    assertThat(InstantText.format(Instant.MIN, out)).isEqualTo(-1);
    assertThat(InstantText.format(Instant.MAX, out)).isEqualTo(-1);
  }

  @Test
  void parsesWhatItFormatsAsInstantParseDoes() {
    for (Instant instant : samples()) {
      String text = instant.toString();
      assertThat(parse(text)).as(text).isEqualTo(Instant.parse(text)).isEqualTo(instant);
    }
    assertThat(parse("2026-11-22T09:00:00.1Z")).isEqualTo(Instant.parse("2026-11-22T09:00:00.1Z"));
    assertThat(parse("2026-11-22T09:00:00.12345Z"))
        .isEqualTo(Instant.parse("2026-11-22T09:00:00.12345Z"));
    assertThat(parse("2024-02-29T23:59:59Z")).isEqualTo(Instant.parse("2024-02-29T23:59:59Z"));
    assertThat(parse("2000-02-29T00:00:00Z")).isEqualTo(Instant.parse("2000-02-29T00:00:00Z"));
  }

  @Test
  void leavesEveryOtherFormToInstantParse() {
    // Forms Instant.parse reads in its own way
    for (String text :
        List.of(
            "2026-11-22T10:00:00+01:00",
            "2026-11-22t09:00:00z",
            "2026-11-22T09:00:00.Z",
            "2026-11-22T24:00:00Z",
            "2026-12-31T23:59:60Z",
            "+10000-01-01T00:00:00Z",
            "-0001-01-01T00:00:00Z")) {
      assertThat(parse(text)).as(text).isNull();
    }
    // and forms it refuses
    for (String text :
        List.of(
            "",
            "yesterday",
            "2026-11-22",
            "2026-11-22T09:00Z",
            "2026-11-22T09:00:00",
            "2026-11-22T09:00:00.1234567890Z",
            "2026-13-01T00:00:00Z",
            "2026-00-01T00:00:00Z",
            "2026-11-00T00:00:00Z",
            "2026-11-31T00:00:00Z",
            "2025-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2026-11-22T09:60:00Z",
            "2026-11-22T25:00:00Z",
            "2026-11-22T09:00:61Z",
            "2026-11-22 09:00:00Z",
            "2026/11/22T09:00:00Z",
            "2026-11-22T09:00:00,123Z",
            "2026-11-22T09:00:00.12aZ",
            "2O26-11-22T09:00:00Z",
            "+026-11-22T09:00:00Z",
            "2026-1a-22T09:00:00Z")) {
      assertThat(parse(text)).as(text).isNull();
      assertThatThrownBy(() -> Instant.parse(text))
          .as(text)
          .isInstanceOf(DateTimeParseException.class);
    }
  }

  @Test
  void readsOnlyTheGivenRange() {
    char[] text = "x2026-11-22T09:00:00.5Zy".toCharArray();

    assertThat(InstantText.parse(text, 1, text.length - 2))
        .isEqualTo(Instant.parse("2026-11-22T09:00:00.5Z"));
  }

  private static String format(Instant instant) {
    char[] out = new char[InstantText.MAX_LENGTH];
    int length = InstantText.format(instant, out);
    return length < 0 ? null : new String(out, 0, length);
  }

  private static Instant parse(String text) {
    return InstantText.parse(text.toCharArray(), 0, text.length());
  }

  /** Edges, and random instants from year 0 to 9999 with 0, 3, 6 and 9 digits of fraction. */
  private static List<Instant> samples() {
    List<Instant> samples = new ArrayList<>();
    samples.add(YEAR_0);
    samples.add(YEAR_9999_END);
    samples.add(Instant.EPOCH);
    samples.add(Instant.EPOCH.minusNanos(1));
    samples.add(Instant.parse("1969-12-31T23:59:59.999Z"));
    samples.add(Instant.parse("2026-11-22T09:00:00.123Z"));
    samples.add(Instant.parse("2026-11-22T09:00:00.000001Z"));
    samples.add(Instant.parse("2026-11-22T09:00:00.010Z"));
    samples.add(Instant.parse("2024-02-29T12:00:00Z"));
    samples.add(Instant.parse("0999-12-31T23:59:59Z"));
    SplittableRandom random = new SplittableRandom(42);
    long from = YEAR_0.getEpochSecond();
    long to = YEAR_9999_END.getEpochSecond() + 1;
    for (int i = 0; i < 20_000; i++) {
      int nanos =
          switch (i % 4) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            default -> random.nextInt(1_000_000_000);
          };
      samples.add(Instant.ofEpochSecond(random.nextLong(from, to), nanos));
    }
    return samples;
  }
}
