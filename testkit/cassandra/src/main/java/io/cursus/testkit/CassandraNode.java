package io.cursus.testkit;

import java.net.InetSocketAddress;

/** One Cassandra node of a {@link CassandraCluster}, with its fault handles. */
public interface CassandraNode extends ServerNode {
  /** The address where this node answers CQL. */
  InetSocketAddress cqlAddress();
}
