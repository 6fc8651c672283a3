package io.cursus.cassandra;

import io.cursus.api.store.DecisionLog;
import io.cursus.api.store.EventLog;
import io.cursus.api.store.EventSource;
import io.cursus.conformance.ConditionalAppendConformance;

/** The conditional-append conformance suite, unchanged, against the testkit's real Cassandra. */
class CassandraConditionalAppendConformanceIT extends ConditionalAppendConformance {

  @Override
  protected DecisionLog decisions() {
    return SharedCassandra.store();
  }

  @Override
  protected EventLog log() {
    return SharedCassandra.store();
  }

  @Override
  protected EventSource source() {
    return SharedCassandra.store();
  }
}
