package io.cursus.testkit.internal.kafka;

import io.cursus.testkit.EngineException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;

/** Kafka admin calls shared by the local and the external broker. */
final class Topics {
  private static final long TIMEOUT_MS = 60_000;

  private Topics() {}

  static Admin admin(String bootstrapServers) {
    return admin(bootstrapServers, Map.of());
  }

  /** An admin client; {@code security} adds SASL settings (or nothing). */
  static Admin admin(String bootstrapServers, Map<String, Object> security) {
    Map<String, Object> config = new HashMap<>(security);
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "cursus-testkit");
    return Admin.create(config);
  }

  /** True if the cluster answers a describeCluster call with at least one broker within 5 s. */
  static boolean answers(String bootstrapServers, Map<String, Object> security) {
    return !brokerIds(bootstrapServers, security).isEmpty();
  }

  static Set<Integer> brokerIds(String bootstrapServers) {
    return brokerIds(bootstrapServers, Map.of());
  }

  /**
   * The ids of the brokers the cluster lists as alive (registered and not fenced), asked within 5
   * s; empty if it does not answer.
   */
  static Set<Integer> brokerIds(String bootstrapServers, Map<String, Object> security) {
    try (Admin admin = admin(bootstrapServers, security)) {
      return admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).stream()
          .map(Node::id)
          .collect(Collectors.toSet());
    } catch (ExecutionException | TimeoutException e) {
      return Set.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("Interrupted while waiting for Kafka at " + bootstrapServers, e);
    }
  }

  static void create(
      String bootstrapServers, int partitions, Optional<Short> replication, String... topics) {
    create(bootstrapServers, Map.of(), partitions, replication, topics);
  }

  static void create(
      String bootstrapServers,
      Map<String, Object> security,
      int partitions,
      Optional<Short> replication,
      String... topics) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
    }
    if (topics.length == 0) {
      throw new IllegalArgumentException("no topic named");
    }
    long deadline = System.currentTimeMillis() + TIMEOUT_MS;
    try (Admin admin = admin(bootstrapServers, security)) {
      Set<String> existing = admin.listTopics().names().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (String topic : topics) {
        if (!existing.contains(topic)) {
          missing.add(new NewTopic(topic, Optional.of(partitions), replication));
        }
      }
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      }
      while (!allLed(admin, topics)) {
        if (System.currentTimeMillis() > deadline) {
          throw new EngineException(
              "Kafka topics "
                  + Arrays.toString(topics)
                  + " at "
                  + bootstrapServers
                  + " had partitions without a leader after "
                  + TIMEOUT_MS / 1000
                  + " s");
        }
        Thread.sleep(100);
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new EngineException(
          "Could not create Kafka topics " + Arrays.toString(topics) + " at " + bootstrapServers,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException(
          "Interrupted while creating Kafka topics " + Arrays.toString(topics), e);
    }
  }

  /** The partitions of {@code topic} as the cluster's metadata says now. */
  static List<TopicPartitionInfo> describe(String bootstrapServers, String topic) {
    try (Admin admin = admin(bootstrapServers)) {
      return admin
          .describeTopics(List.of(topic))
          .allTopicNames()
          .get(TIMEOUT_MS, TimeUnit.MILLISECONDS)
          .get(topic)
          .partitions();
    } catch (ExecutionException | TimeoutException e) {
      throw new EngineException(
          "Could not describe Kafka topic " + topic + " at " + bootstrapServers, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("Interrupted while describing Kafka topic " + topic, e);
    }
  }

  /**
   * Partition {@code partition} of {@code topic} as the cluster's metadata says now.
   *
   * @throws IllegalArgumentException if the topic has no such partition
   */
  static TopicPartitionInfo describe(String bootstrapServers, String topic, int partition) {
    List<TopicPartitionInfo> partitions = describe(bootstrapServers, topic);
    for (TopicPartitionInfo info : partitions) {
      if (info.partition() == partition) {
        return info;
      }
    }
    throw new IllegalArgumentException(
        "Kafka topic "
            + topic
            + " has "
            + partitions.size()
            + " partitions, no partition "
            + partition);
  }

  private static boolean allLed(Admin admin, String... topics)
      throws InterruptedException, TimeoutException {
    Map<String, TopicDescription> descriptions;
    try {
      descriptions =
          admin
              .describeTopics(List.of(topics))
              .allTopicNames()
              .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      // Metadata may lag just after creation (UnknownTopicOrPartition): ask again.
      return false;
    }
    for (TopicDescription description : descriptions.values()) {
      for (TopicPartitionInfo partition : description.partitions()) {
        if (partition.leader() == null || partition.leader().isEmpty()) {
          return false;
        }
      }
    }
    return true;
  }
}
