package io.cursus.conformance;

import io.cursus.api.memory.InMemoryEventStore;
import io.cursus.api.store.DecisionLog;
import io.cursus.api.store.EventLog;
import io.cursus.api.store.EventSource;

class InMemoryConditionalAppendConformanceTest extends ConditionalAppendConformance {

  private static final InMemoryEventStore STORE = InMemoryEventStore.empty();

  @Override
  protected DecisionLog decisions() {
    return STORE;
  }

  @Override
  protected EventLog log() {
    return STORE;
  }

  @Override
  protected EventSource source() {
    return STORE;
  }

  @Override
  protected int racingWriters() {
    return 16;
  }

  @Override
  protected int racingRounds() {
    return 500;
  }
}
