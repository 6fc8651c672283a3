package io.cursus.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CassandraFaultIT {
  @Test
  void killedNodeComesBackWithItsData() {
    try (CassandraCluster cassandra = CassandraCluster.builder().start()) {
      CassandraNode node = cassandra.node(0);
      try (CqlSession session = Cql.session(cassandra)) {
        session.execute(
            "CREATE KEYSPACE faults WITH replication ="
                + " {'class': 'SimpleStrategy', 'replication_factor': 1}");
        session.execute("CREATE TABLE faults.rows (id int PRIMARY KEY, value text)");
        for (int i = 0; i < 100; i++) {
          session.execute("INSERT INTO faults.rows (id, value) VALUES (?, ?)", i, "value-" + i);
        }
      }
      long pid = node.pid();

      node.kill();

      assertThat(node.isRunning()).isFalse();
      assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
      assertThatThrownBy(node::pid).isInstanceOf(IllegalStateException.class);

      node.start();

      assertThat(node.pid()).isNotEqualTo(pid);
      try (CqlSession session = Cql.session(cassandra)) {
        List<String> values = new ArrayList<>();
        for (Row row : session.execute("SELECT value FROM faults.rows")) {
          values.add(row.getString("value"));
        }
        assertThat(values).hasSize(100).contains("value-0", "value-99");
      }
    }
  }

  @Test
  void stopLeavesNoProcessBehind() {
    CassandraCluster cassandra = CassandraCluster.builder().start();
    CassandraNode node = cassandra.node(0);
    long pid = node.pid();
    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isPresent();

    cassandra.close();

    assertThat(node.isRunning()).isFalse();
    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(ProcessHandle.current().children().filter(p -> p.pid() == pid)).isEmpty();
  }
}
