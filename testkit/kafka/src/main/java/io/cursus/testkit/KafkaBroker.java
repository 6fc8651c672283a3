package io.cursus.testkit;

import io.cursus.testkit.internal.kafka.LocalKafkaBroker;
import java.time.Duration;

/**
 * A real Apache Kafka: one broker in KRaft mode (broker and controller in one child JVM) bound to
 * loopback, or a cluster the user supplied with {@code CURSUS_KAFKA=host:port}. In the artifact
 * {@code cursus-testkit-kafka}.
 *
 * <p>The shared instance ({@link #shared()}, or a parameter of a {@link CursusEngines} test) is
 * stopped when the test run ends; one made with {@link #builder()} must be closed by the caller.
 * Thread safe.
 *
 * <p>The broker runs from {@code org.apache.kafka:kafka_2.13} and its runtime dependencies, at the
 * versions this testkit was built with, taken from the local Maven repository or downloaded from
 * Maven Central into it on first use; the system property {@code cursus.engine.kafka.lib} names a
 * folder of jars to use instead (see docs/testing.md).
 */
public interface KafkaBroker extends ServerNode, AutoCloseable {
  /** The {@code bootstrap.servers} value for clients. */
  String bootstrapServers();

  /**
   * Creates topics that do not exist yet, with the given partition count and replication factor 1
   * (the cluster's default for an external one; for a broker of a {@link KafkaCluster}, that
   * cluster's {@link KafkaCluster#replicationFactor()}), and waits until every partition has a
   * leader. Create topics this way before producing: Kafka 4.4.0 can fail an idempotent producer's
   * first batch on a topic created a moment before (KAFKA-15591).
   *
   * @throws EngineException if a topic is not ready within 60 s
   */
  void createTopics(int partitions, String... topics);

  /** True if the user supplied this cluster; then it has no fault handles and is never stopped. */
  boolean isExternal();

  /** Stops the broker if the testkit started it. */
  @Override
  void close();

  /**
   * The broker shared by every test of this JVM: the user's ({@code CURSUS_KAFKA=host:port[,...]},
   * or the system property {@code cursus.kafka}), else a local one started on first use and stopped
   * when the JUnit run ends ({@link CursusEngines}), when {@code Engines.stopAll()} is called, or
   * when the JVM exits. Do not stop or kill it: use {@link #builder()} for fault tests.
   *
   * @throws EngineException if it does not start, now or earlier in this JVM
   */
  static KafkaBroker shared() {
    return LocalKafkaBroker.shared();
  }

  /** Starts a dedicated broker, for instance for destructive fault tests. */
  static Builder builder() {
    return new Builder();
  }

  /** Options of a dedicated broker. Not thread safe. */
  final class Builder {
    private String maxHeap = "512m";
    private Duration startTimeout = Duration.ofMinutes(2);

    private Builder() {}

    /** The broker JVM's {@code -Xmx}. Default {@code 512m}. */
    public Builder maxHeap(String size) {
      if (!size.matches("\\d+[kmgKMG]?")) {
        throw new IllegalArgumentException("maxHeap must look like 512m or 1g, was " + size);
      }
      this.maxHeap = size;
      return this;
    }

    /** How long the broker may take until it answers clients. Default 120 s. */
    public Builder startTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("startTimeout must be positive, was " + timeout);
      }
      this.startTimeout = timeout;
      return this;
    }

    /** Formats a fresh data folder, starts the broker and returns when it answers clients. */
    public KafkaBroker start() {
      return LocalKafkaBroker.start(maxHeap, startTimeout);
    }
  }
}
