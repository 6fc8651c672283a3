package io.cursus.api.store;

import static java.util.Objects.requireNonNull;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.Timestamped;
import io.cursus.api.mapping.EventCodec;
import io.cursus.api.mapping.EventMapper;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Reads the histories of aggregates. The role a store plays for the read side.
 *
 * <p>A history is ordered by event time, then stream id, never by arrival. Implementations are
 * thread-safe.
 */
public interface EventSource {

  /**
   * The events of {@code aggregate} that {@code query} selects, in its order. Long histories are
   * streamed, not loaded at once, so the stream must be closed (try-with-resources).
   */
  Stream<Event> read(AggregateId aggregate, HistoryQuery query);

  /** The whole history of {@code aggregate}, oldest first. */
  default List<Event> history(AggregateId aggregate) {
    return history(aggregate, HistoryQuery.all());
  }

  /** The events of {@code aggregate} that {@code query} selects, in its order. */
  default List<Event> history(AggregateId aggregate, HistoryQuery query) {
    try (Stream<Event> events = read(aggregate, query)) {
      return events.toList();
    }
  }

  /**
   * The events of {@code aggregate} that {@code query} selects, loaded without blocking the caller
   * where the store can: the Cassandra store reads its pages asynchronously; the default reads on
   * the calling thread. A failure completes the stage exceptionally, as {@link #history} would have
   * thrown.
   */
  default CompletionStage<List<Event>> historyAsync(AggregateId aggregate, HistoryQuery query) {
    try {
      return CompletableFuture.completedFuture(history(aggregate, query));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * The histories of many aggregates at once, in the order of {@code aggregates}; an aggregate
   * without events maps to an empty list. Stores may read them concurrently.
   */
  default Map<AggregateId, List<Event>> preload(
      Collection<AggregateId> aggregates, HistoryQuery query) {
    Map<AggregateId, List<Event>> histories = new LinkedHashMap<>();
    for (AggregateId aggregate : aggregates) {
      histories.put(aggregate, history(aggregate, query));
    }
    return histories;
  }

  /** Passes the events {@code query} selects to {@code handler}, in the query's order. */
  default void replay(AggregateId aggregate, HistoryQuery query, Consumer<? super Event> handler) {
    requireNonNull(handler, "handler must not be null");
    try (Stream<Event> events = read(aggregate, query)) {
      events.forEachOrdered(handler);
    }
  }

  /** The history of aggregate {@code id} as typed events of {@code family}, oldest first. */
  default <E> List<Timestamped<E>> history(Class<E> family, UUID id) {
    return history(family, id, HistoryQuery.all());
  }

  /** As {@link #history(Class, UUID)}, for a family with String ids. */
  default <E> List<Timestamped<E>> history(Class<E> family, String id) {
    return history(family, id, HistoryQuery.all());
  }

  /** As {@link #history(Class, UUID)}, for a family with long or int ids. */
  default <E> List<Timestamped<E>> history(Class<E> family, long id) {
    return history(family, id, HistoryQuery.all());
  }

  /**
   * The events {@code query} selects of aggregate {@code id}, as typed events of {@code family}.
   * Events the family does not declare are left out.
   */
  default <E> List<Timestamped<E>> history(Class<E> family, UUID id, HistoryQuery query) {
    EventCodec<E> codec = EventMapper.codec(family);
    return codec.decodeAll(history(AggregateId.of(codec.aggregateType(), id), query));
  }

  /** As {@link #history(Class, UUID, HistoryQuery)}, for a family with String ids. */
  default <E> List<Timestamped<E>> history(Class<E> family, String id, HistoryQuery query) {
    EventCodec<E> codec = EventMapper.codec(family);
    return codec.decodeAll(history(AggregateId.of(codec.aggregateType(), id), query));
  }

  /** As {@link #history(Class, UUID, HistoryQuery)}, for a family with long or int ids. */
  default <E> List<Timestamped<E>> history(Class<E> family, long id, HistoryQuery query) {
    EventCodec<E> codec = EventMapper.codec(family);
    return codec.decodeAll(history(AggregateId.of(codec.aggregateType(), id), query));
  }
}
