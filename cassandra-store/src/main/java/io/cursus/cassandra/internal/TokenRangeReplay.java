package io.cursus.cassandra.internal;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.metadata.TokenMap;
import com.datastax.oss.driver.api.core.metadata.token.TokenRange;
import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.store.HistoryQuery;
import io.cursus.cassandra.ReplayProgress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The full replay of an aggregate type: scans the token ranges of the event table in parallel and
 * hands each aggregate's events to a handler together, in event-time order. What {@code
 * CassandraEventStore.replayAll} runs. Thread-safe; each {@link #run} has its own threads.
 */
public final class TokenRangeReplay {

  private final CqlSession session;
  private final String scanCql;
  private final RowCodec rows;
  private final RequestSettings reads;
  private final int pageSize;

  /**
   * @param scanCql the scan of one token range ({@link Cql#scanEvents}), prepared by each run
   * @param reads how the scans are executed
   * @param pageSize rows fetched per page
   */
  public TokenRangeReplay(
      CqlSession session, String scanCql, RowCodec rows, RequestSettings reads, int pageSize) {
    this.session = requireNonNull(session, "session must not be null");
    this.scanCql = requireNonNull(scanCql, "scan must not be null");
    this.rows = requireNonNull(rows, "rows must not be null");
    this.reads = requireNonNull(reads, "reads must not be null");
    this.pageSize = pageSize;
  }

  /**
   * Reads every event of {@code aggregateType} and passes each aggregate's events to {@code
   * handler}, from {@code parallelism} threads at once; {@code progress} is called after each token
   * range.
   *
   * @return the final progress
   * @throws io.cursus.api.CursusException if a range cannot be read; the message names the range
   */
  public ReplayProgress run(
      String aggregateType,
      int parallelism,
      Consumer<? super List<Event>> handler,
      Consumer<? super ReplayProgress> progress) {
    requireNonNull(aggregateType, "aggregate type must not be null");
    requireNonNull(handler, "handler must not be null");
    requireNonNull(progress, "progress must not be null");
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
    }
    List<TokenRange> ranges = ranges(parallelism);
    PreparedStatement scan = Cql.prepare(session, scanCql);
    AtomicInteger done = new AtomicInteger();
    AtomicLong aggregatesRead = new AtomicLong();
    AtomicLong eventsRead = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(parallelism, daemonThreads());
    try {
      List<Future<?>> tasks = new ArrayList<>();
      for (TokenRange range : ranges) {
        tasks.add(
            pool.submit(
                () -> {
                  scanRange(scan, range, aggregateType, handler, aggregatesRead, eventsRead);
                  progress.accept(
                      new ReplayProgress(
                          done.incrementAndGet(),
                          ranges.size(),
                          aggregatesRead.get(),
                          eventsRead.get()));
                }));
      }
      for (Future<?> task : tasks) {
        try {
          task.get();
        } catch (ExecutionException e) {
          throw Failures.classify(e.getCause(), "replaying " + aggregateType);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Failures.transientFailure("interrupted while replaying " + aggregateType, e);
    } finally {
      pool.shutdownNow();
    }
    return new ReplayProgress(done.get(), ranges.size(), aggregatesRead.get(), eventsRead.get());
  }

  /** The ring's token ranges, split so that there are about four per thread, none wrapping. */
  private List<TokenRange> ranges(int parallelism) {
    TokenMap tokenMap =
        session
            .getMetadata()
            .getTokenMap()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "the driver has no token metadata; is token metadata disabled?"));
    List<TokenRange> ranges = new ArrayList<>();
    for (TokenRange range : tokenMap.getTokenRanges()) {
      for (TokenRange split :
          range.splitEvenly(
              Math.max(1, parallelism * 4 / Math.max(1, tokenMap.getTokenRanges().size()) + 1))) {
        ranges.addAll(split.unwrap());
      }
    }
    return ranges;
  }

  private void scanRange(
      PreparedStatement scan,
      TokenRange range,
      String aggregateType,
      Consumer<? super List<Event>> handler,
      AtomicLong aggregatesRead,
      AtomicLong eventsRead) {
    ResultSet result;
    try {
      result =
          session.execute(
              reads
                  .applyTo(
                      scan.boundStatementBuilder(range.getStart(), range.getEnd())
                          .setPageSize(pageSize))
                  .build());
    } catch (RuntimeException e) {
      throw Failures.classify(e, "scanning token range " + range);
    }
    AggregateId current = null;
    List<Event> history = new ArrayList<>();
    for (Row row : result) {
      if (!aggregateType.equals(row.getString(0))) {
        continue;
      }
      AggregateId aggregate = AggregateId.of(aggregateType, row.getString(1));
      if (!aggregate.equals(current)) {
        deliver(history, handler, aggregatesRead, eventsRead);
        current = aggregate;
      }
      history.addAll(rows.readAll(aggregate, row, 2, false)); // sorted when delivered
    }
    deliver(history, handler, aggregatesRead, eventsRead);
  }

  private static void deliver(
      List<Event> descending,
      Consumer<? super List<Event>> handler,
      AtomicLong aggregatesRead,
      AtomicLong eventsRead) {
    if (descending.isEmpty()) {
      return;
    }
    List<Event> ascending = new ArrayList<>(descending);
    ascending.sort(HistoryQuery.EVENT_TIME_ORDER);
    descending.clear();
    handler.accept(List.copyOf(ascending));
    aggregatesRead.incrementAndGet();
    eventsRead.addAndGet(ascending.size());
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "cursus-replay-" + n.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
