package io.cursus.testkit;

import io.cursus.testkit.internal.ExternalEngines;
import io.cursus.testkit.internal.Overrides;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The engines shared by every test of this JVM: each is started on first use and stopped when the
 * JUnit run ends ({@link CursusEnginesExtension}), when {@link #stopAll()} is called, or when the
 * JVM exits (a shutdown hook; a child JVM also exits by itself if this JVM is killed).
 *
 * <p>With {@code CURSUS_CASSANDRA=host:port} or {@code CURSUS_KAFKA=host:port} in the environment
 * (or system properties {@code cursus.cassandra}, {@code cursus.kafka}) the engine the user runs is
 * returned instead; it is never stopped. Do not stop or kill the shared engines in a test: use a
 * dedicated one from {@link CassandraCluster#builder()} or {@link KafkaBroker#builder()}.
 *
 * <p>Thread safe; a second caller waits while the first starts an engine.
 */
public final class Engines {
  private static CassandraCluster cassandra;
  private static KafkaBroker kafka;
  private static HazelcastMembers hazelcast;
  private static EngineException cassandraFailure;
  private static EngineException kafkaFailure;

  private Engines() {}

  /** The shared one-node Cassandra (or the user's). */
  public static synchronized CassandraCluster cassandra() {
    if (cassandra == null) {
      if (cassandraFailure != null) {
        throw new EngineException(
            "The shared Cassandra failed to start earlier in this run", cassandraFailure);
      }
      Optional<java.net.InetSocketAddress> external = Overrides.fromEnvironment().cassandra();
      try {
        cassandra =
            external.isPresent()
                ? ExternalEngines.cassandra(external.get(), "datacenter1")
                : CassandraCluster.builder().start();
      } catch (EngineException e) {
        // Do not make every later test class wait for the same failure again.
        cassandraFailure = e;
        throw e;
      }
    }
    return cassandra;
  }

  /** The shared Kafka broker (or the user's). */
  public static synchronized KafkaBroker kafka() {
    if (kafka == null) {
      if (kafkaFailure != null) {
        throw new EngineException(
            "The shared Kafka failed to start earlier in this run", kafkaFailure);
      }
      Optional<String> external = Overrides.fromEnvironment().kafka();
      try {
        kafka =
            external.isPresent()
                ? ExternalEngines.kafka(external.get())
                : KafkaBroker.builder().start();
      } catch (EngineException e) {
        kafkaFailure = e;
        throw e;
      }
    }
    return kafka;
  }

  /** The shared one-member Hazelcast cluster. */
  public static synchronized HazelcastMembers hazelcast() {
    if (hazelcast == null) {
      hazelcast = HazelcastMembers.start(1);
    }
    return hazelcast;
  }

  /**
   * Stops the shared engines that were started; the next call of an accessor starts a new one. A
   * shared engine that failed to start is not tried again in this JVM.
   */
  public static synchronized void stopAll() {
    List<AutoCloseable> started = new ArrayList<>();
    if (hazelcast != null) {
      started.add(hazelcast);
    }
    if (kafka != null) {
      started.add(kafka);
    }
    if (cassandra != null) {
      started.add(cassandra);
    }
    hazelcast = null;
    kafka = null;
    cassandra = null;
    EngineException failure = null;
    for (AutoCloseable engine : started) {
      try {
        engine.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new EngineException("Could not stop every shared engine", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
