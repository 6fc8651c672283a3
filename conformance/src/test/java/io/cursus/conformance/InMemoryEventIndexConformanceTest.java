package io.cursus.conformance;

import io.cursus.api.memory.InMemoryEventIndex;
import io.cursus.api.store.EventIndex;
import io.cursus.api.store.EventIndexer;

class InMemoryEventIndexConformanceTest extends EventIndexConformance {

  private static final InMemoryEventIndex INDEX = InMemoryEventIndex.empty();

  @Override
  protected EventIndexer indexer() {
    return INDEX;
  }

  @Override
  protected EventIndex index() {
    return INDEX;
  }
}
