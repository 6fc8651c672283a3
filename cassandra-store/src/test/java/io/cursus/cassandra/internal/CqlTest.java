package io.cursus.cassandra.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.api.store.HistoryOrder;
import io.cursus.api.store.TimeRange;
import io.cursus.cassandra.CassandraSchema;
import io.cursus.cassandra.CassandraTables;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The store's and index's statements agree with the tables the schema creates. */
class CqlTest {

  private static final CassandraTables TABLES = CassandraTables.inKeyspace("ks");
  private static final Cql CQL = new Cql(TABLES);
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Pattern COMMA = Pattern.compile(", ");

  /** The column names of {@code table}'s CREATE TABLE, in order. */
  private static List<String> createdColumns(String table) {
    String create =
        CassandraSchema.of(TABLES).statements().stream()
            .filter(cql -> cql.startsWith("CREATE TABLE IF NOT EXISTS ks." + table + " ("))
            .findFirst()
            .orElseThrow();
    String definitions = create.substring(create.indexOf('(') + 1, create.indexOf(", PRIMARY KEY"));
    List<String> names = new ArrayList<>();
    // commas inside a type (map<text, text>) do not separate columns
    for (String definition : Pattern.compile(", (?![^<]*>)").splitAsStream(definitions).toList()) {
      names.add(definition.substring(0, definition.indexOf(' ')));
    }
    return names;
  }

  private static List<String> insertedColumns(String insert) {
    Matcher m = Pattern.compile("\\(([^)]*)\\) VALUES \\(([^)]*)\\)").matcher(insert);
    assertThat(m.find()).as(insert).isTrue();
    List<String> names = COMMA.splitAsStream(m.group(1)).toList();
    assertThat(COMMA.splitAsStream(m.group(2)).toList())
        .as("a marker per column")
        .hasSameSizeAs(names);
    return names;
  }

  @Test
  void anEventInsertNamesEveryColumnOfTheEventTableInItsOrder() {
    assertThat(insertedColumns(CQL.insertEvent())).isEqualTo(createdColumns("event"));
    assertThat(CQL.insertEvent())
        .startsWith("INSERT INTO ks.event (")
        .endsWith(" USING TIMESTAMP ?");
  }

  @Test
  void eventQueriesSelectTheEventTablesColumnsAfterItsPartitionKey() {
    List<String> columns = createdColumns("event");

    assertThat(Cql.EVENT_COLUMNS).isEqualTo(String.join(", ", columns.subList(2, columns.size())));
    assertThat(CQL.scanEvents())
        .startsWith("SELECT " + String.join(", ", columns) + " FROM ks.event WHERE");
    assertThat(CQL.selectHistory(TimeRange.all(), HistoryOrder.ASCENDING))
        .isEqualTo(
            "SELECT "
                + Cql.EVENT_COLUMNS
                + " FROM ks.event WHERE aggregate_type = ? AND aggregate_id = ?"
                + " ORDER BY event_timestamp ASC");
  }

  @Test
  void aHistoryQueryBoundsTheEventTimeAsItsRangeDoes() {
    String prefix =
        "SELECT "
            + Cql.EVENT_COLUMNS
            + " FROM ks.event WHERE aggregate_type = ? AND aggregate_id = ?";

    assertThat(
            CQL.selectHistory(
                TimeRange.from(T0).before(T0.plusSeconds(1)), HistoryOrder.DESCENDING))
        .isEqualTo(
            prefix
                + " AND event_timestamp >= ? AND event_timestamp < ?"
                + " ORDER BY event_timestamp DESC");
    assertThat(
            CQL.selectHistory(TimeRange.after(T0).until(T0.plusSeconds(1)), HistoryOrder.ASCENDING))
        .isEqualTo(
            prefix
                + " AND event_timestamp > ? AND event_timestamp <= ?"
                + " ORDER BY event_timestamp ASC");
    assertThat(CQL.selectHistory(TimeRange.upTo(T0), HistoryOrder.ASCENDING))
        .isEqualTo(prefix + " AND event_timestamp <= ? ORDER BY event_timestamp ASC");
  }

  @Test
  void catalogueAndIndexWritesNameTheirTablesColumnsInOrder() {
    assertThat(insertedColumns(CQL.insertCatalogue()))
        .isEqualTo(createdColumns("aggregate_catalogue"));
    assertThat(insertedColumns(CQL.writeValue())).isEqualTo(createdColumns("index_value"));
    assertThat(CQL.writeLatest())
        .isEqualTo(
            "UPDATE ks.index_latest USING TIMESTAMP ? SET value = ?"
                + " WHERE aggregate_type = ? AND aggregate_id = ? AND parameter = ?");
    assertThat(CQL.deleteStale())
        .isEqualTo(
            "DELETE FROM ks.index_value USING TIMESTAMP ? WHERE aggregate_type = ?"
                + " AND parameter = ? AND value = ? AND aggregate_id = ?");
  }
}
