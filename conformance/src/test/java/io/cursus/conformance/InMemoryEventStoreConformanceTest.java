package io.cursus.conformance;

import io.cursus.api.memory.InMemoryEventStore;
import io.cursus.api.store.AggregateCatalogue;
import io.cursus.api.store.EventLog;
import io.cursus.api.store.EventSource;

class InMemoryEventStoreConformanceTest extends EventStoreConformance {

  private static final InMemoryEventStore STORE = InMemoryEventStore.empty();

  @Override
  protected EventLog log() {
    return STORE;
  }

  @Override
  protected EventSource source() {
    return STORE;
  }

  @Override
  protected AggregateCatalogue catalogue() {
    return STORE;
  }
}
