package io.cursus.testkit.internal.kafka;

import io.cursus.testkit.EngineException;
import io.cursus.testkit.KafkaBroker;
import io.cursus.testkit.KafkaCluster;
import io.cursus.testkit.internal.Locations;
import io.cursus.testkit.internal.Ports;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;

/**
 * Kafka brokers, each broker and controller in one child JVM on 127.0.0.1, forming one KRaft
 * cluster whose controller quorum is all of them.
 */
public final class LocalKafkaCluster implements KafkaCluster {
  private static final Duration LEADER_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration IN_SYNC_TIMEOUT = Duration.ofMinutes(2);

  // filled once, while the cluster starts; read from any thread after
  private final List<LocalKafkaBroker> brokers = new CopyOnWriteArrayList<>();
  private final int replicationFactor;
  private final String bootstrapServers;

  private LocalKafkaCluster(int replicationFactor, String bootstrapServers) {
    this.replicationFactor = replicationFactor;
    this.bootstrapServers = bootstrapServers;
  }

  public static KafkaCluster start(int brokerCount, String maxHeap, Duration startTimeout) {
    int replication = Math.min(brokerCount, 3);
    int minInSync = Math.max(1, replication - 1);
    Path dir = Locations.newInstanceDir("kafka-cluster");
    List<Integer> ports = LocalKafkaBroker.freePorts(2 * brokerCount);
    List<String> voters = new ArrayList<>();
    List<String> addresses = new ArrayList<>();
    for (int i = 0; i < brokerCount; i++) {
      voters.add((i + 1) + "@127.0.0.1:" + ports.get(2 * i + 1));
      addresses.add("127.0.0.1:" + ports.get(2 * i));
    }
    LocalKafkaCluster cluster = new LocalKafkaCluster(replication, String.join(",", addresses));
    List<String> settings =
        List.of(
            "default.replication.factor=" + replication,
            "min.insync.replicas=" + minInSync,
            "offsets.topic.replication.factor=" + replication,
            "transaction.state.log.replication.factor=" + replication,
            "transaction.state.log.min.isr=" + minInSync,
            "share.coordinator.state.topic.replication.factor=" + replication,
            "share.coordinator.state.topic.min.isr=" + minInSync,
            "unclean.leader.election.enable=false");
    String clusterId = Uuid.randomUuid().toString();
    // format the brokers' storage at once: each format is a JVM of its own taking seconds
    ExecutorService formatting = Executors.newFixedThreadPool(brokerCount);
    try {
      List<Future<LocalKafkaBroker>> formatted = new ArrayList<>();
      for (int i = 0; i < brokerCount; i++) {
        int nodeId = i + 1;
        int brokerPort = ports.get(2 * i);
        int controllerPort = ports.get(2 * i + 1);
        Path brokerDir = dir.resolve("broker" + nodeId);
        formatted.add(
            formatting.submit(
                () ->
                    LocalKafkaBroker.create(
                        "Kafka broker " + nodeId + " (127.0.0.1:" + brokerPort + ")",
                        nodeId,
                        brokerDir,
                        LocalKafkaBroker.properties(
                            nodeId,
                            brokerPort,
                            controllerPort,
                            String.join(",", voters),
                            brokerDir,
                            settings),
                        clusterId,
                        maxHeap,
                        new InetSocketAddress(Ports.loopback(1), brokerPort),
                        startTimeout,
                        cluster)));
      }
      for (Future<LocalKafkaBroker> broker : formatted) {
        cluster.brokers.add(broker.get());
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new EngineException("Could not format the Kafka brokers' storage", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("Interrupted while formatting the Kafka brokers' storage", e);
    } finally {
      formatting.shutdownNow();
    }
    try {
      for (LocalKafkaBroker broker : cluster.brokers) {
        broker.launch();
      }
      long deadline = System.nanoTime() + startTimeout.toNanos();
      for (LocalKafkaBroker broker : cluster.brokers) {
        broker.awaitReady(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      }
    } catch (RuntimeException e) {
      for (LocalKafkaBroker broker : cluster.brokers) {
        try {
          broker.kill();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
    return cluster;
  }

  @Override
  public String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public List<KafkaBroker> brokers() {
    return List.copyOf(brokers);
  }

  @Override
  public int replicationFactor() {
    return replicationFactor;
  }

  @Override
  public void createTopics(int partitions, String... topics) {
    Topics.create(bootstrapServers, partitions, Optional.of((short) replicationFactor), topics);
  }

  @Override
  public KafkaBroker leaderOf(String topic, int partition) {
    long deadline = System.nanoTime() + LEADER_TIMEOUT.toNanos();
    while (true) {
      TopicPartitionInfo info = Topics.describe(bootstrapServers, topic, partition);
      Node leader = info.leader();
      if (leader != null && !leader.isEmpty()) {
        LocalKafkaBroker broker = byId(leader.id());
        if (broker.isRunning()) {
          return broker;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new EngineException(
            "Partition "
                + partition
                + " of Kafka topic "
                + topic
                + " had no running leader within "
                + LEADER_TIMEOUT.toSeconds()
                + " s; the metadata says "
                + info);
      }
      sleep(100);
    }
  }

  @Override
  public List<KafkaBroker> inSyncReplicas(String topic, int partition) {
    TopicPartitionInfo info = Topics.describe(bootstrapServers, topic, partition);
    List<KafkaBroker> inSync = new ArrayList<>();
    Node leader = info.leader();
    if (leader != null && !leader.isEmpty() && info.isr().contains(leader)) {
      inSync.add(byId(leader.id()));
    }
    for (Node node : info.isr()) {
      if (leader == null || node.id() != leader.id()) {
        inSync.add(byId(node.id()));
      }
    }
    return List.copyOf(inSync);
  }

  @Override
  public void awaitInSync(String... topics) {
    long deadline = System.nanoTime() + IN_SYNC_TIMEOUT.toNanos();
    for (String topic : topics) {
      while (true) {
        List<TopicPartitionInfo> lagging = new ArrayList<>();
        for (TopicPartitionInfo info : Topics.describe(bootstrapServers, topic)) {
          if (info.isr().size() < info.replicas().size()) {
            lagging.add(info);
          }
        }
        if (lagging.isEmpty()) {
          break;
        }
        if (System.nanoTime() > deadline) {
          throw new EngineException(
              "Kafka topic "
                  + topic
                  + " still had replicas out of sync after "
                  + IN_SYNC_TIMEOUT.toSeconds()
                  + " s: "
                  + lagging);
        }
        sleep(200);
      }
    }
  }

  private LocalKafkaBroker byId(int nodeId) {
    for (LocalKafkaBroker broker : brokers) {
      if (broker.nodeId() == nodeId) {
        return broker;
      }
    }
    throw new EngineException("Kafka names broker " + nodeId + ", which is not in " + this);
  }

  @Override
  public void close() {
    EngineException failure = null;
    for (int i = brokers.size() - 1; i >= 0; i--) {
      try {
        brokers.get(i).stop();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = new EngineException("Could not stop all Kafka brokers", e);
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
    return "local Kafka cluster " + bootstrapServers;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("Interrupted while waiting for Kafka", e);
    }
  }
}
