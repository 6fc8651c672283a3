package io.cursus.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@CursusEngines
class CassandraIT {
  private final CassandraCluster cassandra;

  CassandraIT(CassandraCluster cassandra) {
    this.cassandra = cassandra;
  }

  @Test
  void isARealCassandra5OnLoopback() {
    try (CqlSession session = Cql.session(cassandra)) {
      Row local = session.execute("SELECT release_version, data_center FROM system.local").one();

      assertThat(local.getString("release_version")).startsWith("5.0.");
      assertThat(local.getString("data_center")).isEqualTo(cassandra.localDatacenter());
    }
    if (!cassandra.isExternal()) {
      assertThat(cassandra.contactPoint().getAddress().isLoopbackAddress()).isTrue();
    }
  }

  @Test
  void isSharedByEveryTestOfTheRun(CassandraCluster injected) {
    assertThat(injected).isSameAs(cassandra).isSameAs(CassandraCluster.shared());
  }

  @Test
  void storesAndReadsRows() {
    try (CqlSession session = Cql.session(cassandra)) {
      session.execute(
          "CREATE KEYSPACE IF NOT EXISTS testkit WITH replication ="
              + " {'class': 'SimpleStrategy', 'replication_factor': 1}");
      session.execute("CREATE TABLE IF NOT EXISTS testkit.notes (id uuid PRIMARY KEY, text text)");
      UUID id = UUID.randomUUID();

      session.execute("INSERT INTO testkit.notes (id, text) VALUES (?, ?)", id, "hello");

      Row row = session.execute("SELECT text FROM testkit.notes WHERE id = ?", id).one();
      assertThat(row.getString("text")).isEqualTo("hello");
    }
  }
}
