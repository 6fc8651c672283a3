package io.cursus.json;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

/**
 * {@link Instant}s as ISO-8601 text without {@link DateTimeFormatter}: the common case of the
 * envelope's {@code eventTime}, formatted and parsed directly.
 *
 * <p>Both directions agree with the JDK exactly where they apply, and say so when they do not:
 * {@link #format} writes what {@link Instant#toString()} writes for years 0 to 9999, and {@link
 * #parse} reads only the canonical {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, to the instant {@link
 * Instant#parse} reads from it. Anything else (other years, offsets, lower-case letters, leap
 * seconds, invalid dates) is left to the JDK.
 */
final class InstantText {

  /** The most characters {@link #format} writes: {@code 9999-12-31T23:59:59.999999999Z}. */
  static final int MAX_LENGTH = 30;

  private static final long SECONDS_PER_DAY = 86_400;
  private static final long MIN_SECOND = LocalDate.of(0, 1, 1).toEpochDay() * SECONDS_PER_DAY;
  private static final long MAX_SECOND =
      (LocalDate.of(9999, 12, 31).toEpochDay() + 1) * SECONDS_PER_DAY - 1;

  /** Nanoseconds per unit of a fraction of 1 to 9 digits: 100,000,000 for one digit. */
  private static final int[] NANOS_PER_UNIT = {
    0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1
  };

  private InstantText() {}

  /**
   * Writes {@code instant} into {@code out} from index 0 as {@link Instant#toString()} would.
   *
   * @param out at least {@link #MAX_LENGTH} characters
   * @return the number of characters written, or -1 if the year is not in 0 to 9999 (nothing is
   *     written then)
   */
  static int format(Instant instant, char[] out) {
    long seconds = instant.getEpochSecond();
    if (seconds < MIN_SECOND || seconds > MAX_SECOND) {
      return -1;
    }
    LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, SECONDS_PER_DAY));
    int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
    digits(date.getYear(), 4, out, 0);
    out[4] = '-';
    digits(date.getMonthValue(), 2, out, 5);
    out[7] = '-';
    digits(date.getDayOfMonth(), 2, out, 8);
    out[10] = 'T';
    digits(secondOfDay / 3600, 2, out, 11);
    out[13] = ':';
    digits(secondOfDay / 60 % 60, 2, out, 14);
    out[16] = ':';
    digits(secondOfDay % 60, 2, out, 17);
    int length = 19;
    // Like DateTimeFormatter.ISO_INSTANT: no fraction, or 3, 6 or 9 digits, whichever is exact.
    int nanos = instant.getNano();
    if (nanos != 0) {
      out[length++] = '.';
      if (nanos % 1_000_000 == 0) {
        digits(nanos / 1_000_000, 3, out, length);
        length += 3;
      } else if (nanos % 1_000 == 0) {
        digits(nanos / 1_000, 6, out, length);
        length += 6;
      } else {
        digits(nanos, 9, out, length);
        length += 9;
      }
    }
    out[length++] = 'Z';
    return length;
  }

  /**
   * The instant {@code text[offset, offset + length)} names if it is in the canonical form {@code
   * yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} and valid, else null: the caller then uses {@link
   * Instant#parse}, which reads or refuses every other form.
   */
  static Instant parse(char[] text, int offset, int length) {
    if (length < 20
        || length == 21
        || length > MAX_LENGTH
        || text[offset + 4] != '-'
        || text[offset + 7] != '-'
        || text[offset + 10] != 'T'
        || text[offset + 13] != ':'
        || text[offset + 16] != ':'
        || text[offset + length - 1] != 'Z') {
      return null;
    }
    int year = digits(text, offset, 4);
    int month = digits(text, offset + 5, 2);
    int day = digits(text, offset + 8, 2);
    int hour = digits(text, offset + 11, 2);
    int minute = digits(text, offset + 14, 2);
    int second = digits(text, offset + 17, 2);
    if ((year | month | day | hour | minute | second) < 0
        || month < 1
        || month > 12
        || day < 1
        || (day > 28 && day > LocalDate.of(year, month, 1).lengthOfMonth())
        || hour > 23
        || minute > 59
        || second > 59) {
      return null;
    }
    int nanos = 0;
    if (length > 20) {
      int fractionDigits = length - 21;
      int fraction = digits(text, offset + 20, fractionDigits);
      if (text[offset + 19] != '.' || fraction < 0) {
        return null;
      }
      nanos = fraction * NANOS_PER_UNIT[fractionDigits];
    }
    long epochDay = LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(
        epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second, nanos);
  }

  private static void digits(int value, int count, char[] out, int at) {
    for (int i = at + count - 1; i >= at; i--) {
      out[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  /** The decimal value of {@code count} ASCII digits, or -1 if one is not a digit. */
  private static int digits(char[] text, int at, int count) {
    int value = 0;
    for (int i = at; i < at + count; i++) {
      int digit = text[i] - '0';
      if (digit < 0 || digit > 9) {
        return -1;
      }
      value = value * 10 + digit;
    }
    return value;
  }
}
