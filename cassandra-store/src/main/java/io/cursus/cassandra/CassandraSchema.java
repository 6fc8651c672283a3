package io.cursus.cassandra;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.cursus.cassandra.internal.Cql;
import io.cursus.cassandra.internal.Failures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Creates the keyspace and tables of the Cassandra store, idempotently ({@code IF NOT EXISTS}).
 *
 * <pre>{@code
 * CassandraSchema.of(CassandraTables.inKeyspace("cursus"))
 *     .networkTopology(Map.of("dc1", 3))
 *     .create(session);
 * }</pre>
 *
 * <p>Replication defaults to {@code SimpleStrategy} with replication factor 1, which suits one node
 * only; give a production cluster {@link #networkTopology} with at least 2 (better 3) replicas per
 * data center. {@link #statements()} returns the CQL for review or for running by hand. Immutable.
 */
public final class CassandraSchema {

  private final CassandraTables tables;
  private final Map<String, String> replication;

  private CassandraSchema(CassandraTables tables, Map<String, String> replication) {
    this.tables = requireNonNull(tables, "tables must not be null");
    // in the order given, so that statements() reads the same in every run
    this.replication = Collections.unmodifiableMap(new LinkedHashMap<>(replication));
  }

  /** The schema of {@code tables}, replicated once ({@code SimpleStrategy}, factor 1). */
  public static CassandraSchema of(CassandraTables tables) {
    return new CassandraSchema(tables, simple(1));
  }

  /** This schema with {@code SimpleStrategy} and {@code factor} replicas. */
  public CassandraSchema simpleStrategy(int factor) {
    return new CassandraSchema(tables, simple(factor));
  }

  /** This schema with {@code NetworkTopologyStrategy} and the replicas per data center. */
  public CassandraSchema networkTopology(Map<String, Integer> replicasPerDataCenter) {
    if (replicasPerDataCenter.isEmpty()) {
      throw new IllegalArgumentException("network topology needs at least one data center");
    }
    Map<String, String> options = new LinkedHashMap<>();
    options.put("class", "NetworkTopologyStrategy");
    replicasPerDataCenter.forEach(
        (dc, factor) -> {
          checkFactor(factor);
          options.put(dc, Integer.toString(factor));
        });
    return new CassandraSchema(tables, options);
  }

  public CassandraTables tables() {
    return tables;
  }

  /** The CQL statements {@link #create} runs, in order. */
  public List<String> statements() {
    Cql cql = new Cql(tables);
    List<String> statements = new ArrayList<>();
    statements.add(cql.createKeyspace(replication));
    statements.addAll(cql.createTables());
    return statements;
  }

  /**
   * Creates what does not exist yet and waits until every node agrees on the schema.
   *
   * @throws io.cursus.api.CursusException if Cassandra refuses or does not answer
   */
  public void create(CqlSession session) {
    requireNonNull(session, "session must not be null");
    for (String cql : statements()) {
      try {
        session.execute(SimpleStatement.newInstance(cql).setTimeout(Duration.ofSeconds(60)));
      } catch (RuntimeException e) {
        throw Failures.classify(e, "creating the schema with: " + cql);
      }
    }
    if (!session.checkSchemaAgreement()) {
      throw Failures.transientFailure(
          "the nodes did not agree on the schema of keyspace " + tables.keyspace() + " in time",
          null);
    }
  }

  private static Map<String, String> simple(int factor) {
    checkFactor(factor);
    Map<String, String> options = new LinkedHashMap<>();
    options.put("class", "SimpleStrategy");
    options.put("replication_factor", Integer.toString(factor));
    return options;
  }

  private static void checkFactor(int factor) {
    if (factor < 1) {
      throw new IllegalArgumentException("replication factor must be at least 1, was " + factor);
    }
  }
}
