package io.cursus.cassandra.internal;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.Statement;
import com.datastax.oss.driver.api.core.metadata.TokenMap;
import com.datastax.oss.driver.api.core.metadata.token.TokenRange;
import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.TransientCursusException;
import io.cursus.api.evolution.MigrationProgress;
import io.cursus.api.internal.CharacteristicBits;
import io.cursus.api.mapping.EventSchema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Rewrites the stored events of one aggregate type whose version is upcast to what the upcasters
 * make of them, in place: a parallel scan of the event table's token ranges, as the full replay
 * does. Each rewritten row keeps its key (event time, stream), its processing id and its write
 * timestamp plus one microsecond, so that it replaces the stored row and the first capture still
 * wins against any later copy. A row's replacement (its parts, if it is split; its deletion, if it
 * is dropped) is one single-partition batch, applied at once. A range's completion is saved in the
 * migrations table, so that a run stopped midway resumes with the ranges not done; rows already at
 * a declared version are passed over, so redoing a range changes nothing. Thread-safe; each {@link
 * #run} has its own threads.
 */
public final class TokenRangeMigration {

  private final CqlSession session;
  private final Cql cql;
  private final RowCodec rows;
  private final StoredTypes storedTypes;
  private final RequestSettings reads;
  private final RequestSettings writes;
  private final BoundedRequests writer;
  private final int pageSize;

  public TokenRangeMigration(
      CqlSession session,
      Cql cql,
      RowCodec rows,
      StoredTypes storedTypes,
      RequestSettings reads,
      RequestSettings writes,
      BoundedRequests writer,
      int pageSize) {
    this.session = requireNonNull(session, "session must not be null");
    this.cql = requireNonNull(cql, "cql must not be null");
    this.rows = requireNonNull(rows, "rows must not be null");
    this.storedTypes = requireNonNull(storedTypes, "stored types must not be null");
    this.reads = requireNonNull(reads, "reads must not be null");
    this.writes = requireNonNull(writes, "writes must not be null");
    this.writer = requireNonNull(writer, "writer must not be null");
    this.pageSize = pageSize;
  }

  /**
   * Migrates {@code aggregateType} under the name {@code name}.
   *
   * @param segments ranges the ring is cut into (a resumed run must use the same number)
   * @param maxEventsPerSecond stored events read per second at most, over all threads; 0 for no
   *     limit
   * @throws TransientCursusException if the calling thread is interrupted; finished ranges stay
   *     saved, so running it again resumes
   * @throws io.cursus.api.store.UnreadableEventException naming the event and upcaster if a step
   *     fails; rows rewritten before it stay rewritten (they read the same), nothing of that row
   *     changes
   */
  public MigrationProgress run(
      String aggregateType,
      String name,
      int parallelism,
      int segments,
      long maxEventsPerSecond,
      Consumer<? super MigrationProgress> progress) {
    List<TokenRange> ranges = ranges(segments);
    TokenMap tokens = tokenMap();
    PreparedStatement scan = Cql.prepare(session, cql.scanEventsForMigration());
    PreparedStatement insert = Cql.prepare(session, cql.insertEvent());
    PreparedStatement delete = Cql.prepare(session, cql.deleteEvent());
    PreparedStatement saveRange = Cql.prepare(session, cql.insertMigrationRange());
    Set<String> done = doneRanges(name);
    List<TokenRange> todo = new ArrayList<>();
    for (TokenRange range : ranges) {
      if (!done.contains(key(tokens, range))) {
        todo.add(range);
      }
    }
    AtomicInteger rangesDone = new AtomicInteger(ranges.size() - todo.size());
    AtomicLong read = new AtomicLong();
    AtomicLong rewritten = new AtomicLong();
    Throttle throttle = new Throttle(maxEventsPerSecond);
    ExecutorService pool = Executors.newFixedThreadPool(parallelism, daemonThreads());
    try {
      List<Future<?>> tasks = new ArrayList<>();
      for (TokenRange range : todo) {
        tasks.add(
            pool.submit(
                () -> {
                  long[] counts =
                      migrateRange(
                          scan, insert, delete, range, aggregateType, throttle, read, rewritten);
                  saveRange(saveRange, name, tokens, range, counts);
                  progress.accept(
                      new MigrationProgress(
                          rangesDone.incrementAndGet(),
                          ranges.size(),
                          read.get(),
                          rewritten.get()));
                  return null;
                }));
      }
      for (Future<?> task : tasks) {
        try {
          task.get();
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof RuntimeException runtime
              && !(cause instanceof com.datastax.oss.driver.api.core.DriverException)) {
            throw runtime;
          }
          throw Failures.classify(cause, "migrating " + aggregateType);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Failures.transientFailure(
          "interrupted while migrating "
              + aggregateType
              + " ("
              + rangesDone.get()
              + " of "
              + ranges.size()
              + " ranges done; running migration '"
              + name
              + "' again resumes)",
          e);
    } finally {
      pool.shutdownNow();
      awaitQuietly(pool);
    }
    clear(name);
    return new MigrationProgress(rangesDone.get(), ranges.size(), read.get(), rewritten.get());
  }

  /** Reads one range and rewrites its rows of upcast versions; returns {read, rewritten}. */
  private long[] migrateRange(
      PreparedStatement scan,
      PreparedStatement insert,
      PreparedStatement delete,
      TokenRange range,
      String aggregateType,
      Throttle throttle,
      AtomicLong read,
      AtomicLong rewritten)
      throws InterruptedException {
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
      throw Failures.classify(e, "scanning token range " + range + " to migrate it");
    }
    // rewrites in flight, bounded by the store's writer; all done before the range is saved
    List<CompletableFuture<AsyncResultSet>> pending = new ArrayList<>();
    try {
      return migrateRows(
          result, insert, delete, range, aggregateType, throttle, read, rewritten, pending);
    } catch (RuntimeException e) {
      // a step failed on a row: the rows sent before it are rewritten when this throws
      for (CompletableFuture<AsyncResultSet> future : pending) {
        future.handle((done, failure) -> null).join();
      }
      throw e;
    }
  }

  private long[] migrateRows(
      ResultSet result,
      PreparedStatement insert,
      PreparedStatement delete,
      TokenRange range,
      String aggregateType,
      Throttle throttle,
      AtomicLong read,
      AtomicLong rewritten,
      List<CompletableFuture<AsyncResultSet>> pending)
      throws InterruptedException {
    long rangeRead = 0;
    long rangeRewritten = 0;
    // The rewrites of the partition being read, sent as one batch when the scan leaves it (rows
    // come
    // partition by partition) or when the next row's statements would not fit in it.
    PartitionRewrites partition = new PartitionRewrites();
    try {
      for (Row row : result) {
        if (Thread.currentThread().isInterrupted()) {
          throw new InterruptedException("migration stopped in range " + range);
        }
        if (!aggregateType.equals(row.getString(0))) {
          continue;
        }
        throttle.acquire();
        rangeRead++;
        read.incrementAndGet();
        String name = row.getString(5);
        String version = row.getString(6);
        if (name == null || version == null || !rows.isUpcast(aggregateType, name, version)) {
          continue;
        }
        AggregateId aggregate = AggregateId.of(aggregateType, row.getString(1));
        List<BoundStatement> replacement = rewrite(insert, delete, aggregate, row);
        if (!partition.accepts(aggregate, replacement.size())) {
          partition.send(pending);
          if (pending.size() >= DRAIN_AT) {
            awaitAll(pending, range);
          }
        }
        partition.add(aggregate, replacement);
        rangeRewritten++;
        rewritten.incrementAndGet();
      }
    } catch (RuntimeException e) {
      // A step failed on a row: the rows read before it are rewritten, as they were when each row
      // was sent on its own; the failing row is left as it was.
      try {
        partition.send(pending);
      } catch (RuntimeException sending) {
        e.addSuppressed(sending);
      } catch (InterruptedException sending) {
        Thread.currentThread().interrupt();
        e.addSuppressed(sending);
      }
      throw e;
    }
    partition.send(pending);
    awaitAll(pending, range);
    return new long[] {rangeRead, rangeRewritten};
  }

  /**
   * The replacements of consecutive rows of one partition, gathered to be sent as one
   * single-partition batch: a row's statements are never split between two batches, so each row is
   * still replaced at once.
   */
  private final class PartitionRewrites {
    private AggregateId aggregate;
    private PartitionBatches batch = new PartitionBatches();
    private int statements;

    /** Whether a row of {@code next} with {@code size} statements can join the batch. */
    boolean accepts(AggregateId next, int size) {
      return statements == 0
          || (next.equals(aggregate) && statements + size <= PartitionBatches.MAX_STATEMENTS);
    }

    void add(AggregateId of, List<BoundStatement> replacement) {
      aggregate = of;
      for (BoundStatement statement : replacement) {
        batch.add(of, statement);
      }
      statements += replacement.size();
    }

    /** Sends the batch, if any, without waiting for it (added to {@code pending}). */
    void send(List<CompletableFuture<AsyncResultSet>> pending) throws InterruptedException {
      if (statements == 0) {
        return;
      }
      for (Statement<?> request : batch.requests(writes)) {
        pending.add(writer.execute(request));
      }
      batch = new PartitionBatches();
      statements = 0;
      aggregate = null;
    }
  }

  /** Rewrites a range holds in flight before it waits for them (and forgets them). */
  private static final int DRAIN_AT = 512;

  /** Waits for every rewrite of {@code pending}, then forgets them; throws the first failure. */
  private static void awaitAll(List<CompletableFuture<AsyncResultSet>> pending, TokenRange range) {
    try {
      BoundedRequests.awaitAll(
          pending,
          "rewriting rows of token range " + range,
          "the range is not saved as done, so running the migration again redoes it");
    } finally {
      pending.clear();
    }
  }

  /**
   * The statements that replace one stored row with what the upcasters make of it: its rows at the
   * current versions, and the stored row's deletion if none of them has its key.
   */
  private List<BoundStatement> rewrite(
      PreparedStatement insert, PreparedStatement delete, AggregateId aggregate, Row row) {
    List<Event> current = rows.readAll(aggregate, row, 2, false);
    Instant time = row.getInstant(2);
    String stream = row.getString(3);
    long writeTime = Math.addExact(row.getLong(9), 1);
    List<BoundStatement> replacement = new ArrayList<>(current.size() + 1);
    boolean keyKept = false;
    for (Event event : current) {
      keyKept |= event.eventTime().equals(time) && event.timestamp().streamId().equals(stream);
      replacement.add(insert(insert, event, row.getUuid(4), writeTime));
    }
    if (!keyKept) {
      replacement.add(
          writes
              .applyTo(
                  delete
                      .boundStatementBuilder()
                      .setLong(0, writeTime)
                      .setString(1, aggregate.type())
                      .setString(2, aggregate.id())
                      .setInstant(3, time)
                      .setString(4, stream)
                      .setIdempotence(true))
              .build());
    }
    storedTypes.record(current); // as an append does: before the rows of a new type are sent
    return replacement;
  }

  private BoundStatement insert(
      PreparedStatement insert, Event event, UUID storedProcessingId, long writeTime) {
    EventSchema schema = rows.schemaFor(event);
    UUID processingId = event.processingId().orElse(storedProcessingId);
    return writes
        .applyTo(
            insert
                .boundStatementBuilder()
                .setString(0, event.aggregateId().type())
                .setString(1, event.aggregateId().id())
                .setInstant(2, event.eventTime())
                .setString(3, event.timestamp().streamId())
                .setUuid(4, processingId)
                .setString(5, event.type().name())
                .setString(6, event.type().version())
                .set(7, rows.parameters(schema, event), RowCodec.PARAMETERS)
                .setInt(8, CharacteristicBits.toMask(event.characteristics()))
                .setLong(9, writeTime)
                .setIdempotence(true))
        .build();
  }

  private void saveRange(
      PreparedStatement save, String name, TokenMap tokens, TokenRange range, long[] counts) {
    try {
      session.execute(
          writes
              .applyTo(
                  save.boundStatementBuilder(
                          name,
                          tokens.format(range.getStart()),
                          tokens.format(range.getEnd()),
                          counts[0],
                          counts[1])
                      .setIdempotence(true))
              .build());
    } catch (RuntimeException e) {
      throw Failures.classify(e, "saving the progress of migration '" + name + "'");
    }
  }

  private Set<String> doneRanges(String name) {
    PreparedStatement select = Cql.prepare(session, cql.selectMigrationRanges());
    Set<String> done = new HashSet<>();
    try {
      for (Row row : session.execute(reads.applyTo(select.boundStatementBuilder(name)).build())) {
        done.add(row.getString(0) + ".." + row.getString(1));
      }
    } catch (RuntimeException e) {
      throw Failures.classify(e, "reading the progress of migration '" + name + "'");
    }
    return done;
  }

  /** Forgets a finished migration's progress, so that running it again sweeps again. */
  private void clear(String name) {
    PreparedStatement delete = Cql.prepare(session, cql.deleteMigration());
    try {
      session.execute(
          writes.applyTo(delete.boundStatementBuilder(name).setIdempotence(true)).build());
    } catch (RuntimeException e) {
      throw Failures.classify(e, "clearing the progress of migration '" + name + "'");
    }
  }

  private static String key(TokenMap tokens, TokenRange range) {
    return tokens.format(range.getStart()) + ".." + tokens.format(range.getEnd());
  }

  private TokenMap tokenMap() {
    return session
        .getMetadata()
        .getTokenMap()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "the driver has no token metadata; is token metadata disabled?"));
  }

  /** The ring's ranges, each cut evenly so that there are about {@code segments}, none wrapping. */
  private List<TokenRange> ranges(int segments) {
    TokenMap tokenMap = tokenMap();
    Set<TokenRange> ring = tokenMap.getTokenRanges();
    int perRange = Math.max(1, (segments + ring.size() - 1) / Math.max(1, ring.size()));
    List<TokenRange> ranges = new ArrayList<>();
    for (TokenRange range : ring) {
      for (TokenRange split : range.splitEvenly(perRange)) {
        ranges.addAll(split.unwrap());
      }
    }
    return ranges;
  }

  private static void awaitQuietly(ExecutorService pool) {
    try {
      if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "cursus-migration-" + n.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** At most a given number of events a second, over every thread of a run. */
  private static final class Throttle {
    private final long nanosPerEvent;
    private long next;

    Throttle(long maxEventsPerSecond) {
      this.nanosPerEvent = maxEventsPerSecond <= 0 ? 0 : 1_000_000_000L / maxEventsPerSecond;
    }

    void acquire() throws InterruptedException {
      if (nanosPerEvent == 0) {
        return;
      }
      long wait;
      synchronized (this) {
        long now = System.nanoTime();
        if (next < now) {
          next = now;
        }
        wait = next - now;
        next += nanosPerEvent;
      }
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
    }
  }
}
