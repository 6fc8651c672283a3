package io.cursus.testkit.internal.cassandra;

import io.cursus.testkit.CassandraCluster;
import io.cursus.testkit.CassandraNode;
import io.cursus.testkit.internal.ExternalEngines;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * A Cassandra the user runs ({@code CURSUS_CASSANDRA}); the testkit neither starts nor stops it.
 */
record ExternalCassandra(InetSocketAddress contactPoint, String localDatacenter)
    implements CassandraCluster {
  @Override
  public List<InetSocketAddress> contactPoints() {
    return List.of(contactPoint);
  }

  @Override
  public List<CassandraNode> nodes() {
    throw ExternalEngines.noFaults("Cassandra at " + contactPoint);
  }

  @Override
  public boolean isExternal() {
    return true;
  }

  @Override
  public void close() {}
}
