package io.cursus.cassandra;

import io.cursus.api.store.AggregateCatalogue;
import io.cursus.api.store.EventLog;
import io.cursus.api.store.EventSource;
import io.cursus.conformance.EventStoreConformance;

/** The store conformance suite, unchanged, against the real Cassandra of the testkit. */
class CassandraEventStoreConformanceIT extends EventStoreConformance {

  @Override
  protected EventLog log() {
    return SharedCassandra.store();
  }

  @Override
  protected EventSource source() {
    return SharedCassandra.store();
  }

  @Override
  protected AggregateCatalogue catalogue() {
    return SharedCassandra.store();
  }
}
