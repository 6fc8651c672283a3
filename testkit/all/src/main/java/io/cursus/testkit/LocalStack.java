package io.cursus.testkit;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * Starts a local Cassandra, Kafka broker and Hazelcast member, prints how to reach them, and runs
 * until Ctrl-C, which stops them all. The server jars come from the local Maven repository or Maven
 * Central, like every engine's (see docs/testing.md).
 */
public final class LocalStack {
  private LocalStack() {}

  public static void main(String[] args) throws InterruptedException {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  out.println("Stopping the local stack...");
                  Engines.stopAll();
                  stopped.countDown();
                },
                "cursus-local-stack-stop"));
    long began = System.nanoTime();
    CassandraCluster cassandra = Engines.cassandra();
    KafkaBroker kafka = Engines.kafka();
    HazelcastMembers hazelcast = Engines.hazelcast();
    String cql =
        cassandra.contactPoint().getAddress().getHostAddress()
            + ":"
            + cassandra.contactPoint().getPort();
    out.printf(
        "%nCursus local stack is up after %.1f s.%n"
            + "  Cassandra  %s (local datacenter %s)%n"
            + "  Kafka      %s%n"
            + "  Hazelcast  %s, cluster name %s%n"
            + "To run tests against it from another shell:%n"
            + "  export CURSUS_CASSANDRA=%s CURSUS_KAFKA=%s%n"
            + "Press Ctrl-C to stop.%n",
        (System.nanoTime() - began) / 1e9,
        cql,
        cassandra.localDatacenter(),
        kafka.bootstrapServers(),
        hazelcast.addresses(),
        hazelcast.clusterName(),
        cql,
        kafka.bootstrapServers());
    stopped.await();
  }
}
