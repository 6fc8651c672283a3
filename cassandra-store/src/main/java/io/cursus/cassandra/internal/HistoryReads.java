package io.cursus.cassandra.internal;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.store.HistoryOrder;
import io.cursus.api.store.HistoryQuery;
import io.cursus.api.store.TimeRange;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads the histories of aggregates from the event table: streamed page by page, loaded
 * asynchronously, or many at once. Each shape of history query (which bounds, which order) is
 * prepared on first use. What the Cassandra store's {@code read}, {@code historyAsync} and {@code
 * preload} run. Thread-safe.
 */
public final class HistoryReads {

  private final CqlSession session;
  private final Cql cql;
  private final RowCodec rows;
  private final RequestSettings reads;
  private final int pageSize;
  private final int preloadConcurrency;
  private final BoundedRequests reader;
  private final Map<String, CompletableFuture<PreparedStatement>> historyStatements =
      new ConcurrentHashMap<>();

  /**
   * @param reads how the reads are executed
   * @param pageSize rows fetched per page
   * @param maxInFlight histories read at once by {@link #historyAsync}
   * @param preloadConcurrency histories read at once by {@link #preload}
   */
  public HistoryReads(
      CqlSession session,
      Cql cql,
      RowCodec rows,
      RequestSettings reads,
      int pageSize,
      int maxInFlight,
      int preloadConcurrency) {
    this.session = requireNonNull(session, "session must not be null");
    this.cql = requireNonNull(cql, "cql must not be null");
    this.rows = requireNonNull(rows, "rows must not be null");
    this.reads = requireNonNull(reads, "reads must not be null");
    this.pageSize = pageSize;
    this.preloadConcurrency = preloadConcurrency;
    this.reader = new BoundedRequests(session, maxInFlight);
  }

