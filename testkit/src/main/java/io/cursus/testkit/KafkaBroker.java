package io.cursus.testkit;

import io.cursus.testkit.internal.LocalKafkaBroker;
import java.time.Duration;

/**
 * A real Apache Kafka: one broker in KRaft mode (broker and controller in one child JVM) bound to
 * loopback, or a cluster the user supplied with {@code CURSUS_KAFKA=host:port}.
 *
 * <p>The shared instance from {@link Engines#kafka()} is stopped when the test run ends; one made
 * with {@link #builder()} must be closed by the caller. Thread safe.
 */
public interface KafkaBroker extends ServerNode, AutoCloseable {
  /** The {@code bootstrap.servers} value for clients. */
  String bootstrapServers();

  /**
   * Creates topics that do not exist yet, with the given partition count and replication factor 1
   * (or the cluster's default for an external one), and waits until every partition has a leader.
   * Create topics this way before producing: Kafka 4.4.0 can fail an idempotent producer's first
   * batch on a topic created a moment before (KAFKA-15591).
   *
   * @throws EngineException if a topic is not ready within 60 s
   */
  void createTopics(int partitions, String... topics);

  /** True if the user supplied this cluster; then it has no fault handles and is never stopped. */
  boolean isExternal();

  /** Stops the broker if the testkit started it. */
  @Override
  void close();

  /** Starts a dedicated broker, for instance for destructive fault tests. */
  static Builder builder() {
    return new Builder();
  }

  /** Options of a dedicated broker. Not thread safe. */
  final class Builder {
    private String maxHeap = "512m";
    private Duration startTimeout = Duration.ofSeconds(120);

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
