package io.cursus.spring.internal;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.cassandra.CassandraCheckpointStore;
import io.cursus.cassandra.CassandraEventIndex;
import io.cursus.cassandra.CassandraEventStore;
import io.cursus.cassandra.CassandraParkedEventStore;
import io.cursus.cassandra.CassandraSchema;
import io.cursus.cassandra.CassandraTables;
import io.cursus.spring.CursusProperties;
import org.springframework.beans.factory.BeanFactory;

/**
 * {@code cursus.store=cassandra}. Loaded only when that store is chosen, so an application of the
 * embedded default needs neither {@code cursus-cassandra} nor the driver on its class path.
 */
final class CassandraWiring {

  private CassandraWiring() {}

  static CursusStorage open(
      CursusProperties properties,
      EventTypeRegistry registry,
      BeanFactory beans,
      CursusResources resources) {
    CqlSession session = beans.getBeanProvider(CqlSession.class).getIfUnique();
    if (session == null) {
      session = resources.closeWithContext(connect(properties));
    }
    CassandraTables tables = CassandraTables.inKeyspace(properties.cassandraKeyspace());
    if (properties.cassandraCreateSchema()) {
      CassandraSchema.of(tables)
          .simpleStrategy(properties.cassandraReplicationFactor())
          .create(session);
    }
    DefaultConsistencyLevel read =
        DefaultConsistencyLevel.valueOf(properties.cassandraReadConsistency());
    DefaultConsistencyLevel write =
        DefaultConsistencyLevel.valueOf(properties.cassandraWriteConsistency());
    CassandraEventStore store =
        CassandraEventStore.builder(session, registry)
            .tables(tables)
            .readConsistency(read)
            .writeConsistency(write)
            .build();
    CassandraEventIndex index =
        CassandraEventIndex.builder(session, registry)
            .tables(tables)
            .readConsistency(read)
            .writeConsistency(write)
            .build();
    return new CursusStorage(
        store,
        index,
        index,
        CassandraCheckpointStore.using(session, tables),
        CassandraParkedEventStore.using(session, tables, registry));
  }

  private static CqlSession connect(CursusProperties properties) {
    if (properties.cassandraContactPoints().isEmpty()) {
      throw new IllegalArgumentException(
          CursusProperties.STORE
              + "=cassandra needs "
              + CursusProperties.CASSANDRA_CONTACT_POINTS
              + " and "
              + CursusProperties.CASSANDRA_LOCAL_DATACENTER
              + ", or a CqlSession bean of the application's (for credentials, TLS and driver"
              + " settings)");
    }
    String dataCenter = properties.cassandraLocalDatacenter();
    if (dataCenter == null) {
      throw new IllegalArgumentException(
          CursusProperties.CASSANDRA_CONTACT_POINTS
              + " needs "
              + CursusProperties.CASSANDRA_LOCAL_DATACENTER
              + ", the data center the driver sends requests to");
    }
    return CqlSession.builder()
        .addContactPoints(properties.cassandraContactPoints())
        .withLocalDatacenter(dataCenter)
        .build();
  }
}
