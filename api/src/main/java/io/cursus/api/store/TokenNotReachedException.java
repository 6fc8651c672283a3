package io.cursus.api.store;

import io.cursus.api.AggregateId;
import io.cursus.api.TransientCursusException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A read "at least this token" gave up: within its bounded wait the store showed no history that
 * contains what the token stands for. The write may still be on its way to the replicas read (or
 * the token comes from another store); trying again later may help.
 */
public final class TokenNotReachedException extends TransientCursusException {
  private static final long serialVersionUID = 1L;

  private final transient AggregateId aggregate;
  private final transient ConsistencyToken wanted;
  private final transient ConsistencyToken newest;

  /**
   * For store implementations: reading {@code aggregate} at least at {@code wanted} found no newer
   * than {@code newest} within {@code waited}; {@code how} says how the store read; {@code cause}
   * is the last failure of a read, if the last read failed.
   */
  public TokenNotReachedException(
      AggregateId aggregate,
      ConsistencyToken wanted,
      ConsistencyToken newest,
      Duration waited,
      String how,
      @Nullable Throwable cause) {
    super(
        "no history of "
            + aggregate
            + " at least at token "
            + wanted
            + " within "
            + waited.toMillis()
            + " ms ("
            + how
            + "); the newest read was at "
            + newest
            + (cause == null ? "" : "; the last read failed: " + cause.getMessage()),
        cause);
    this.aggregate = aggregate;
    this.wanted = wanted;
    this.newest = newest;
  }

  public AggregateId aggregate() {
    return aggregate;
  }

  /** The token the read had to reach. */
  public ConsistencyToken wanted() {
    return wanted;
  }

  /** The token of the newest history the store read. */
  public ConsistencyToken newest() {
    return newest;
  }
}
