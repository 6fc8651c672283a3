package io.cursus.examples.parcel;

import io.cursus.api.Event;
import io.cursus.api.projection.Projections;
import io.cursus.api.store.AggregateCatalogue;
import io.cursus.api.store.DecisionLog;
import io.cursus.api.store.EventIndex;
import io.cursus.api.store.EventSource;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Where the demo's events go and are read from: the embedded default or the real engines. */
interface Stack extends AutoCloseable {

  /** One line saying what this stack is. */
  String describe();

  /** The channel the event bus writes batches to. */
  Consumer<List<Event>> channel();

  EventSource source();

  /**
   * Where commands append their decisions: to the store on a condition, then on to the channel
   * (idempotency window, Kafka, index), so the pipeline's readers see them as they see reports.
   */
  DecisionLog decisions();

  AggregateCatalogue catalogue();

  EventIndex index();

  /** Repeats the idempotency filter stopped so far. */
  long duplicatesStopped();

  /** The projections running on this stack's events, if it runs any. */
  default Optional<Projections> projections() {
    return Optional.empty();
  }

  /** Returns once every event written so far is stored and indexed. */
  void awaitQuiet(long expectedStored) throws InterruptedException;

  @Override
  void close();
}
