/**
 * Real Cassandra, Kafka and Hazelcast for tests, benchmarks and demos, without Docker.
 *
 * <p>Start here: {@link io.cursus.testkit.CursusEngines} on a JUnit 5 test class injects the shared
 * engines of {@link io.cursus.testkit.Engines}; {@link
 * io.cursus.testkit.CassandraCluster#builder()} and {@link io.cursus.testkit.KafkaBroker#builder()}
 * make dedicated ones for fault tests (see {@link io.cursus.testkit.ServerNode}); {@link
 * io.cursus.testkit.LocalStack} runs them all from a shell. Cassandra and Kafka run as child JVMs
 * from jars resolved into folders of their own, never from the test classpath. Everything in {@code
 * io.cursus.testkit.internal} may change without notice.
 */
@NullMarked
package io.cursus.testkit;

import org.jspecify.annotations.NullMarked;
