package io.cursus.api.projection;

import static java.util.Objects.requireNonNull;

import io.cursus.api.AggregateId;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a projection has done, as it is saved after every batch: its generation, its {@link
 * Position} in the live source, and, while it catches up from the store, how far the catch-up got.
 *
 * <ul>
 *   <li>{@linkplain #live live}: every event before {@link #position()} has been handled.
 *   <li>{@linkplain #catchingUp catching up}: the stored histories of the aggregates up to and
 *       including {@link #catchUpAfter()} (in the catch-up's order) have been handled; when the
 *       catch-up ends, the projection reads the live source from {@link #position()}, which was
 *       taken before the catch-up began, so nothing that arrived meanwhile is skipped.
 * </ul>
 *
 * <p>{@link #asString()} and {@link #parse} turn a checkpoint into text and back, for a handler
 * that stores its projection's checkpoint in its own transaction, beside its effects (see {@link
 * EventBatch#checkpoint()}). Immutable and thread-safe.
 */
public final class Checkpoint {

  private static final String FORMAT = "1";

  private final int generation;
  private final Position position;
  private final boolean caughtUp;
  private final AggregateId catchUpAfter;

  private Checkpoint(
      int generation, Position position, boolean caughtUp, AggregateId catchUpAfter) {
    if (generation < 1) {
      throw new IllegalArgumentException("generation must be 1 or more, was " + generation);
    }
    this.generation = generation;
    this.position = requireNonNull(position, "position must not be null");
    this.caughtUp = caughtUp;
    this.catchUpAfter = catchUpAfter;
  }

  /** A projection of {@code generation} that has handled every event before {@code position}. */
  public static Checkpoint live(int generation, Position position) {
    return new Checkpoint(generation, position, true, null);
  }

  /**
   * A projection of {@code generation} catching up from the store, which will read the live source
   * from {@code liveFrom} once done, and has handled the stored events of every aggregate up to and
   * including {@code after} (none yet if empty).
   */
  public static Checkpoint catchingUp(
      int generation, Position liveFrom, Optional<AggregateId> after) {
    requireNonNull(after, "after must not be null (use Optional.empty())");
    return new Checkpoint(generation, liveFrom, false, after.orElse(null));
  }

  /** Which build of the projection's view this is; a rebuild counts one up. Starts at 1. */
  public int generation() {
    return generation;
  }

  /**
   * Live: the position after the last event handled. Catching up: where the live source will be
   * read from once the catch-up is done.
   */
  public Position position() {
    return position;
  }

  /** Whether the catch-up is done, so the projection reads the live source. */
  public boolean isCaughtUp() {
    return caughtUp;
  }

  /**
   * While catching up: the last aggregate whose stored history has been handled, empty if none or
   * if caught up.
   */
  public Optional<AggregateId> catchUpAfter() {
    return Optional.ofNullable(catchUpAfter);
  }

  /**
   * This checkpoint as one line of text: what {@link #parse} reads back. Store it in a text column
   * or field beside your view.
   */
  public String asString() {
    StringBuilder s = new StringBuilder(FORMAT).append('|').append(generation).append('|');
    s.append(caughtUp ? "live" : "catch-up").append('|');
    if (catchUpAfter != null) {
      s.append(encode(catchUpAfter.type())).append('/').append(encode(catchUpAfter.id()));
    }
    s.append('|');
    boolean first = true;
    for (var partition : position.offsets().entrySet()) {
      if (!first) {
        s.append(',');
      }
      first = false;
      s.append(encode(partition.getKey())).append('=').append(partition.getValue());
    }
    return s.toString();
  }

  /**
   * The checkpoint {@code text} describes, as written by {@link #asString()}.
   *
   * @throws IllegalArgumentException if {@code text} is not such a line, saying which part is wrong
   */
  public static Checkpoint parse(String text) {
    requireNonNull(text, "checkpoint text must not be null");
    String[] parts = text.split("\\|", -1);
    if (parts.length != 5 || !parts[0].equals(FORMAT)) {
      throw new IllegalArgumentException(
          "not a checkpoint (expected 5 fields of format " + FORMAT + "): '" + text + "'");
    }
    int generation;
    try {
      generation = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "checkpoint '" + text + "' has no valid generation: '" + parts[1] + "'", e);
    }
    boolean caughtUp =
        switch (parts[2]) {
          case "live" -> true;
          case "catch-up" -> false;
          default ->
              throw new IllegalArgumentException(
                  "checkpoint '" + text + "' is neither live nor catch-up: '" + parts[2] + "'");
        };
    AggregateId after = null;
    if (!parts[3].isEmpty()) {
      int slash = parts[3].indexOf('/');
      if (slash < 0 || caughtUp) {
        throw new IllegalArgumentException(
            "checkpoint '" + text + "' has an invalid catch-up mark: '" + parts[3] + "'");
      }
      after =
          new AggregateId(
              decode(parts[3].substring(0, slash)), decode(parts[3].substring(slash + 1)));
    }
    TreeMap<String, Long> offsets = new TreeMap<>();
    if (!parts[4].isEmpty()) {
      for (String partition : parts[4].split(",", -1)) {
        int equals = partition.lastIndexOf('=');
        try {
          offsets.put(
              decode(partition.substring(0, equals)),
              Long.parseLong(partition.substring(equals + 1)));
        } catch (RuntimeException e) {
          throw new IllegalArgumentException(
              "checkpoint '" + text + "' has an invalid partition offset: '" + partition + "'", e);
        }
      }
    }
    return new Checkpoint(generation, Position.of(offsets), caughtUp, after);
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Checkpoint other
        && generation == other.generation
        && caughtUp == other.caughtUp
        && position.equals(other.position)
        && Objects.equals(catchUpAfter, other.catchUpAfter);
  }

  @Override
  public int hashCode() {
    return Objects.hash(generation, position, caughtUp, catchUpAfter);
  }

  @Override
  public String toString() {
    return caughtUp
        ? "generation " + generation + " live at " + position
        : "generation "
            + generation
            + " catching up"
            + (catchUpAfter == null ? "" : " after " + catchUpAfter)
            + ", then live from "
            + position;
  }
}
