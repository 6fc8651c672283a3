package io.cursus.testkit;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.cursus.testkit.internal.EngineRegistry;
import io.cursus.testkit.internal.Ports;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Embedded Hazelcast members in this JVM forming one cluster: loopback only, a cluster name unique
 * to this instance (so parallel test runs never join each other), phone-home off, logging through
 * slf4j. In the artifact {@code cursus-testkit-hazelcast}, the only testkit artifact that brings
 * Hazelcast.
 *
 * <p>Hazelcast threads are not daemons: {@link #close()} (or the shared instance's end-of-run stop)
 * must run, or the JVM does not exit. Thread safe.
 */
public final class HazelcastMembers implements AutoCloseable {
  private final String clusterName;
  private final List<HazelcastInstance> members = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();

  private HazelcastMembers(String clusterName) {
    this.clusterName = clusterName;
  }

  /**
   * The one-member cluster shared by every test of this JVM, started on first use and stopped when
   * the JUnit run ends ({@link CursusEngines}), when {@code Engines.stopAll()} is called, or when
   * the JVM exits (Hazelcast's own shutdown hook).
   */
  public static HazelcastMembers shared() {
    return EngineRegistry.shared(HazelcastMembers.class, "Hazelcast", () -> start(1));
  }

  /** Starts {@code count} members and returns when they form one cluster. */
  public static HazelcastMembers start(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, was " + count);
    }
    HazelcastMembers cluster = new HazelcastMembers("cursus-" + UUID.randomUUID());
    try {
      for (int i = 0; i < count; i++) {
        cluster.addMember();
      }
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** Starts one more member that joins the running ones, and returns it. */
  public synchronized HazelcastInstance addMember() {
    int port = Ports.free(List.of(Ports.loopback(1)));
    Config config = new Config();
    config.setClusterName(clusterName);
    config.setInstanceName(clusterName + "-" + port);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.shutdownhook.policy", "GRACEFUL");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(port).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1:" + port);
    for (HazelcastInstance member : members) {
      if (member.getLifecycleService().isRunning()) {
        join.getTcpIpConfig()
            .addMember("127.0.0.1:" + member.getCluster().getLocalMember().getAddress().getPort());
      }
    }
    HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
    members.add(member);
    ports.add(port);
    return member;
  }

  /** The unique cluster name; clients must use it. */
  public String clusterName() {
    return clusterName;
  }

  /** The members that are still running, in start order. */
  public synchronized List<HazelcastInstance> members() {
    List<HazelcastInstance> running = new ArrayList<>();
    for (HazelcastInstance member : members) {
      if (member.getLifecycleService().isRunning()) {
        running.add(member);
      }
    }
    return List.copyOf(running);
  }

  /** The first running member. */
  public HazelcastInstance member() {
    List<HazelcastInstance> running = members();
    if (running.isEmpty()) {
      throw new IllegalStateException("no Hazelcast member of " + clusterName + " is running");
    }
    return running.get(0);
  }

  /** The {@code host:port} addresses of the running members, for a Hazelcast client. */
  public synchronized List<String> addresses() {
    List<String> addresses = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      if (members.get(i).getLifecycleService().isRunning()) {
        addresses.add("127.0.0.1:" + ports.get(i));
      }
    }
    return List.copyOf(addresses);
  }

  /**
   * Shuts a member down gracefully (its partitions migrate to the others first) and returns when
   * the remaining members no longer list it.
   */
  public void shutdown(HazelcastInstance member) {
    UUID id = requireOwn(member).getCluster().getLocalMember().getUuid();
    member.shutdown();
    awaitRemoved(id);
  }

  /**
   * Terminates a member abruptly, as a crash would (its backups take over), and returns when the
   * remaining members no longer list it.
   */
  public void terminate(HazelcastInstance member) {
    UUID id = requireOwn(member).getCluster().getLocalMember().getUuid();
    member.getLifecycleService().terminate();
    awaitRemoved(id);
  }

  private void awaitRemoved(UUID id) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (HazelcastInstance other : members()) {
      while (other.getLifecycleService().isRunning()
          && other.getCluster().getMembers().stream().anyMatch(m -> m.getUuid().equals(id))) {
        if (System.nanoTime() > deadline) {
          throw new EngineException(
              "Hazelcast member " + id + " of " + clusterName + " was still listed after 60 s");
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new EngineException("Interrupted while waiting for member " + id + " to leave", e);
        }
      }
    }
  }

  private synchronized HazelcastInstance requireOwn(HazelcastInstance member) {
    if (!members.contains(member)) {
      throw new IllegalArgumentException(member.getName() + " is not a member of " + clusterName);
    }
    return member;
  }

  /** Shuts down every member that still runs. */
  @Override
  public synchronized void close() {
    for (HazelcastInstance member : members) {
      member.getLifecycleService().terminate();
    }
  }

  @Override
  public String toString() {
    return "Hazelcast " + clusterName + " " + addresses();
  }
}