  /** The events of {@code aggregate} {@code query} selects, streamed page by page. */
  public Stream<Event> read(AggregateId aggregate, HistoryQuery query) {
    requireNonNull(aggregate, "aggregate id must not be null");
    requireNonNull(query, "query must not be null");
    ResultSet result;
    try {
      result = session.execute(historyStatement(aggregate, query));
    } catch (RuntimeException e) {
      throw Failures.classify(e, "reading the history of " + aggregate);
    }
    Iterator<Row> rowIterator = result.iterator();
    boolean descending = query.order() == HistoryOrder.DESCENDING;
    Iterator<Event> events =
        new Iterator<>() {
          // Events of the last row not yet returned: a row upcast to several (or none).
          private Iterator<Event> pending = Collections.emptyIterator();

          @Override
          public boolean hasNext() {
            while (!pending.hasNext() && rowsLeft()) {
              pending = rows.readAll(aggregate, rowIterator.next(), 0, descending).iterator();
            }
            return pending.hasNext();
          }

          private boolean rowsLeft() {
            try {
              return rowIterator.hasNext();
            } catch (RuntimeException e) {
              throw Failures.classify(e, "paging through the history of " + aggregate);
            }
          }

          @Override
          public Event next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            return pending.next();
          }
        };
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(
                new SameTimeReversed(events), Spliterator.ORDERED | Spliterator.NONNULL),
            false)
        .filter(query::matches);
  }

  /**
   * The events of {@code aggregate} {@code query} selects, read without blocking: pages are fetched
   * one after another and decoded as they come, on driver threads; at most {@code maxInFlight}
   * histories at once, the others queued. The stage fails with what {@link #read} would have thrown
   * (not wrapped).
   */
  public CompletionStage<List<Event>> historyAsync(AggregateId aggregate, HistoryQuery query) {
    try {
      requireNonNull(aggregate, "aggregate id must not be null");
      requireNonNull(query, "query must not be null");
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    String doing = "reading the history of " + aggregate;
    CompletableFuture<List<Event>> history = new CompletableFuture<>();
    var unused =
        reader
            .runAsync(
                () ->
                    historyPrepared(query)
                        .thenCompose(
                            prepared -> {
                              CompletableFuture<List<Event>> stored = new CompletableFuture<>();
                              CompletionStage<AsyncResultSet> first;
                              try {
                                first = session.executeAsync(bind(prepared, aggregate, query));
                              } catch (RuntimeException e) {
                                first = CompletableFuture.failedFuture(e);
                              }
                              readPages(first, aggregate, query, new ArrayList<>(), doing, stored);
                              return stored;
                            }))
            .whenComplete(
                (stored, failure) -> {
                  if (failure != null) {
                    history.completeExceptionally(Failures.unwrap(failure));
                    return;
                  }
                  history.complete(inHistoryOrder(stored, query));
                });
    return history;
  }

  /**
   * Decodes the rows of {@code page} into {@code into}, then of the pages after it, and completes
   * {@code stored} with them all (in the table's order) or with the first failure.
   */
  private void readPages(
      CompletionStage<AsyncResultSet> page,
      AggregateId aggregate,
      HistoryQuery query,
      List<Event> into,
      String doing,
      CompletableFuture<List<Event>> stored) {
    var unused =
        page.whenComplete(
            (result, failure) -> {
              if (failure != null) {
                stored.completeExceptionally(Failures.classify(failure, doing));
                return;
              }
              try {
                for (Row row : result.currentPage()) {
                  into.addAll(
                      rows.readAll(aggregate, row, 0, query.order() == HistoryOrder.DESCENDING));
                }
              } catch (RuntimeException e) {
                stored.completeExceptionally(e);
                return;
              }
              if (result.hasMorePages()) {
                readPages(
                    result.fetchNextPage(),
                    aggregate,
                    query,
                    into,
                    "paging through the history of " + aggregate,
                    stored);
              } else {
                stored.complete(into);
              }
            });
  }

  /** The histories of {@code aggregates}, at most {@code preloadConcurrency} read at once. */
  public Map<AggregateId, List<Event>> preload(
      Collection<AggregateId> aggregates, HistoryQuery query) {
    requireNonNull(aggregates, "aggregates must not be null");
    requireNonNull(query, "query must not be null");
    Semaphore permits = new Semaphore(preloadConcurrency);
    Map<AggregateId, CompletableFuture<List<Row>>> futures = new LinkedHashMap<>();
    try {
      for (AggregateId aggregate : aggregates) {
        if (futures.containsKey(aggregate)) {
          continue;
        }
        permits.acquire();
        CompletableFuture<List<Row>> rowsOf;
        try {
          rowsOf =
              allRows(session.executeAsync(historyStatement(aggregate, query)), new ArrayList<>())
                  .toCompletableFuture();
        } catch (RuntimeException e) {
          permits.release();
          throw e;
        }
        var unused = rowsOf.whenComplete((r, f) -> permits.release());
        futures.put(aggregate, rowsOf);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Failures.transientFailure("interrupted while preloading histories", e);
    }
    Map<AggregateId, List<Event>> histories = new LinkedHashMap<>();
    for (Map.Entry<AggregateId, CompletableFuture<List<Row>>> entry : futures.entrySet()) {
      List<Row> rowList;
      try {
        rowList = entry.getValue().join();
      } catch (RuntimeException e) {
        throw Failures.classify(e, "preloading the history of " + entry.getKey());
      }
      List<Event> decoded = new ArrayList<>(rowList.size());
      for (Row row : rowList) {
        decoded.addAll(
            rows.readAll(entry.getKey(), row, 0, query.order() == HistoryOrder.DESCENDING));
      }
      histories.put(entry.getKey(), inHistoryOrder(decoded, query));
    }
    return histories;
  }

  /**
   * Events as the table returns them put in the order {@code query} promises (each run of events
   * with one event time reversed), keeping those it selects.
   */
  private static List<Event> inHistoryOrder(List<Event> stored, HistoryQuery query) {
    List<Event> history = new ArrayList<>(stored.size());
    new SameTimeReversed(stored.iterator())
        .forEachRemaining(
            e -> {
              if (query.matches(e)) {
                history.add(e);
              }
            });
    return List.copyOf(history);
  }

  private static CompletionStage<List<Row>> allRows(
      CompletionStage<AsyncResultSet> page, List<Row> into) {
    return page.thenCompose(
        result -> {
          result.currentPage().forEach(into::add);
          return result.hasMorePages()
              ? allRows(result.fetchNextPage(), into)
              : CompletableFuture.completedFuture(into);
        });
  }

  /**
   * The statement that reads {@code query}'s selection of {@code aggregate}, its text prepared on
   * first use; waits for the preparation.
   */
  private BoundStatement historyStatement(AggregateId aggregate, HistoryQuery query) {
    PreparedStatement prepared;
    try {
      prepared = historyPrepared(query).join();
    } catch (CompletionException e) {
      // the stage holds the classified failure of the preparation, which names the statement
      throw Failures.classify(e, "preparing the history query of " + query);
    }
    return bind(prepared, aggregate, query);
  }

  /**
   * The prepared history query of {@code query}'s shape (which bounds, which order), prepared
   * asynchronously on first use. A preparation that failed (its stage holds the classified failure)
   * is forgotten, so the next call prepares again.
   */
  private CompletableFuture<PreparedStatement> historyPrepared(HistoryQuery query) {
    TimeRange range = query.range();
    String shape =
        range.lower().map(b -> b.inclusive() ? ">=" : ">").orElse("")
            + "|"
            + range.upper().map(b -> b.inclusive() ? "<=" : "<").orElse("")
            + "|"
            + query.order();
    CompletableFuture<PreparedStatement> prepared = historyStatements.get(shape);
    if (prepared != null) {
      return prepared;
    }
    CompletableFuture<PreparedStatement> preparing = new CompletableFuture<>();
    prepared = historyStatements.putIfAbsent(shape, preparing);
    if (prepared != null) {
      return prepared;
    }
    String text = cql.selectHistory(range, query.order());
    CompletionStage<PreparedStatement> sent;
    try {
      sent = session.prepareAsync(text);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    var unused =
        sent.whenComplete(
            (statement, failure) -> {
              if (failure != null) {
                historyStatements.remove(shape, preparing);
                preparing.completeExceptionally(
                    Failures.classify(
                        failure, "preparing " + text + " (has the schema been created?)"));
              } else {
                preparing.complete(statement);
              }
            });
    return preparing;
  }

  private BoundStatement bind(PreparedStatement statement, AggregateId aggregate, HistoryQuery q) {
    TimeRange range = q.range();
    List<Object> values = new ArrayList<>(4);
    values.add(aggregate.type());
    values.add(aggregate.id());
    range.lower().ifPresent(b -> values.add(b.instant()));
    range.upper().ifPresent(b -> values.add(b.instant()));
    return reads
        .applyTo(statement.boundStatementBuilder(values.toArray()).setPageSize(pageSize))
        .build();
  }
}
