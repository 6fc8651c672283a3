package io.cursus.testkit;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import java.net.InetSocketAddress;
import java.time.Duration;

/** Driver sessions for the tests, with timeouts that suit a busy two-core machine. */
final class Cql {
  private Cql() {}

  static CqlSession session(InetSocketAddress contactPoint, String datacenter) {
    return CqlSession.builder()
        .addContactPoint(contactPoint)
        .withLocalDatacenter(datacenter)
        .withConfigLoader(
            DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
                .withDuration(
                    DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
                .withDuration(
                    DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, Duration.ofSeconds(30))
                .withDuration(
                    DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT,
                    Duration.ofSeconds(30))
                .build())
        .build();
  }

  static CqlSession session(CassandraCluster cassandra) {
    return session(cassandra.contactPoint(), cassandra.localDatacenter());
  }
}
