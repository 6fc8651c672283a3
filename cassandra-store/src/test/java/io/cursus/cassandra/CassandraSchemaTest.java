package io.cursus.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The schema's CQL, which docs/cassandra.md shows and operators may run by hand. */
class CassandraSchemaTest {

  @Test
  void createsTheKeyspaceThenTheTablesThenTheHeadColumnsAsTheGuideShowsThem() {
    assertThat(CassandraSchema.of(CassandraTables.inKeyspace("cursus")).statements())
        .containsExactly(
            "CREATE KEYSPACE IF NOT EXISTS cursus WITH replication ="
                + " {'class': 'SimpleStrategy', 'replication_factor': '1'}",
            "CREATE TABLE IF NOT EXISTS cursus.event (aggregate_type text, aggregate_id text,"
                + " event_timestamp timestamp, stream_id text, processing_id timeuuid, name text,"
                + " version text, parameters frozen<map<text, text>>, characteristics int,"
                + " PRIMARY KEY ((aggregate_type, aggregate_id), event_timestamp, stream_id))"
                + " WITH CLUSTERING ORDER BY (event_timestamp DESC, stream_id ASC)",
            "CREATE TABLE IF NOT EXISTS cursus.aggregate_catalogue (aggregate_type text,"
                + " bucket int, aggregate_id text,"
                + " PRIMARY KEY ((aggregate_type, bucket), aggregate_id))",
            "CREATE TABLE IF NOT EXISTS cursus.index_latest (aggregate_type text,"
                + " aggregate_id text, parameter text, value text,"
                + " PRIMARY KEY ((aggregate_type, aggregate_id), parameter))",
            "CREATE TABLE IF NOT EXISTS cursus.index_value (aggregate_type text, parameter text,"
                + " value text, aggregate_id text,"
                + " PRIMARY KEY ((aggregate_type, parameter, value), aggregate_id))",
            "CREATE TABLE IF NOT EXISTS cursus.event_types (aggregate_type text, name text,"
                + " version text, PRIMARY KEY (aggregate_type, name, version))",
            "CREATE TABLE IF NOT EXISTS cursus.event_migrations (migration text,"
                + " range_start text, range_end text, events_read bigint, events_rewritten bigint,"
                + " PRIMARY KEY (migration, range_start, range_end))",
            "CREATE TABLE IF NOT EXISTS cursus.projection_checkpoint (checkpoint_key text,"
                + " source_partition text, next_offset bigint, header text static,"
                + " PRIMARY KEY ((checkpoint_key), source_partition))",
            "CREATE TABLE IF NOT EXISTS cursus.projection_parked (projection text,"
                + " parked_key text, generation int, aggregate_type text, aggregate_id text,"
                + " events list<text>, reason text, attempts int, parked_at timestamp,"
                + " PRIMARY KEY ((projection), parked_key))",
            "CREATE TABLE IF NOT EXISTS cursus.projection_claim (projection text, owner text,"
                + " claimed_until timestamp, PRIMARY KEY (projection))",
            "ALTER TABLE cursus.event ADD IF NOT EXISTS (decisions bigint static,"
                + " decision_id timeuuid static, decision_mark timeuuid static,"
                + " decided_names map<text, bigint> static, facts_mark timeuuid static,"
                + " fact_names map<text, timeuuid> static)");
  }

  @Test
  void namesTheTablesAndKeyspaceGivenAndListsDataCentersInTheOrderGiven() {
    // given
    Map<String, Integer> dataCenters = new LinkedHashMap<>();
    dataCenters.put("dc2", 3);
    dataCenters.put("dc1", 2);
    CassandraTables tables = new CassandraTables("shop", "events", "ids", "latest", "by_value");

    // when
    var statements = CassandraSchema.of(tables).networkTopology(dataCenters).statements();

    // then
    assertThat(statements.get(0))
        .isEqualTo(
            "CREATE KEYSPACE IF NOT EXISTS shop WITH replication ="
                + " {'class': 'NetworkTopologyStrategy', 'dc2': '3', 'dc1': '2'}");
    assertThat(statements.subList(1, 7))
        .map(cql -> cql.substring(0, cql.indexOf(" (")))
        .containsExactly(
            "CREATE TABLE IF NOT EXISTS shop.events",
            "CREATE TABLE IF NOT EXISTS shop.ids",
            "CREATE TABLE IF NOT EXISTS shop.latest",
            "CREATE TABLE IF NOT EXISTS shop.by_value",
            "CREATE TABLE IF NOT EXISTS shop.events_types",
            "CREATE TABLE IF NOT EXISTS shop.events_migrations");
  }

  @Test
  void refusesAReplicationFactorBelowOne() {
    CassandraSchema schema = CassandraSchema.of(CassandraTables.inKeyspace("cursus"));

    assertThatThrownBy(() -> schema.simpleStrategy(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("replication factor must be at least 1, was 0");
    assertThatThrownBy(() -> schema.networkTopology(Map.of("dc1", -1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("replication factor must be at least 1, was -1");
  }
}
