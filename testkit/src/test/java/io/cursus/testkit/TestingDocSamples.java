package io.cursus.testkit;

import com.datastax.oss.driver.api.core.CqlSession;
import org.junit.jupiter.api.Test;

/**
 * The code samples of docs/testing.md, compiled with the build so they cannot go stale. Nested
 * classes are not run by surefire or failsafe; the samples run for real in this module's ITs.
 */
final class TestingDocSamples {

  private TestingDocSamples() {}

  // sample: the JUnit 5 extension
  @CursusEngines
  static class ParcelStoreIT {
    private final CassandraCluster cassandra;

    ParcelStoreIT(CassandraCluster cassandra) { // also: KafkaBroker, HazelcastMembers
      this.cassandra = cassandra;
    }

    @Test
    void storesParcels(KafkaBroker kafka) {
      try (CqlSession session =
          CqlSession.builder()
              .addContactPoint(cassandra.contactPoint())
              .withLocalDatacenter(cassandra.localDatacenter())
              .build()) {
        // ...
      }
      kafka.createTopics(3, "parcels"); // create topics up front, see below
      // producer.bootstrap.servers = kafka.bootstrapServers()
    }
  }

  // sample: fault handles
  static void faults() {
    try (CassandraCluster cassandra = CassandraCluster.builder().nodes(2).start()) {
      CassandraNode second = cassandra.node(1); // 127.0.0.2, same ports as node 1
      second.kill(); // SIGKILL, returns when the process is gone
      // ... the test goes on against node 1 ...
      second.start(); // same data and ports; returns when it answers CQL
      second.stop(); // SIGTERM: Cassandra drains and flushes
      second.restart();
    }

    try (KafkaBroker kafka = KafkaBroker.builder().start()) {
      kafka.kill();
      kafka.start();
      kafka.restart();
    }

    try (HazelcastMembers hazelcast = HazelcastMembers.start(2)) {
      hazelcast.shutdown(
          hazelcast.members().get(0)); // graceful; returns when the others no longer list it
      hazelcast.terminate(hazelcast.member()); // as a crash would
      hazelcast.addMember();
    }
  }
}
