/**
 * Real Cassandra, Kafka and Hazelcast for tests, benchmarks and demos, without Docker.
 *
 * <p>The package is split over one artifact per engine, so a project takes only the engines it
 * uses: {@code cursus-testkit} (this core: {@link io.cursus.testkit.CursusEngines}, {@link
 * io.cursus.testkit.ServerNode}, {@link io.cursus.testkit.EngineException}), {@code
 * cursus-testkit-cassandra} ({@code CassandraCluster}), {@code cursus-testkit-kafka} ({@code
 * KafkaBroker}, {@code KafkaCluster}), {@code cursus-testkit-hazelcast} ({@code HazelcastMembers})
 * and {@code cursus-testkit-all} (all three, plus {@code Engines} and {@code LocalStack}).
 *
 * <p>Start here: {@link io.cursus.testkit.CursusEngines} on a JUnit 5 test class injects the shared
 * engines; {@code CassandraCluster.builder()}, {@code KafkaBroker.builder()} and {@code
 * KafkaCluster.builder()} make dedicated ones for fault tests (see {@link
 * io.cursus.testkit.ServerNode}). Cassandra and Kafka run as child JVMs from their Maven Central
 * jars, found in the local Maven repository or downloaded into it, never from the test classpath.
 * Everything in {@code io.cursus.testkit.internal} may change without notice.
 */
@NullMarked
package io.cursus.testkit;

import org.jspecify.annotations.NullMarked;
