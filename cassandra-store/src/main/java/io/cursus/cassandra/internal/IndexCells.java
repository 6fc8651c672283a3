package io.cursus.cassandra.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What the index writes into its two tables, so that Cassandra's own rules give the answers Cursus
 * promises.
 *
 * <p><b>Keys of {@code index_value}.</b> Cassandra refuses a partition key of more than 65,535
 * bytes. The key of a value's list is (aggregate type, parameter, value), serialised with 3 bytes
 * of framing per column, so a value's JSON form is the key while {@code 9 + UTF-8 bytes of type,
 * parameter and JSON} fit; a longer value is keyed by {@code "#sha256:"} and the hex SHA-256 digest
 * of its JSON's UTF-8 bytes (a text no JSON form can be, since JSON never starts with {@code #}).
 * Two values can then share a key; a look-up compares the full value in {@code index_latest}.
 *
 * <p><b>Cells of {@code index_latest}.</b> A cell is written with a write timestamp from its
 * event's time and the first two characters of its stream id ({@link
 * WriteTimestamps#latestEventWins}). Of two cells with equal write timestamps Cassandra keeps the
 * one whose bytes compare greater. So the cell starts with what must decide such a tie, in an
 * encoding whose byte order is the order Cursus wants:
 *
 * <pre>
 * !  stream id, 4 hex digits per UTF-16 char  .  capture rank, 16 hex digits  :  JSON (empty: no value)
 * </pre>
 *
 * A greater stream id wins (the event is later: stream timestamps order by time, then stream id;
 * {@code .} sorts below every hex digit, so a stream id sorts before its extensions); of two copies
 * of one event (same time and stream) the first capture wins, its rank being {@link
 * WriteTimestamps#firstCaptureWins} of its processing id, as in the event table. "No value" is a
 * cell too (empty JSON), not a deletion, so that it takes part in the same comparison.
 *
 * <p>A cell written in the earlier format (the JSON alone) still reads. It starts with a JSON
 * character, all of which sort above {@code !}, so it wins a tie against a cell written after the
 * upgrade (a copy of its own event, which it rightly beats as the earlier capture, or an event of
 * the same millisecond and stream prefix).
 */
public final class IndexCells {

  /** The most bytes Cassandra accepts in a partition key. */
  public static final int MAX_KEY_BYTES = 65_535;

  /** What starts the key of a value too long to be its own key. */
  public static final String DIGEST_PREFIX = "#sha256:";

  private static final int KEY_FRAMING_BYTES = 9; // 2 bytes of length and 1 of end, per column
  private static final char CELL_START = '!';
  private static final char STREAM_END = '.';
  private static final char RANK_END = ':';
  private static final int RANK_DIGITS = 16;
  private static final HexFormat HEX = HexFormat.of();

  private IndexCells() {}

  /**
   * The {@code value} column of {@code index_value} for {@code json}: the JSON itself if the key
   * fits, its digest key otherwise.
   */
  public static String valueKey(String aggregateType, String parameter, String json) {
    long chars = (long) aggregateType.length() + parameter.length() + json.length();
    if (KEY_FRAMING_BYTES + 3 * chars <= MAX_KEY_BYTES) {
      return json; // a UTF-16 char is at most 3 bytes of UTF-8: no need to count
    }
    long bytes =
        KEY_FRAMING_BYTES + utf8Length(aggregateType) + utf8Length(parameter) + utf8Length(json);
    return bytes <= MAX_KEY_BYTES ? json : DIGEST_PREFIX + sha256(json);
  }

  /**
   * The {@code value} cell of {@code index_latest} for an event of stream {@code streamId},
   * captured with {@code captureRank} ({@link WriteTimestamps#firstCaptureWins}), whose value has
   * {@code json} as its JSON form (null: no value).
   */
  public static String latest(String streamId, long captureRank, String json) {
    return latestCell(latestPrefix(streamId, captureRank), json);
  }

  /** What every cell of one event starts with; see {@link #latestCell}. */
  public static String latestPrefix(String streamId, long captureRank) {
    StringBuilder prefix = new StringBuilder(streamId.length() * 4 + RANK_DIGITS + 3);
    prefix.append(CELL_START);
    for (int i = 0; i < streamId.length(); i++) {
      prefix.append(HEX.toHexDigits(streamId.charAt(i)));
    }
    return prefix
        .append(STREAM_END)
        .append(HEX.toHexDigits(captureRank))
        .append(RANK_END)
        .toString();
  }

  /**
   * The cell of a value with {@code json} as its JSON form (null: no value) after {@code prefix}.
   */
  public static String latestCell(String prefix, String json) {
    return json == null ? prefix : prefix + json;
  }

  /**
   * The JSON form a {@code value} cell of {@code index_latest} holds, or null if it holds no value.
   * A cell in the earlier format (the JSON alone) is returned as it is.
   */
  public static String jsonOf(String cell) {
    if (cell.isEmpty() || cell.charAt(0) != CELL_START) {
      return cell;
    }
    int streamEnd = cell.indexOf(STREAM_END);
    int rankEnd = streamEnd + 1 + RANK_DIGITS;
    if (streamEnd < 0 || rankEnd >= cell.length() || cell.charAt(rankEnd) != RANK_END) {
      return cell; // not a cell this class wrote: it equals no JSON form
    }
    return rankEnd + 1 == cell.length() ? null : cell.substring(rankEnd + 1);
  }

  /**
   * Orders two cells as Cassandra orders their UTF-8 bytes when their write timestamps tie: by code
   * point, which is UTF-8's byte order.
   */
  public static int compare(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  static long utf8Length(String text) {
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += Character.isSurrogate(c) ? 1 : 3; // Java's encoder writes a lone surrogate as '?'
      }
    }
    return bytes;
  }

  private static String sha256(String json) {
    try {
      return HEX.formatHex(
          MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256, which every JVM must have", e);
    }
  }
}
