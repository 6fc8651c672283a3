package io.cursus.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.conformance.EventStoreConformance;
import io.cursus.testkit.CassandraCluster;
import io.cursus.testkit.Engines;

/** One session and one schema for every test class of this module's run. */
final class SharedCassandra {

  static final CassandraTables TABLES = CassandraTables.inKeyspace("cursus_it");
  static final EventTypeRegistry REGISTRY =
      EventTypeRegistry.of(EventStoreConformance.DECLARATIONS).with(LegacyEvents.class);

  private static CqlSession session;
  private static CassandraEventStore store;
  private static CassandraEventIndex index;

  private SharedCassandra() {}

  static synchronized CqlSession session() {
    if (session == null) {
      session = connect(Engines.cassandra());
      CassandraSchema.of(TABLES).create(session);
      Runtime.getRuntime().addShutdownHook(new Thread(session::close, "close-cql-session"));
    }
    return session;
  }

  static CqlSession connect(CassandraCluster cluster) {
    return CqlSession.builder()
        .addContactPoints(cluster.contactPoints())
        .withLocalDatacenter(cluster.localDatacenter())
        .build();
  }

  static synchronized CassandraEventStore store() {
    if (store == null) {
      store = CassandraEventStore.builder(session(), REGISTRY).tables(TABLES).build();
    }
    return store;
  }

  static synchronized CassandraEventIndex index() {
    if (index == null) {
      index = CassandraEventIndex.builder(session(), REGISTRY).tables(TABLES).build();
    }
    return index;
  }
}
