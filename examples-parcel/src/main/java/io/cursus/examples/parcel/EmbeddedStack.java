package io.cursus.examples.parcel;

import io.cursus.api.Event;
import io.cursus.api.command.PublishedDecisions;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.memory.InMemoryEventIndex;
import io.cursus.api.memory.InMemoryEventStore;
import io.cursus.api.projection.Projections;
import io.cursus.api.store.AggregateCatalogue;
import io.cursus.api.store.DecisionLog;
import io.cursus.api.store.EventIndex;
import io.cursus.api.store.EventSource;
import io.cursus.middleware.IdempotencyFilter;
import io.cursus.middleware.Pipelines;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** The embedded default: an in-process pipeline into the in-memory store and index. */
final class EmbeddedStack implements Stack {

  private final InMemoryEventStore store = InMemoryEventStore.empty();
  private final InMemoryEventIndex index = InMemoryEventIndex.empty();
  private final CountingFilter idempotency =
      new CountingFilter(IdempotencyFilter.inMemory(100_000, Duration.ofHours(1)));
  private final Projections projections = Projections.embedded(store);
  private final Consumer<List<Event>> channel;

  EmbeddedStack(EventTypeRegistry registry) {
    this.channel = Pipelines.embedded(registry, idempotency, store, index, List.of()).build();
  }

  @Override
  public String describe() {
    return "embedded stack: in-process pipeline, in-memory idempotency window, store, index and"
        + " projections";
  }

  @Override
  public Consumer<List<Event>> channel() {
    return channel;
  }

  @Override
  public EventSource source() {
    return store;
  }

  @Override
  public DecisionLog decisions() {
    return PublishedDecisions.of(store, channel);
  }

  @Override
  public AggregateCatalogue catalogue() {
    return store;
  }

  @Override
  public EventIndex index() {
    return index;
  }

  @Override
  public Optional<Projections> projections() {
    return Optional.of(projections);
  }

  @Override
  public long duplicatesStopped() {
    return idempotency.stopped();
  }

  @Override
  public void awaitQuiet(long expectedStored) {
    // The in-process pipeline has stored and indexed each batch when dispatch returns.
  }

  @Override
  public void close() {
    projections.close();
  }
}
