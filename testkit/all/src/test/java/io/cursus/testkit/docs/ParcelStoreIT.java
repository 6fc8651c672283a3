package io.cursus.testkit.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import io.cursus.testkit.CassandraCluster;
import io.cursus.testkit.CursusEngines;
import io.cursus.testkit.KafkaBroker;
import org.junit.jupiter.api.Test;

/** The JUnit 5 extension sample of docs/testing.md, run as it is written there. */
@CursusEngines
class ParcelStoreIT {
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
      assertThat(session.execute("SELECT release_version FROM system.local").one()).isNotNull();
    }
    kafka.createTopics(3, "parcels"); // create topics up front, see below
    // producer.bootstrap.servers = kafka.bootstrapServers()
  }
}
