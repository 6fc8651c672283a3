package io.cursus.cassandra.internal;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.cursus.api.store.HistoryOrder;
import io.cursus.api.store.TimeRange;
import io.cursus.cassandra.CassandraTables;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every CQL statement of the Cassandra store, index and schema, for one set of {@link
 * CassandraTables}. Each table's columns are listed once, here, and the {@code CREATE TABLE}, the
 * inserts and the selects are derived from that list, so the schema and the statements cannot drift
 * apart.
 *
 * <p>The order of a table's columns is the order the store binds them in ({@code INSERT}) and, for
 * the event table, the order {@link RowCodec} reads them in ({@link #EVENT_COLUMNS}). Immutable.
 */
public final class Cql {

  /** A column and its CQL type. */
  private record Column(String name, String type) {
    @Override
    public String toString() {
      return name + " " + type;
    }
  }

  /** A table's columns, in binding order, and what follows them in its definition. */
  private record Table(List<Column> columns, String primaryKey, String options) {
    String names(int from) {
      return columns.subList(from, columns.size()).stream()
          .map(Column::name)
          .collect(Collectors.joining(", "));
    }

    String definition() {
      return columns.stream().map(Column::toString).collect(Collectors.joining(", "))
          + ", PRIMARY KEY ("
          + primaryKey
          + "))"
          + options;
    }

    String markers() {
      return String.join(", ", Collections.nCopies(columns.size(), "?"));
    }
  }

  private static final String TEXT = "text";

  /**
   * The event table: one partition per aggregate, clustered newest first. The parameters column is
   * a frozen map (ADR 6).
   */
  private static final Table EVENT =
      new Table(
          List.of(
              new Column("aggregate_type", TEXT),
              new Column("aggregate_id", TEXT),
              new Column("event_timestamp", "timestamp"),
              new Column("stream_id", TEXT),
              new Column("processing_id", "timeuuid"),
              new Column("name", TEXT),
              new Column("version", TEXT),
              new Column("parameters", "frozen<map<text, text>>"),
              new Column("characteristics", "int")),
          "(aggregate_type, aggregate_id), event_timestamp, stream_id",
          " WITH CLUSTERING ORDER BY (event_timestamp DESC, stream_id ASC)");

  /** Columns of the event table's partition key, which lead its column list. */
  private static final int EVENT_KEY_COLUMNS = 2;

  /**
   * The aggregate's head for conditional appends (ADR 8): static columns of the event partition.
   * {@code decisions} counts the conditional appends, {@code decision_id} and {@code decision_mark}
   * name the last one, {@code decided_names} holds the decision that last wrote each event name;
   * {@code facts_mark} and {@code fact_names} are the newest processing ids plain appends wrote.
   */
  private static final List<Column> HEAD =
      List.of(
          new Column("decisions", "bigint"),
          new Column("decision_id", "timeuuid"),
          new Column("decision_mark", "timeuuid"),
          new Column("decided_names", "map<text, bigint>"),
          new Column("facts_mark", "timeuuid"),
          new Column("fact_names", "map<text, timeuuid>"));

  /** The head's columns, in the order {@link #selectHead()} selects them. */
  public static final String HEAD_COLUMNS =
      HEAD.stream().map(Column::name).collect(Collectors.joining(", "));

  /** The catalogue: aggregate ids by type, spread over hash buckets. */
  private static final Table CATALOGUE =
      new Table(
          List.of(
              new Column("aggregate_type", TEXT),
              new Column("bucket", "int"),
              new Column("aggregate_id", TEXT)),
          "(aggregate_type, bucket), aggregate_id",
          "");

  /** Each aggregate's latest value of each indexed parameter. */
  private static final Table INDEX_LATEST =
      new Table(
          List.of(
              new Column("aggregate_type", TEXT),
              new Column("aggregate_id", TEXT),
              new Column("parameter", TEXT),
              new Column("value", TEXT)),
          "(aggregate_type, aggregate_id), parameter",
          "");

  /** The aggregates that have (or had) each value of each indexed parameter. */
  private static final Table INDEX_VALUE =
      new Table(
          List.of(
              new Column("aggregate_type", TEXT),
              new Column("parameter", TEXT),
              new Column("value", TEXT),
              new Column("aggregate_id", TEXT)),
          "(aggregate_type, parameter, value), aggregate_id",
          "");

  /** The event types a store has written, one row each, for the start-up check. */
  private static final Table TYPES =
      new Table(
          List.of(
              new Column("aggregate_type", TEXT),
              new Column("name", TEXT),
              new Column("version", TEXT)),
          "aggregate_type, name, version",
          "");

  /**
   * The progress of migrations: one row per finished token range of a migration, and the counts it
   * rewrote there.
   */
  private static final Table MIGRATIONS =
      new Table(
          List.of(
              new Column("migration", TEXT),
              new Column("range_start", TEXT),
              new Column("range_end", TEXT),
              new Column("events_read", "bigint"),
              new Column("events_rewritten", "bigint")),
          "migration, range_start, range_end",
          "");

  /**
   * Projection checkpoints: one partition per checkpoint key, the checkpoint's generation and
   * catch-up state in a static column, one row per source partition with its next offset, so that
   * saving merges partition by partition.
   */
  private static final Table CHECKPOINT =
      new Table(
          List.of(
              new Column("checkpoint_key", TEXT),
              new Column("source_partition", TEXT),
              new Column("next_offset", "bigint"),
              new Column("header", "text static")),
          "(checkpoint_key), source_partition",
          "");

  /** What projections parked: one partition per projection, one row per parked key. */
  private static final Table PARKED =
      new Table(
          List.of(
              new Column("projection", TEXT),
              new Column("parked_key", TEXT),
              new Column("generation", "int"),
              new Column("aggregate_type", TEXT),
              new Column("aggregate_id", TEXT),
              new Column("events", "list<text>"),
              new Column("reason", TEXT),
              new Column("attempts", "int"),
              new Column("parked_at", "timestamp")),
          "(projection), parked_key",
          "");

  /** Projection claims, taken with lightweight transactions. */
  private static final Table CLAIM =
      new Table(
          List.of(
              new Column("projection", TEXT),
              new Column("owner", TEXT),
              new Column("claimed_until", "timestamp")),
          "projection",
          "");

  /** The table of projection checkpoints, in every keyspace. */
  public static final String CHECKPOINT_TABLE = "projection_checkpoint";

  /** The table of parked events, in every keyspace. */
  public static final String PARKED_TABLE = "projection_parked";

  /** The table of projection claims, in every keyspace. */
  public static final String CLAIM_TABLE = "projection_claim";

  /**
   * The columns of an event that every event query selects after the partition key, in the order
   * {@link RowCodec#read} reads them.
   */
  public static final String EVENT_COLUMNS = EVENT.names(EVENT_KEY_COLUMNS);

  private final CassandraTables tables;

  public Cql(CassandraTables tables) {
    this.tables = requireNonNull(tables, "tables must not be null");
  }

  /** {@code CREATE KEYSPACE IF NOT EXISTS} with the {@code replication} options, in their order. */
  public String createKeyspace(Map<String, String> replication) {
    return "CREATE KEYSPACE IF NOT EXISTS "
        + tables.keyspace()
        + " WITH replication = {"
        + replication.entrySet().stream()
            .map(e -> "'" + e.getKey() + "': '" + e.getValue() + "'")
            .collect(Collectors.joining(", "))
        + "}";
  }

  /**
   * {@code CREATE TABLE IF NOT EXISTS} of the event, catalogue and the two index tables, the stored
   * types, the migrations' progress and the three projection tables (checkpoints, parked events,
   * claims), then the head's static columns added to an event table made before them (ADR 8).
   */
  public List<String> createTables() {
    List<String> cql = new ArrayList<>(10);
    cql.add(createTable(tables.events(), EVENT));
    cql.add(createTable(tables.catalogue(), CATALOGUE));
    cql.add(createTable(tables.indexLatest(), INDEX_LATEST));
    cql.add(createTable(tables.indexValues(), INDEX_VALUE));
    cql.add(createTable(typesTable(), TYPES));
    cql.add(createTable(migrationsTable(), MIGRATIONS));
    cql.add(createTable(CHECKPOINT_TABLE, CHECKPOINT));
    cql.add(createTable(PARKED_TABLE, PARKED));
    cql.add(createTable(CLAIM_TABLE, CLAIM));
    cql.add(addHead());
    return cql;
  }

  /** Sets a checkpoint's header (static column): header, then the checkpoint key. */
  public String writeCheckpointHeader() {
    return "UPDATE " + qualified(CHECKPOINT_TABLE) + " SET header = ? WHERE checkpoint_key = ?";
  }

  /** Sets one partition's next offset: offset, then checkpoint key and partition. */
  public String writeCheckpointOffset() {
    return "UPDATE "
        + qualified(CHECKPOINT_TABLE)
        + " SET next_offset = ? WHERE checkpoint_key = ? AND source_partition = ?";
  }

  /** Reads a checkpoint: header, partition, offset rows of one key. */
  public String readCheckpoint() {
    return "SELECT header, source_partition, next_offset FROM "
        + qualified(CHECKPOINT_TABLE)
        + " WHERE checkpoint_key = ?";
  }

  /** Deletes a checkpoint by key. */
  public String deleteCheckpoint() {
    return "DELETE FROM " + qualified(CHECKPOINT_TABLE) + " WHERE checkpoint_key = ?";
  }

  /** Inserts a parked event: every column of the parked table, in order. */
  public String insertParked() {
    return insert(PARKED_TABLE, PARKED);
  }

  /** Selects every column of the parked rows of one projection. */
  public String selectParked() {
    return "SELECT "
        + PARKED.names(0)
        + " FROM "
        + qualified(PARKED_TABLE)
        + " WHERE projection = ?";
  }

  /** Selects every column of one parked row: projection, then key. */
  public String selectParkedKey() {
    return selectParked() + " AND parked_key = ?";
  }

  /** Deletes one parked row: projection, then key. */
  public String deleteParked() {
    return "DELETE FROM " + qualified(PARKED_TABLE) + " WHERE projection = ? AND parked_key = ?";
  }

  /** Takes a free claim: projection, owner, until. */
  public String insertClaim() {
    return insert(CLAIM_TABLE, CLAIM) + " IF NOT EXISTS";
  }

  /**
   * Takes over or renews a claim held as read: new owner, new until, projection, then the owner and
   * until read.
   */
  public String replaceClaim() {
    return "UPDATE "
        + qualified(CLAIM_TABLE)
        + " SET owner = ?, claimed_until = ? WHERE projection = ?"
        + " IF owner = ? AND claimed_until = ?";
  }

  /** Reads a claim: owner and until of one projection. */
  public String readClaim() {
    return "SELECT owner, claimed_until FROM " + qualified(CLAIM_TABLE) + " WHERE projection = ?";
  }

  /** Releases a claim: projection, then owner. */
  public String deleteClaim() {
    return "DELETE FROM " + qualified(CLAIM_TABLE) + " WHERE projection = ? IF owner = ?";
  }

  /** The table of stored types: the event table's name and {@code _types}. */
  public String typesTable() {
    return tables.events() + "_types";
  }

  /** The table of migrations' progress: the event table's name and {@code _migrations}. */
  public String migrationsTable() {
    return tables.events() + "_migrations";
  }

  /** Records a stored type: aggregate type, name, version. */
  public String insertType() {
    return insert(typesTable(), TYPES);
  }

  /** Selects every stored type: aggregate type, name, version. */
  public String selectTypes() {
    return "SELECT " + TYPES.names(0) + " FROM " + qualified(typesTable());
  }

  /** Deletes an event row: write timestamp, then type, id, event time and stream. */
  public String deleteEvent() {
    return "DELETE FROM "
        + qualified(tables.events())
        + " USING TIMESTAMP ?"
        + " WHERE aggregate_type = ? AND aggregate_id = ? AND event_timestamp = ? AND stream_id = ?";
  }

  /**
   * Selects the aggregate (type, id), {@link #EVENT_COLUMNS} and the write timestamp of the
   * parameters of every event row in a token range (start exclusive, end inclusive).
   */
  public String scanEventsForMigration() {
    return "SELECT "
        + EVENT.names(0)
        + ", WRITETIME(parameters) FROM "
        + qualified(tables.events())
        + " WHERE token(aggregate_type, aggregate_id) > ?"
        + " AND token(aggregate_type, aggregate_id) <= ?";
  }

  /** Records a finished range of a migration: every column of the migrations table in order. */
  public String insertMigrationRange() {
    return insert(migrationsTable(), MIGRATIONS);
  }

  /** Deletes the progress of one migration: its name. */
  public String deleteMigration() {
    return "DELETE FROM " + qualified(migrationsTable()) + " WHERE migration = ?";
  }

  /** Selects the finished ranges of one migration: start, end, events read and rewritten. */
  public String selectMigrationRanges() {
    return "SELECT range_start, range_end, events_read, events_rewritten FROM "
        + qualified(migrationsTable())
        + " WHERE migration = ?";
  }

  /** {@code ALTER TABLE ... ADD IF NOT EXISTS} of the head's static columns on the event table. */
  public String addHead() {
    return "ALTER TABLE "
        + qualified(tables.events())
        + " ADD IF NOT EXISTS ("
        + HEAD.stream().map(c -> c + " static").collect(Collectors.joining(", "))
        + ")";
  }

  /** Inserts an event row: every column of the event table in order, then its write timestamp. */
  public String insertEvent() {
    return insert(tables.events(), EVENT) + " USING TIMESTAMP ?";
  }

  /**
   * Selects {@link #EVENT_COLUMNS} of one aggregate (type, id), with bounds on the event time where
   * {@code range} has them (each bound one more marker, lower first), in {@code order}.
   */
  public String selectHistory(TimeRange range, HistoryOrder order) {
    return selectHistory(EVENT_COLUMNS, range, order);
  }

  private String selectHistory(String columns, TimeRange range, HistoryOrder order) {
    String lower = range.lower().map(b -> b.inclusive() ? " >= ?" : " > ?").orElse(null);
    String upper = range.upper().map(b -> b.inclusive() ? " <= ?" : " < ?").orElse(null);
    return "SELECT "
        + columns
        + " FROM "
        + qualified(tables.events())
        + " WHERE aggregate_type = ? AND aggregate_id = ?"
        + (lower == null ? "" : " AND event_timestamp" + lower)
        + (upper == null ? "" : " AND event_timestamp" + upper)
        + " ORDER BY event_timestamp "
        + (order == HistoryOrder.ASCENDING ? "ASC" : "DESC");
  }

  /**
   * Inserts an event row as {@link #insertEvent()} does, without a write timestamp: a row of a
   * conditional batch, which gets the Paxos ballot's timestamp (ADR 8).
   */
  public String insertDecidedEvent() {
    return insert(tables.events(), EVENT);
  }

  /**
   * As {@link #selectHistory}, with the head's {@code decisions} and {@code facts_mark} after the
   * event columns: a history and its token in one read.
   */
  public String selectHistoryWithHead(TimeRange range, HistoryOrder order) {
    return selectHistory(EVENT_COLUMNS + ", decisions, facts_mark", range, order);
  }

  /** Selects {@link #HEAD_COLUMNS} of one aggregate (type, id). */
  public String selectHead() {
    return "SELECT "
        + HEAD_COLUMNS
        + " FROM "
        + qualified(tables.events())
        + " WHERE aggregate_type = ? AND aggregate_id = ? LIMIT 1";
  }

  /**
   * The head update of a conditional append: sets decisions, decision id, decision mark, adds to
   * decided names, for (type, id), if decisions, facts mark and (not) decision id are as bound, and
   * each of {@code names} fact names (name, mark) is as bound.
   */
  public String decide(int names) {
    StringBuilder cql =
        new StringBuilder("UPDATE ")
            .append(qualified(tables.events()))
            .append(
                " SET decisions = ?, decision_id = ?, decision_mark = ?,"
                    + " decided_names = decided_names + ?"
                    + " WHERE aggregate_type = ? AND aggregate_id = ?"
                    + " IF decisions = ? AND facts_mark = ? AND decision_id != ?");
    for (int i = 0; i < names; i++) {
      cql.append(" AND fact_names[?] = ?");
    }
    return cql.toString();
  }

  /**
   * A plain append's facts mark: write timestamp, newest processing id, its name and id again, then
   * type and id.
   */
  public String markFacts() {
    return "UPDATE "
        + qualified(tables.events())
        + " USING TIMESTAMP ? SET facts_mark = ?, fact_names[?] = ?"
        + " WHERE aggregate_type = ? AND aggregate_id = ?";
  }

  /** A plain append's mark of one event name: write timestamp, name, id, then type and id. */
  public String markFactName() {
    return "UPDATE "
        + qualified(tables.events())
        + " USING TIMESTAMP ? SET fact_names[?] = ?"
        + " WHERE aggregate_type = ? AND aggregate_id = ?";
  }

  /**
   * Selects the aggregate (type, id) and {@link #EVENT_COLUMNS} of every event row in a token range
   * (start exclusive, end inclusive).
   */
  public String scanEvents() {
    return "SELECT "
        + EVENT.names(0)
        + " FROM "
        + qualified(tables.events())
        + " WHERE token(aggregate_type, aggregate_id) > ?"
        + " AND token(aggregate_type, aggregate_id) <= ?";
  }

  /** Inserts a catalogue row: type, bucket, aggregate id. */
  public String insertCatalogue() {
    return insert(tables.catalogue(), CATALOGUE);
  }

  /** Selects the aggregate ids of one catalogue partition (type, bucket). */
  public String selectCatalogue() {
    return "SELECT aggregate_id FROM "
        + qualified(tables.catalogue())
        + " WHERE aggregate_type = ? AND bucket = ?";
  }

  /** Writes an aggregate's latest value: write timestamp, value, then type, id and parameter. */
  public String writeLatest() {
    return "UPDATE "
        + qualified(tables.indexLatest())
        + " USING TIMESTAMP ? SET value = ?"
        + " WHERE aggregate_type = ? AND aggregate_id = ? AND parameter = ?";
  }

  /** Reads an aggregate's latest value of a parameter and its write timestamp. */
  public String readLatest() {
    return "SELECT value, WRITETIME(value) FROM "
        + qualified(tables.indexLatest())
        + " WHERE aggregate_type = ? AND aggregate_id = ? AND parameter = ?";
  }

  /** Lists an aggregate under a value: every column of the value table, then a write timestamp. */
  public String writeValue() {
    return insert(tables.indexValues(), INDEX_VALUE) + " USING TIMESTAMP ?";
  }

  /** Reads the aggregate ids listed under a value (type, parameter, value key). */
  public String readCandidates() {
    return "SELECT aggregate_id FROM "
        + qualified(tables.indexValues())
        + " WHERE aggregate_type = ? AND parameter = ? AND value = ?";
  }

  /** Deletes an aggregate listed under a value: write timestamp, then the row's whole key. */
  public String deleteStale() {
    return "DELETE FROM "
        + qualified(tables.indexValues())
        + " USING TIMESTAMP ?"
        + " WHERE aggregate_type = ? AND parameter = ? AND value = ? AND aggregate_id = ?";
  }

  /**
   * Prepares {@code cql} on {@code session}.
   *
   * @throws io.cursus.api.CursusException if Cassandra cannot prepare it (most often: the schema
   *     has not been created), saying whether a retry can help
   */
  public static PreparedStatement prepare(CqlSession session, String cql) {
    try {
      return session.prepare(cql);
    } catch (RuntimeException e) {
      throw Failures.classify(e, "preparing " + cql + " (has the schema been created?)");
    }
  }

  private String createTable(String name, Table table) {
    return "CREATE TABLE IF NOT EXISTS " + qualified(name) + " (" + table.definition();
  }

  private String insert(String name, Table table) {
    return "INSERT INTO "
        + qualified(name)
        + " ("
        + table.names(0)
        + ") VALUES ("
        + table.markers()
        + ")";
  }

  private String qualified(String table) {
    return tables.keyspace() + "." + table;
  }
}
