package io.cursus.cassandra;

import io.cursus.api.store.EventIndex;
import io.cursus.api.store.EventIndexer;
import io.cursus.conformance.EventIndexConformance;

/** The index conformance suite, unchanged, against the real Cassandra of the testkit. */
class CassandraEventIndexConformanceIT extends EventIndexConformance {

  @Override
  protected EventIndexer indexer() {
    return SharedCassandra.index();
  }

  @Override
  protected EventIndex index() {
    return SharedCassandra.index();
  }
}
