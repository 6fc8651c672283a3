package io.cursus.api.store;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.CheckReturnValue;
import io.cursus.api.AggregateId;
import io.cursus.api.ProcessingIds;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * Where an aggregate's history stood when a {@link DecisionLog} appended to it or read it: hand it
 * back to append only if nothing changed since ({@link AppendCondition#unchangedSince}), or to read
 * a history that contains at least what it stood for ({@link
 * DecisionLog#historyWithToken(AggregateId, HistoryQuery, ConsistencyToken)}).
 *
 * <p>To an application a token is opaque: {@link #toString()} is its short text form (at most 64
 * characters of {@code [A-Za-z0-9_-]}, fit for an HTTP {@code ETag} or header) and {@link
 * #parse(String)} reads it back. Tokens of one aggregate are ordered: a token taken later compares
 * greater or equal. A token knows the aggregate it belongs to (by a 32-bit fingerprint of the id),
 * so a store refuses another aggregate's token instead of misreading it.
 *
 * <p>What a token holds, for store implementations: the number of conditional appends (decisions)
 * the aggregate had, a facts mark (a time-based UUID that moves forward whenever the store counts a
 * change made by a plain append; what exactly it is belongs to the store), and, for a token
 * returned by an append, the processing id of that append's newest event, so a read can check that
 * the append is in what it returns. Immutable and thread-safe.
 */
@CheckReturnValue
public final class ConsistencyToken implements Comparable<ConsistencyToken> {

  private static final byte FORMAT = 1;
  private static final int HAS_FACTS = 1;
  private static final int HAS_APPENDED = 2;
  private static final int APPENDED_IS_FACTS = 4;
  private static final Comparator<@Nullable UUID> BY_TIME =
      Comparator.nullsFirst(ProcessingIds::compare);

  private final int fingerprint;
  private final long decisions;
  private final @Nullable UUID facts;
  private final @Nullable UUID appended;

  private ConsistencyToken(
      int fingerprint, long decisions, @Nullable UUID facts, @Nullable UUID appended) {
    if (decisions < 0) {
      throw new IllegalArgumentException("decisions must not be negative, was " + decisions);
    }
    if (facts != null && facts.version() != 1) {
      throw new IllegalArgumentException("facts mark " + facts + " is not a time-based UUID");
    }
    if (appended != null && appended.version() != 1) {
      throw new IllegalArgumentException("appended id " + appended + " is not a time-based UUID");
    }
    this.fingerprint = fingerprint;
    this.decisions = decisions;
    this.facts = facts;
    this.appended = appended;
  }

  /**
   * A token of {@code aggregate}, for store implementations: {@code decisions} conditional appends,
   * the facts mark {@code facts} (null before any), and {@code appended}, the processing id of the
   * newest event of the append that returns the token (null for a token returned by a read).
   */
  public static ConsistencyToken of(
      AggregateId aggregate, long decisions, @Nullable UUID facts, @Nullable UUID appended) {
    return new ConsistencyToken(fingerprintOf(aggregate), decisions, facts, appended);
  }

  /**
   * The token whose {@link #toString()} is {@code text}.
   *
   * @throws IllegalArgumentException if {@code text} is not a token's text form, saying why
   */
  public static ConsistencyToken parse(String text) {
    requireNonNull(text, "token text must not be null");
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw notAToken(text, "it is not unpadded base64url text", e);
    }
    if (bytes.length < 7) {
      throw notAToken(text, "it is too short", null);
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    byte format = in.get();
    if (format != FORMAT) {
      throw notAToken(text, "its format " + format + " is unknown (this version reads 1)", null);
    }
    int fingerprint = in.getInt();
    long decisions = 0;
    for (int shift = 0; ; shift += 7) {
      if (shift > 56 || !in.hasRemaining()) {
        throw notAToken(text, "its decision count is malformed", null);
      }
      byte b = in.get();
      decisions |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        break;
      }
    }
    if (!in.hasRemaining()) {
      throw notAToken(text, "it is truncated", null);
    }
    int flags = in.get();
    int expected =
        ((flags & HAS_FACTS) != 0 ? 16 : 0)
            + ((flags & HAS_APPENDED) != 0 && (flags & APPENDED_IS_FACTS) == 0 ? 16 : 0);
    if ((flags & ~7) != 0
        || ((flags & APPENDED_IS_FACTS) != 0 && (flags & (HAS_FACTS | HAS_APPENDED)) != 3)
        || in.remaining() != expected) {
      throw notAToken(text, "its contents do not add up", null);
    }
    UUID facts = (flags & HAS_FACTS) != 0 ? new UUID(in.getLong(), in.getLong()) : null;
    UUID appended = null;
    if ((flags & APPENDED_IS_FACTS) != 0) {
      appended = facts;
    } else if ((flags & HAS_APPENDED) != 0) {
      appended = new UUID(in.getLong(), in.getLong());
    }
    try {
      return new ConsistencyToken(fingerprint, decisions, facts, appended);
    } catch (IllegalArgumentException e) {
      throw notAToken(text, e.getMessage(), e);
    }
  }

  private static IllegalArgumentException notAToken(
      String text, String why, @Nullable Throwable cause) {
    String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
    return new IllegalArgumentException(
        "'" + shown + "' is not a consistency token: " + why, cause);
  }

  /**
   * Whether this token was made for {@code aggregate} (as far as a 32-bit fingerprint can tell).
   */
  public boolean belongsTo(AggregateId aggregate) {
    return fingerprint == fingerprintOf(aggregate);
  }

  /**
   * Throws unless this token belongs to {@code aggregate}.
   *
   * @throws IllegalArgumentException naming the aggregate and the token
   */
  public void requireBelongsTo(AggregateId aggregate) {
    if (!belongsTo(aggregate)) {
      throw new IllegalArgumentException(
          "consistency token " + this + " belongs to another aggregate than " + aggregate);
    }
  }

  /** The number of conditional appends the aggregate had; for store implementations. */
  public long decisions() {
    return decisions;
  }

  /** The facts mark, if the aggregate had a fact the store counts; for store implementations. */
  public Optional<UUID> facts() {
    return Optional.ofNullable(facts);
  }

  /**
   * The processing id of the newest event of the append that returned this token; empty for a token
   * returned by a read.
   */
  public Optional<UUID> appended() {
    return Optional.ofNullable(appended);
  }

  /**
   * Whether this token stands for at least what {@code other} stands for: as many decisions or
   * more, and a facts mark as new or newer. Unlike {@link #compareTo}, which orders every two
   * tokens of an aggregate, this is false when each is ahead in one part (a token of a plain append
   * counts no decisions, say).
   *
   * @throws IllegalArgumentException if {@code other} belongs to another aggregate
   */
  public boolean isAtLeast(ConsistencyToken other) {
    requireSameAggregate(other);
    return decisions >= other.decisions && BY_TIME.compare(facts, other.facts) >= 0;
  }

  /**
   * Orders tokens of one aggregate: by decisions, then by facts mark, then by appended id.
   *
   * @throws IllegalArgumentException if {@code other} belongs to another aggregate
   */
  @Override
  public int compareTo(ConsistencyToken other) {
    requireSameAggregate(other);
    int c = Long.compare(decisions, other.decisions);
    if (c == 0) {
      c = BY_TIME.compare(facts, other.facts);
    }
    return c != 0 ? c : BY_TIME.compare(appended, other.appended);
  }

  private void requireSameAggregate(ConsistencyToken other) {
    if (fingerprint != other.fingerprint) {
      throw new IllegalArgumentException(
          "consistency tokens " + this + " and " + other + " belong to different aggregates");
    }
  }

  /** The token's text form, which {@link #parse} reads. */
  @Override
  public String toString() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(48);
    out.write(FORMAT);
    out.write(fingerprint >>> 24);
    out.write(fingerprint >>> 16);
    out.write(fingerprint >>> 8);
    out.write(fingerprint);
    long rest = decisions;
    while ((rest & ~0x7fL) != 0) {
      out.write((int) ((rest & 0x7f) | 0x80));
      rest >>>= 7;
    }
    out.write((int) rest);
    boolean sameAsFacts = appended != null && appended.equals(facts);
    out.write(
        (facts != null ? HAS_FACTS : 0)
            | (appended != null ? HAS_APPENDED : 0)
            | (sameAsFacts ? APPENDED_IS_FACTS : 0));
    if (facts != null) {
      writeUuid(out, facts);
    }
    if (appended != null && !sameAsFacts) {
      writeUuid(out, appended);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray());
  }

  private static void writeUuid(ByteArrayOutputStream out, UUID id) {
    out.writeBytes(
        ByteBuffer.allocate(16)
            .putLong(id.getMostSignificantBits())
            .putLong(id.getLeastSignificantBits())
            .array());
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ConsistencyToken other
        && fingerprint == other.fingerprint
        && decisions == other.decisions
        && Objects.equals(facts, other.facts)
        && Objects.equals(appended, other.appended);
  }

  @Override
  public int hashCode() {
    return Objects.hash(fingerprint, decisions, facts, appended);
  }

  private static int fingerprintOf(AggregateId aggregate) {
    requireNonNull(aggregate, "aggregate must not be null");
    CRC32C crc = new CRC32C();
    crc.update(aggregate.type().getBytes(StandardCharsets.UTF_8));
    crc.update('/');
    crc.update(aggregate.id().getBytes(StandardCharsets.UTF_8));
    return (int) crc.getValue();
  }
}
