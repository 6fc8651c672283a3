package io.cursus.cassandra.internal;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.config.DriverExecutionProfile;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.BatchableStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects writes by the partition they go to, and turns each partition's writes into unlogged
 * single-partition batches: Cassandra applies such a batch as one mutation of one partition (no
 * batch log, no coordination across partitions), which costs far less than one request per row.
 * Each statement keeps its own {@code USING TIMESTAMP}. Only bound (prepared) statements are
 * accepted, so every batch is prepared CQL. Not thread-safe; one per call.
 */
public final class PartitionBatches {

  /** Statements per batch at most, so that one long history is not one huge request. */
  static final int MAX_STATEMENTS = 100;

  private final Map<Object, List<BoundStatement>> byPartition = new LinkedHashMap<>();

  /** Adds {@code write}, which goes to the partition identified by {@code partition}. */
  public void add(Object partition, BoundStatement write) {
    byPartition.computeIfAbsent(partition, p -> new ArrayList<>()).add(write);
  }

  /**
   * The requests to run: a partition's single write as it is, several as unlogged batches of at
   * most {@value #MAX_STATEMENTS} statements, executed with {@code settings} (a batch runs with its
   * own settings, not with those of its statements). The batches are idempotent when every
   * statement in them is.
   */
  public List<Statement<?>> requests(RequestSettings settings) {
    List<Statement<?>> requests = new ArrayList<>(byPartition.size());
    for (List<BoundStatement> writes : byPartition.values()) {
      if (writes.size() == 1) {
        requests.add(writes.get(0));
        continue;
      }
      for (int from = 0; from < writes.size(); from += MAX_STATEMENTS) {
        List<BoundStatement> chunk =
            writes.subList(from, Math.min(writes.size(), from + MAX_STATEMENTS));
        boolean idempotent = true;
        for (BoundStatement write : chunk) {
          idempotent &= Boolean.TRUE.equals(write.isIdempotent());
        }
        requests.add(
            withSettings(
                    BatchStatement.builder(BatchType.UNLOGGED)
                        .addStatements(List.<BatchableStatement<?>>copyOf(chunk))
                        .setIdempotence(idempotent),
                    settings)
                .build());
      }
    }
    return requests;
  }

  /**
   * {@code batch} with {@code settings}, and run with their {@link RequestSettings#batchProfile} if
   * they have one: the driver takes a batch's timeout from its profile only.
   */
  static BatchStatementBuilder withSettings(BatchStatementBuilder batch, RequestSettings settings) {
    BatchStatementBuilder applied = settings.applyTo(batch);
    DriverExecutionProfile profile = settings.batchProfile();
    return profile == null ? applied : applied.setExecutionProfile(profile);
  }

  /**
   * {@code writes}, all to one partition and the first carrying the conditions, as one conditional
   * batch with {@code settings} (their consistency is the commit's) and {@code serialConsistency}
   * for the Paxos round: Cassandra runs it as one lightweight transaction on that partition and
   * applies all of it or none. Cassandra gives every cell of such a batch the ballot's timestamp
   * (it refuses {@code USING TIMESTAMP} on the conditional statement and ignores it on the others).
   * Not idempotent: the caller resolves an unknown outcome itself.
   */
  public static Statement<?> conditional(
      List<BoundStatement> writes, RequestSettings settings, ConsistencyLevel serialConsistency) {
    return withSettings(
            BatchStatement.builder(BatchType.UNLOGGED)
                .addStatements(List.<BatchableStatement<?>>copyOf(writes))
                .setIdempotence(false),
            settings)
        .setSerialConsistencyLevel(serialConsistency)
        .build();
  }

  /**
   * {@code writes}, all to one partition, as one unlogged batch (applied together by the replica
   * that owns the partition) with {@code consistency} and {@code timeout}; idempotent, as the
   * writes are.
   */
  public static Statement<?> onePartition(
      List<BoundStatement> writes, ConsistencyLevel consistency, Duration timeout) {
    return BatchStatement.builder(BatchType.UNLOGGED)
        .addStatements(List.<BatchableStatement<?>>copyOf(writes))
        .setIdempotence(true)
        .setConsistencyLevel(consistency)
        .setTimeout(timeout)
        .build();
  }
}
