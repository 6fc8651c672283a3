package io.cursus.testkit;

import io.cursus.testkit.internal.kafka.LocalKafkaBroker;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

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
   * The client properties a Kafka client needs besides {@code bootstrap.servers} to be let in:
   * empty for a broker without authentication; for one started with {@link Builder#scram}, {@code
   * security.protocol=SASL_PLAINTEXT}, {@code sasl.mechanism=SCRAM-SHA-512} and a {@code
   * sasl.jaas.config} with the builder's user and password. The map holds the password: pass it to
   * clients, never print it.
   */
  default Map<String, Object> clientProperties() {
    return Map.of();
  }

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
    private @Nullable String scramUser;
    private @Nullable String scramPassword;

    private static final Pattern CREDENTIAL = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private Builder() {}

    /**
     * Makes the broker accept only clients authenticated with SASL/SCRAM-SHA-512 as {@code user}
     * (over plain TCP: {@code SASL_PLAINTEXT}; no TLS). The credential is created when the storage
     * is formatted ({@code kafka-storage format --add-scram}), the broker's own inter-broker
     * connections use it too, and no authorizer is configured: an authenticated client may do
     * anything, an unauthenticated one nothing. Clients get the properties they need from {@link
     * KafkaBroker#clientProperties()}, and so does {@link KafkaBroker#createTopics}. User and
     * password: 1 to 64 of {@code A-Z a-z 0-9 . _ -} (so that they need no quoting in the JAAS and
     * SCRAM syntaxes). By default the broker has no authentication.
     */
    public Builder scram(String user, String password) {
      if (user == null || !CREDENTIAL.matcher(user).matches()) {
        throw new IllegalArgumentException(
            "scram user must be 1 to 64 of A-Z a-z 0-9 . _ -, was " + user);
      }
      if (password == null || !CREDENTIAL.matcher(password).matches()) {
        // the password itself is never quoted in a message
        throw new IllegalArgumentException(
            "scram password of user " + user + " must be 1 to 64 of A-Z a-z 0-9 . _ -");
      }
      this.scramUser = user;
      this.scramPassword = password;
      return this;
    }

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
      return scramUser == null || scramPassword == null
          ? LocalKafkaBroker.start(maxHeap, startTimeout)
          : LocalKafkaBroker.start(maxHeap, startTimeout, scramUser, scramPassword);
    }
  }
}
