package io.cursus.testkit;

import io.cursus.testkit.internal.EngineRegistry;

/**
 * The engines shared by every test of this JVM, all three in one place: each is started on first
 * use and stopped when the JUnit run ends ({@link CursusEnginesExtension}), when {@link #stopAll()}
 * is called, or when the JVM exits (a shutdown hook; a child JVM also exits by itself if this JVM
 * is killed). In the artifact {@code cursus-testkit-all}; a project that uses one engine calls its
 * own {@code shared()} instead ({@link CassandraCluster#shared()}, {@link KafkaBroker#shared()},
 * {@link HazelcastMembers#shared()}), which return the same instances.
 *
 * <p>With {@code CURSUS_CASSANDRA=host:port} or {@code CURSUS_KAFKA=host:port} in the environment
 * (or system properties {@code cursus.cassandra}, {@code cursus.kafka}) the engine the user runs is
 * returned instead; it is never stopped. Do not stop or kill the shared engines in a test: use a
 * dedicated one from {@link CassandraCluster#builder()} or {@link KafkaBroker#builder()}.
 *
 * <p>Thread safe; a second caller waits while the first starts an engine.
 */
public final class Engines {
  private Engines() {}

  /** The shared one-node Cassandra (or the user's): {@link CassandraCluster#shared()}. */
  public static CassandraCluster cassandra() {
    return CassandraCluster.shared();
  }

  /** The shared Kafka broker (or the user's): {@link KafkaBroker#shared()}. */
  public static KafkaBroker kafka() {
    return KafkaBroker.shared();
  }

  /** The shared one-member Hazelcast cluster: {@link HazelcastMembers#shared()}. */
  public static HazelcastMembers hazelcast() {
    return HazelcastMembers.shared();
  }

  /**
   * Stops the shared engines that were started, the last started first; the next call of an
   * accessor starts a new one. A shared engine that failed to start is not tried again in this JVM.
   *
   * @throws EngineException if one could not be stopped (after trying them all)
   */
  public static void stopAll() {
    EngineRegistry.stopAll();
  }
}
