package io.cursus.testkit;

import io.cursus.testkit.internal.kafka.LocalKafkaCluster;
import java.time.Duration;
import java.util.List;

/**
 * A real Apache Kafka cluster of several brokers in KRaft mode, for fault tests of a replicated
 * setup: each broker is a child JVM bound to 127.0.0.1 with ports of its own, and runs as broker
 * and controller at once, so the brokers are also the controller quorum (a majority of them must be
 * up for the cluster to serve). In the artifact {@code cursus-testkit-kafka}.
 *
 * <pre>{@code
 * try (KafkaCluster kafka = KafkaCluster.builder().brokers(3).start()) {
 *   kafka.createTopics(3, "parcels");                // replication factor 3, min.insync.replicas 2
 *   KafkaBroker leader = kafka.leaderOf("parcels", 0);
 *   leader.kill();                                   // SIGKILL; another replica takes over
 *   KafkaBroker successor = kafka.leaderOf("parcels", 0); // waits until a running broker leads
 *   leader.start();                                  // same ports and data; it catches up
 *   kafka.awaitInSync("parcels");                    // every replica in sync again
 * }
 * }</pre>
 *
 * <p>With {@code n} brokers: topics created by {@link #createTopics} and Kafka's internal topics
 * (consumer offsets, transaction state) get replication factor {@code min(n, 3)}, and {@code
 * min.insync.replicas} (and the transaction log's minimum ISR) is that minus one, so one broker may
 * be lost without losing an acknowledged ({@code acks=all}) record or stopping writes. Unclean
 * leader election stays off (Kafka's default). Every other setting is Kafka's default, including
 * {@code broker.session.timeout.ms} (9 s): the controller moves leadership away from a killed
 * broker when its session expires.
 *
 * <p>Each broker is a {@link KafkaBroker} whose {@link KafkaBroker#bootstrapServers()} is its own
 * address and whose {@link KafkaBroker#createTopics} creates topics in the cluster, as {@link
 * #createTopics} does; its fault handles act on that broker alone. {@link #builder()}'s cluster
 * must be closed by the caller (closing stops every broker; the files stay under the build folder).
 * Thread safe.
 */
public interface KafkaCluster extends AutoCloseable {
  /** The {@code bootstrap.servers} value for clients: every broker's address. */
  String bootstrapServers();

  /** The brokers, in start order; broker {@code i} has {@code node.id} {@code i + 1}. */
  List<KafkaBroker> brokers();

  /** Shorthand for {@code brokers().get(index)}. */
  default KafkaBroker broker(int index) {
    return brokers().get(index);
  }

  /** The replication factor of the topics this cluster creates: {@code min(brokers, 3)}. */
  int replicationFactor();

  /**
   * Creates topics that do not exist yet, with the given partition count and {@link
   * #replicationFactor()}, and waits until every partition has a leader.
   *
   * @throws EngineException if a topic is not ready within 60 s
   */
  void createTopics(int partitions, String... topics);

  /**
   * The broker that leads {@code partition} of {@code topic}, as the cluster's metadata says now.
   * While a killed leader's session has not expired yet the metadata still names it (for up to
   * {@code broker.session.timeout.ms}); this method waits, for at most 60 s, until the partition
   * has a leader that is running.
   *
   * @throws EngineException if the partition has no running leader within 60 s
   * @throws IllegalArgumentException if the topic does not have that partition
   */
  KafkaBroker leaderOf(String topic, int partition);

  /**
   * The brokers in the in-sync replica set of {@code partition} of {@code topic}, leader first, as
   * the cluster's metadata says now.
   */
  List<KafkaBroker> inSyncReplicas(String topic, int partition);

  /**
   * Waits until every partition of {@code topics} has all its replicas in sync (after a broker
   * returned), for at most 120 s.
   *
   * @throws EngineException if a replica is still out of sync after 120 s
   */
  void awaitInSync(String... topics);

  /** Stops every broker (SIGTERM, then SIGKILL after 60 s), the last one first. */
  @Override
  void close();

  /** Options of a local cluster. */
  static Builder builder() {
    return new Builder();
  }

  /** Options of a dedicated local cluster. Not thread safe. */
  final class Builder {
    private int brokers = 3;
    private String maxHeap = "512m";
    private Duration startTimeout = Duration.ofMinutes(2);

    private Builder() {}

    /**
     * Number of brokers, 1 to 5. Each is a JVM of its own: three at the default heap took about 1
     * GB of memory together idle and up to 1.4 GB under load (docs/testing.md). Default 3.
     */
    public Builder brokers(int count) {
      if (count < 1 || count > 5) {
        throw new IllegalArgumentException("brokers must be 1 to 5, was " + count);
      }
      this.brokers = count;
      return this;
    }

    /** Each broker JVM's {@code -Xmx}. Default {@code 512m}. */
    public Builder maxHeap(String size) {
      if (!size.matches("\\d+[kmgKMG]?")) {
        throw new IllegalArgumentException("maxHeap must look like 512m or 1g, was " + size);
      }
      this.maxHeap = size;
      return this;
    }

    /**
     * How long the brokers may take until all answer clients, and how long {@link
     * KafkaBroker#start()} waits for a broker that was stopped or killed. Default 120 s.
     */
    public Builder startTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("startTimeout must be positive, was " + timeout);
      }
      this.startTimeout = timeout;
      return this;
    }

    /**
     * Formats a fresh data folder for each broker, starts them all at once (the controllers need a
     * majority of each other to elect a leader) and returns when every broker answers clients.
     *
     * @throws EngineException if a broker does not come up; brokers already started are killed
     */
    public KafkaCluster start() {
      return LocalKafkaCluster.start(brokers, maxHeap, startTimeout);
    }
  }
}
