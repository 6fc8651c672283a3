package io.cursus.cassandra;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import io.cursus.api.projection.ProjectionClaims;
import io.cursus.cassandra.internal.Cql;
import io.cursus.cassandra.internal.Failures;
import java.time.Duration;
import java.time.Instant;

/**
 * Projection claims in the table {@code projection_claim} of a keyspace, created by {@link
 * CassandraSchema}, taken and renewed with lightweight transactions: a claim is inserted {@code IF
 * NOT EXISTS}, renewed or taken over {@code IF} owner and expiry are still those read, released
 * {@code IF} the owner is the caller. Two processes that share the table therefore never both hold
 * a projection, which is what lets one instance at a time run a projection whose source does not
 * share out work (the in-memory feed, or a source of your own).
 *
 * <p>Time is the callers' ({@code now} and {@code until} of {@link #claim}): keep the clocks of the
 * processes within a small fraction of the claim timeout of each other. Lightweight transactions
 * use the serial consistency of the session (by default {@code SERIAL}); other statements use
 * {@code LOCAL_QUORUM}. Thread-safe; the session is the caller's.
 */
public final class CassandraProjectionClaims implements ProjectionClaims {

  private static final ConsistencyLevel CONSISTENCY = DefaultConsistencyLevel.LOCAL_QUORUM;
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final CqlSession session;
  private final PreparedStatement insert;
  private final PreparedStatement replace;
  private final PreparedStatement delete;

  private CassandraProjectionClaims(CqlSession session, CassandraTables tables) {
    this.session = requireNonNull(session, "session must not be null");
    Cql cql = new Cql(requireNonNull(tables, "tables must not be null"));
    this.insert = Cql.prepare(session, cql.insertClaim());
    this.replace = Cql.prepare(session, cql.replaceClaim());
    this.delete = Cql.prepare(session, cql.deleteClaim());
  }

  /**
   * Claims in the keyspace of {@code tables}, whose schema {@link CassandraSchema#create} has
   * created.
   */
  public static CassandraProjectionClaims using(CqlSession session, CassandraTables tables) {
    return new CassandraProjectionClaims(session, tables);
  }

  @Override
  public boolean claim(String name, String owner, Instant now, Instant until) {
    requireNonNull(name, "name must not be null");
    requireNonNull(owner, "owner must not be null");
    requireNonNull(now, "now must not be null");
    requireNonNull(until, "until must not be null");
    String doing = "claiming projection '" + name + "' for '" + owner + "'";
    try {
      ResultSet inserted = session.execute(insert.bind(name, owner, until).setTimeout(TIMEOUT));
      if (inserted.wasApplied()) {
        return true;
      }
      // Not applied: the row holds the claim as it is now.
      Row held = inserted.one();
      if (held == null) {
        return false;
      }
      String holder = held.getString("owner");
      Instant heldUntil = held.getInstant("claimed_until");
      boolean free = holder == null || heldUntil == null || heldUntil.isBefore(now);
      if (!owner.equals(holder) && !free) {
        return false;
      }
      return session
          .execute(replace.bind(owner, until, name, holder, heldUntil).setTimeout(TIMEOUT))
          .wasApplied();
    } catch (RuntimeException e) {
      throw Failures.classify(e, doing);
    }
  }

  @Override
  public void release(String name, String owner) {
    requireNonNull(name, "name must not be null");
    requireNonNull(owner, "owner must not be null");
    try {
      session.execute(
          delete.bind(name, owner).setTimeout(TIMEOUT).setConsistencyLevel(CONSISTENCY));
    } catch (RuntimeException e) {
      throw Failures.classify(e, "releasing projection '" + name + "' of '" + owner + "'");
    }
  }
}
