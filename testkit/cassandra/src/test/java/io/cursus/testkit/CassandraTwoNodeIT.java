package io.cursus.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CassandraTwoNodeIT {
  @Test
  void secondNodeJoinsTheFirst() {
    try (CassandraCluster cassandra = CassandraCluster.builder().nodes(2).start()) {
      assertThat(cassandra.node(1).cqlAddress().getAddress().getHostAddress())
          .isEqualTo("127.0.0.2");
      assertThat(cassandra.node(1).cqlAddress().getPort())
          .isEqualTo(cassandra.node(0).cqlAddress().getPort());

      assertThat(peersSeenFrom(cassandra, 0)).containsExactly("127.0.0.2");
      assertThat(peersSeenFrom(cassandra, 1)).containsExactly("127.0.0.1");
    }
  }

  private static List<String> peersSeenFrom(CassandraCluster cassandra, int node) {
    try (CqlSession session =
        Cql.session(cassandra.node(node).cqlAddress(), cassandra.localDatacenter())) {
      List<String> peers = new ArrayList<>();
      // system.* tables are local: the driver must ask the node it is asked about.
      for (Row row :
          session.execute(
              com.datastax.oss.driver.api.core.cql.SimpleStatement.newInstance(
                      "SELECT peer FROM system.peers")
                  .setNode(
                      session.getMetadata().getNodes().values().stream()
                          .filter(
                              n ->
                                  n.getBroadcastRpcAddress()
                                      .map(a -> a.equals(cassandra.node(node).cqlAddress()))
                                      .orElse(false))
                          .findFirst()
                          .orElseThrow()))) {
        InetAddress peer = row.getInetAddress("peer");
        peers.add(peer.getHostAddress());
      }
      return peers;
    }
  }
}
