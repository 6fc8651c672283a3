package io.cursus.testkit.internal;

import io.cursus.testkit.CassandraCluster;
import io.cursus.testkit.CassandraNode;
import io.cursus.testkit.EngineException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Cassandra nodes started as child JVMs on 127.0.0.1, 127.0.0.2, ... with the same ports. */
public final class LocalCassandraCluster implements CassandraCluster {
  static final String DATACENTER = "datacenter1";

  private final List<CassandraNode> nodes;

  private LocalCassandraCluster(List<CassandraNode> nodes) {
    this.nodes = List.copyOf(nodes);
  }

  public static CassandraCluster start(int nodeCount, String maxHeap, Duration startTimeout) {
    Path lib =
        Locations.serverLib(
            Locations.CASSANDRA_LIB, "Cassandra", "testkit/engines/cassandra-server");
    Path dir = Locations.newInstanceDir("cassandra");
    List<InetAddress> addresses = new ArrayList<>();
    for (int i = 1; i <= nodeCount; i++) {
      addresses.add(Ports.loopback(i));
    }
    int storagePort = Ports.free(addresses);
    int nativePort = Ports.free(addresses);
    String clusterName = dir.getFileName().toString();
    InetSocketAddress seed = new InetSocketAddress(addresses.get(0), storagePort);
    List<CassandraNode> started = new ArrayList<>();
    try {
      for (int i = 0; i < nodeCount; i++) {
        LocalCassandraNode node =
            new LocalCassandraNode(
                i + 1,
                clusterName,
                addresses.get(i),
                storagePort,
                nativePort,
                seed,
                dir.resolve("node" + (i + 1)),
                lib,
                maxHeap,
                startTimeout);
        started.add(node);
        node.start();
      }
    } catch (RuntimeException e) {
      for (CassandraNode node : started) {
        try {
          node.kill();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
    return new LocalCassandraCluster(started);
  }

  @Override
  public InetSocketAddress contactPoint() {
    return nodes.get(0).cqlAddress();
  }

  @Override
  public List<InetSocketAddress> contactPoints() {
    List<InetSocketAddress> points = new ArrayList<>();
    for (CassandraNode node : nodes) {
      points.add(node.cqlAddress());
    }
    return List.copyOf(points);
  }

  @Override
  public String localDatacenter() {
    return DATACENTER;
  }

  @Override
  public List<CassandraNode> nodes() {
    return nodes;
  }

  @Override
  public boolean isExternal() {
    return false;
  }

  @Override
  public void close() {
    EngineException failure = null;
    // Stop the last node first, so the others see it leave rather than fail.
    for (int i = nodes.size() - 1; i >= 0; i--) {
      try {
        nodes.get(i).stop();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = new EngineException("Could not stop all Cassandra nodes", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public String toString() {
    return "local Cassandra " + contactPoints();
  }
}
