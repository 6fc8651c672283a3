package io.cursus.testkit;

import com.datastax.oss.driver.api.core.CqlSession;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The fault-handle and secured-engine samples of docs/testing.md, compiled with the build so it
 * cannot go stale; the same calls run for real in this module's fault ITs. The extension sample is
 * {@code docs.ParcelStoreIT}, which runs.
 */
final class TestingDocSamples {

  private TestingDocSamples() {}

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

    try (KafkaCluster kafka = KafkaCluster.builder().brokers(3).start()) {
      kafka.createTopics(3, "parcels"); // replication factor 3, min.insync.replicas 2
      KafkaBroker leader = kafka.leaderOf("parcels", 0);
      leader.kill(); // SIGKILL; another replica takes over
      KafkaBroker successor = kafka.leaderOf("parcels", 0); // waits until a running broker leads
      leader.start(); // same ports and data; it catches up
      kafka.awaitInSync("parcels"); // every replica back in the ISR
      List<KafkaBroker> inSync = kafka.inSyncReplicas("parcels", 0); // leader first
      System.out.println(successor + " took over from " + leader + "; in sync: " + inSync);
    }

    try (HazelcastMembers hazelcast = HazelcastMembers.start(2)) {
      hazelcast.shutdown(
          hazelcast.members().get(0)); // graceful; returns when the others no longer list it
      hazelcast.terminate(hazelcast.member()); // as a crash would
      hazelcast.addMember();
    }
  }

  // sample: secured engines
  static void secured(String cassandraPassword, String kafkaPassword) {
    try (CassandraCluster cassandra =
            CassandraCluster.builder().credentials("cursus_app", cassandraPassword).start();
        KafkaBroker kafka = KafkaBroker.builder().scram("cursus-app", kafkaPassword).start()) {
      CqlSession session =
          CqlSession.builder()
              .addContactPoints(cassandra.contactPoints())
              .withLocalDatacenter(cassandra.localDatacenter())
              .withAuthCredentials("cursus_app", cassandraPassword)
              .build();
      Map<String, Object> producer = new HashMap<>(kafka.clientProperties()); // SASL, password
      producer.put("bootstrap.servers", kafka.bootstrapServers());
      kafka.createTopics(3, "parcels"); // the testkit's own admin client authenticates too
      session.close();
      System.out.println(producer.keySet()); // the keys only: the values hold the password
    }
  }
}
