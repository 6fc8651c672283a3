package io.cursus.testkit.internal.cassandra;

import io.cursus.testkit.CassandraCluster;
import io.cursus.testkit.CassandraNode;
import io.cursus.testkit.EngineException;
import io.cursus.testkit.internal.EngineRegistry;
import io.cursus.testkit.internal.Locations;
import io.cursus.testkit.internal.Overrides;
import io.cursus.testkit.internal.Ports;
import io.cursus.testkit.internal.ServerJars;
import io.cursus.testkit.internal.SharedEngineProvider;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Cassandra nodes started as child JVMs on 127.0.0.1, 127.0.0.2, ... with the same ports. */
public final class LocalCassandraCluster implements CassandraCluster {
  static final String DATACENTER = "datacenter1";

  /** System property naming a folder of Cassandra's jars, used instead of the listed artifacts. */
  public static final String LIB_PROPERTY = "cursus.engine.cassandra.lib";

  /** Cassandra's server jars: {@code cassandra-all}'s runtime closure, listed at build time. */
  public static final ServerJars SERVER_JARS =
      new ServerJars(
          "Cassandra",
          LIB_PROPERTY,
          "META-INF/cursus/cassandra-server.list",
          LocalCassandraCluster.class.getClassLoader());

  private final List<CassandraNode> nodes;

  private LocalCassandraCluster(List<CassandraNode> nodes) {
    this.nodes = List.copyOf(nodes);
  }

  /** The shared cluster of this JVM: the user's, or one local node started on first use. */
  public static CassandraCluster shared() {
    return EngineRegistry.shared(
        CassandraCluster.class,
        "Cassandra",
        () -> {
          Optional<InetSocketAddress> external = Overrides.fromEnvironment().cassandra();
          return external.isPresent()
              ? new ExternalCassandra(external.get(), DATACENTER)
              : CassandraCluster.builder().start();
        });
  }

  public static CassandraCluster start(int nodeCount, String maxHeap, Duration startTimeout) {
    return start(nodeCount, maxHeap, startTimeout, true);
  }

  /** As {@link #start(int, String, Duration)}, with hinted handoff on or off. */
  public static CassandraCluster start(
      int nodeCount, String maxHeap, Duration startTimeout, boolean hintedHandoff) {
    return start(nodeCount, maxHeap, startTimeout, hintedHandoff, null, null);
  }

  /**
   * As {@link #start(int, String, Duration, boolean)}; with {@code user} and {@code password}
   * (checked by the builder) the nodes require authentication and {@code user} is the only role
   * that can log in.
   */
  public static CassandraCluster start(
      int nodeCount,
      String maxHeap,
      Duration startTimeout,
      boolean hintedHandoff,
      @Nullable String user,
      @Nullable String password) {
    boolean secured = user != null && password != null;
    List<String> classpath = SERVER_JARS.classpath();
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
            LocalCassandraNode.create(
                i + 1,
                clusterName,
                addresses.get(i),
                storagePort,
                nativePort,
                seed,
                dir.resolve("node" + (i + 1)),
                classpath,
                maxHeap,
                startTimeout,
                hintedHandoff,
                secured);
        started.add(node);
        node.start();
      }
      if (secured) {
        Roles.createOnlyLogin(started, DATACENTER, user, password, startTimeout);
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

  /** Registered in {@code META-INF/services} for {@link io.cursus.testkit.CursusEngines}. */
  public static final class Provider implements SharedEngineProvider {
    @Override
    public Class<?> type() {
      return CassandraCluster.class;
    }

    @Override
    public Object shared() {
      return LocalCassandraCluster.shared();
    }
  }
}
