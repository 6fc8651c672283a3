package io.cursus.middleware.kafka;

import io.cursus.api.Event;
import io.cursus.api.store.EventIndexer;
import io.cursus.api.store.EventLog;
import io.cursus.middleware.Pipeline;
import io.cursus.middleware.PipelineException;
import io.cursus.middleware.Stages;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What {@link KafkaEventConsumer} does with the events of one partition's batch: persist them, then
 * index them, then notify the handlers. An event that the index or a handler refuses for good, once
 * it is stored, is set apart so that it cannot hold up the events behind it; the caller
 * dead-letters it.
 *
 * <p>Thread-safe if the store, index and handlers are; it keeps no state between calls.
 */
final class BatchProcessing {

  /**
   * An event refused for good after it was stored: its position in the batch, the dead-letter
   * reason ({@link KafkaEventConsumer#INDEX_FAILED} or {@link KafkaEventConsumer#HANDLER_FAILED})
   * and the failure, which names the stage and the event.
   */
  record Refusal(int position, String reason, PipelineException failure) {}

  private final Consumer<List<Event>> persist;
  private final Consumer<List<Event>> index;
  private final Consumer<List<Event>> notify;

  /** {@code indexer} may be null (no index); {@code handlers} may be empty. */
  BatchProcessing(EventLog log, EventIndexer indexer, List<Consumer<? super Event>> handlers) {
    this.persist = Pipeline.start().then("persist", log::append).build();
    this.index = indexer == null ? null : Pipeline.start().then("index", indexer::index).build();
    this.notify =
        handlers.isEmpty()
            ? null
            : Pipeline.start().then("notify", Stages.notifying(handlers)).build();
  }

  /**
   * Persists, indexes and notifies {@code events}, leaving out those at the positions in {@code
   * setApart} (refused on an earlier try of the same batch, so stored already).
   *
   * <p>The whole batch is indexed at once; if the index refuses it for good, each event is indexed
   * alone, and those it still refuses are set apart. Each event that is left is handed to every
   * handler in turn; one that a handler refuses for good is set apart (the handlers before it have
   * seen it). An event set apart reaches no later stage.
   *
   * @return the events set apart, in batch order; empty if all went through
   * @throws PipelineException if the store fails (transient or not), or the index or a handler
   *     fails transiently: nothing is set apart then, and the whole batch may be tried again
   */
  List<Refusal> process(List<Event> events, Set<Integer> setApart) {
    List<Event> live = new ArrayList<>(events.size());
    List<Integer> positions = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      if (!setApart.contains(i)) {
        live.add(events.get(i));
        positions.add(i);
      }
    }
    if (live.isEmpty()) {
      return List.of();
    }
    persist.accept(live);
    List<Refusal> refusals = new ArrayList<>();
    boolean[] refused = new boolean[live.size()];
    if (index != null) {
      try {
        index.accept(live);
      } catch (PipelineException e) {
        if (e.isTransient()) {
          throw e;
        }
        for (int k = 0; k < live.size(); k++) {
          try {
            index.accept(List.of(live.get(k)));
          } catch (PipelineException refusal) {
            if (refusal.isTransient()) {
              throw refusal;
            }
            refused[k] = true;
            refusals.add(new Refusal(positions.get(k), KafkaEventConsumer.INDEX_FAILED, refusal));
          }
        }
      }
    }
    if (notify != null) {
      for (int k = 0; k < live.size(); k++) {
        if (refused[k]) {
          continue;
        }
        try {
          notify.accept(List.of(live.get(k)));
        } catch (PipelineException refusal) {
          if (refusal.isTransient()) {
            throw refusal;
          }
          refusals.add(new Refusal(positions.get(k), KafkaEventConsumer.HANDLER_FAILED, refusal));
        }
      }
    }
    refusals.sort(Comparator.comparingInt(Refusal::position));
    return refusals;
  }
}
