package io.cursus.cassandra;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.metadata.TokenMap;
import com.datastax.oss.driver.api.core.metadata.token.TokenRange;
import io.cursus.api.AggregateId;
import io.cursus.api.CursusException;
import io.cursus.api.Event;
import io.cursus.api.internal.CharacteristicBits;
import io.cursus.api.mapping.EventSchema;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.store.AggregateCatalogue;
import io.cursus.api.store.EventLog;
import io.cursus.api.store.EventSource;
import io.cursus.api.store.EventStore;
import io.cursus.api.store.HistoryOrder;
import io.cursus.api.store.HistoryQuery;
import io.cursus.api.store.TimeRange;
import io.cursus.cassandra.internal.BoundedRequests;
import io.cursus.cassandra.internal.Failures;
import io.cursus.cassandra.internal.PartitionBatches;
import io.cursus.cassandra.internal.RecentAggregates;
import io.cursus.cassandra.internal.RowCodec;
import io.cursus.cassandra.internal.SameTimeReversed;
import io.cursus.cassandra.internal.WriteTimestamps;
import io.cursus.json.ParameterCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The event store on Apache Cassandra: an {@link EventLog}, an {@link EventSource} and an {@link
 * AggregateCatalogue}, plus a parallel replay of every event of a type.
 *
 * <pre>{@code
 * CassandraSchema.of(CassandraTables.inKeyspace("cursus")).create(session);
 * CassandraEventStore store =
 *     CassandraEventStore.builder(session, EventTypeRegistry.of(ParcelEvents.class))
 *         .tables(CassandraTables.inKeyspace("cursus"))
 *         .build();
 * }</pre>
 *
 * <p>Writes are prepared, asynchronous and bounded: at most {@code maxInFlight} requests are in
 * flight for the whole store, and a caller beyond that waits (there is no unbounded queue). A batch
 * is written as one unlogged single-partition batch per aggregate (and per catalogue partition),
 * never as a logged batch across partitions. Each event row's write timestamp is derived from its
 * processing id so that, of two copies of an event, the first captured wins whatever order they are
 * written in; an event that has no processing id is stamped with one first. A failed write throws a
 * {@link CursusException} that says whether a retry can help; since writes are idempotent,
 * appending the same batch again is always safe.
 *
 * <p>Reads page through long histories ({@code pageSize} rows at a time), so a stream over a
 * history of any length holds one page in memory. The session is the caller's: the store never
 * closes it. Thread-safe.
 */
public final class CassandraEventStore implements EventStore {

  private final CqlSession session;
  private final CassandraTables tables;
  private final RowCodec rows;
  private final ConsistencyLevel readConsistency;
  private final ConsistencyLevel writeConsistency;
  private final int pageSize;
  private final int buckets;
  private final int preloadConcurrency;
  private final RecentAggregates catalogued;
  private final BoundedRequests writer;
  private final PreparedStatement insertEvent;
  private final PreparedStatement insertCatalogue;
  private final PreparedStatement selectCatalogue;
  private final Map<String, PreparedStatement> historyStatements = new ConcurrentHashMap<>();
  private final Duration timeout;

  private CassandraEventStore(Builder builder) {
    this.session = builder.session;
    this.tables = builder.tables;
    this.rows = new RowCodec(builder.registry, builder.codec);
    this.readConsistency = builder.readConsistency;
    this.writeConsistency = builder.writeConsistency;
    this.pageSize = builder.pageSize;
    this.buckets = builder.catalogueBuckets;
    this.preloadConcurrency = builder.preloadConcurrency;
    this.catalogued = new RecentAggregates(builder.catalogueCache);
    this.writer = new BoundedRequests(builder.session, builder.maxInFlight);
    this.timeout = builder.timeout;
    this.insertEvent =
        prepare(
            "INSERT INTO "
                + tables.qualified(tables.events())
                + " (aggregate_type, aggregate_id, event_timestamp, stream_id, processing_id, name,"
                + " version, parameters, characteristics) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " USING TIMESTAMP ?");
    this.insertCatalogue =
        prepare(
            "INSERT INTO "
                + tables.qualified(tables.catalogue())
                + " (aggregate_type, bucket, aggregate_id) VALUES (?, ?, ?)");
    this.selectCatalogue =
        prepare(
            "SELECT aggregate_id FROM "
                + tables.qualified(tables.catalogue())
                + " WHERE aggregate_type = ? AND bucket = ?");
  }

  /** A builder for a store on {@code session} that reads events with {@code registry}'s schemas. */
  public static Builder builder(CqlSession session, EventTypeRegistry registry) {
    return new Builder(session, registry);
  }

  @Override
  public void append(List<Event> events) {
    requireNonNull(events, "events must not be null");
    PartitionBatches writes = new PartitionBatches();
    Set<AggregateId> aggregates = new LinkedHashSet<>();
    for (int i = 0; i < events.size(); i++) {
      Event event = events.get(i);
      if (event == null) {
        throw new IllegalArgumentException(
            "event " + i + " of a batch of " + events.size() + " is null; nothing was written");
      }
      writes.add(event.aggregateId(), insert(event.captured()));
      aggregates.add(event.aggregateId());
    }
    List<AggregateId> newlyCatalogued = new ArrayList<>();
    for (AggregateId aggregate : aggregates) {
      if (catalogued.contains(aggregate)) {
        continue; // its row was written (and acknowledged) by an earlier append of this store
      }
      int bucket = bucketOf(aggregate);
      writes.add(
          List.of(aggregate.type(), bucket),
          insertCatalogue
              .boundStatementBuilder()
              .setString(0, aggregate.type())
              .setInt(1, bucket)
              .setString(2, aggregate.id())
              .setConsistencyLevel(writeConsistency)
              .setTimeout(timeout)
              .setIdempotence(true)
              .build());
      newlyCatalogued.add(aggregate);
    }
    writer.runAll(
        writes.requests(writeConsistency, timeout), "appending " + events.size() + " events");
    newlyCatalogued.forEach(catalogued::add); // only once every write of the batch succeeded
  }

  private BoundStatement insert(Event event) {
    EventSchema schema = rows.schemaFor(event);
    UUID processingId = event.processingId().orElseThrow();
    // typed setters: binding by value would make the driver inspect the map's entries per row
    return insertEvent
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
        .setLong(9, WriteTimestamps.firstCaptureWins(processingId))
        .setConsistencyLevel(writeConsistency)
        .setTimeout(timeout)
        .setIdempotence(true)
        .build();
  }

  @Override
  public Stream<Event> read(AggregateId aggregate, HistoryQuery query) {
    requireNonNull(aggregate, "aggregate id must not be null");
    requireNonNull(query, "query must not be null");
    ResultSet result;
    try {
      result = session.execute(historyStatement(aggregate, query).setPageSize(pageSize));
    } catch (RuntimeException e) {
      throw Failures.classify(e, "reading the history of " + aggregate);
    }
    Iterator<Row> rowIterator = result.iterator();
    Iterator<Event> events =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            try {
              return rowIterator.hasNext();
            } catch (RuntimeException e) {
              throw Failures.classify(e, "paging through the history of " + aggregate);
            }
          }

          @Override
          public Event next() {
            return rows.read(aggregate, rowIterator.next(), 0);
          }
        };
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(
                new SameTimeReversed(events), Spliterator.ORDERED | Spliterator.NONNULL),
            false)
        .filter(query::matches);
  }

  @Override
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
              allRows(
                      session.executeAsync(
                          historyStatement(aggregate, query).setPageSize(pageSize)),
                      new ArrayList<>())
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
        decoded.add(rows.read(entry.getKey(), row, 0));
      }
      List<Event> history = new ArrayList<>(decoded.size());
      new SameTimeReversed(decoded.iterator())
          .forEachRemaining(
              e -> {
                if (query.matches(e)) {
                  history.add(e);
                }
              });
      histories.put(entry.getKey(), List.copyOf(history));
    }
    return histories;
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

  private BoundStatement historyStatement(AggregateId aggregate, HistoryQuery query) {
    TimeRange range = query.range();
    String lower = range.lower().map(b -> b.inclusive() ? ">=" : ">").orElse("");
    String upper = range.upper().map(b -> b.inclusive() ? "<=" : "<").orElse("");
    String order = query.order() == HistoryOrder.ASCENDING ? "ASC" : "DESC";
    PreparedStatement statement =
        historyStatements.computeIfAbsent(
            lower + "|" + upper + "|" + order,
            key ->
                prepare(
                    "SELECT "
                        + RowCodec.COLUMNS
                        + " FROM "
                        + tables.qualified(tables.events())
                        + " WHERE aggregate_type = ? AND aggregate_id = ?"
                        + (lower.isEmpty() ? "" : " AND event_timestamp " + lower + " ?")
                        + (upper.isEmpty() ? "" : " AND event_timestamp " + upper + " ?")
                        + " ORDER BY event_timestamp "
                        + order));
    List<Object> values = new ArrayList<>(4);
    values.add(aggregate.type());
    values.add(aggregate.id());
    range.lower().ifPresent(b -> values.add(b.instant()));
    range.upper().ifPresent(b -> values.add(b.instant()));
    return statement
        .bind(values.toArray())
        .setConsistencyLevel(readConsistency)
        .setTimeout(timeout);
  }

  @Override
  public Stream<AggregateId> aggregates(String aggregateType) {
    requireNonNull(aggregateType, "aggregate type must not be null");
    return IntStream.range(0, buckets)
        .boxed()
        .flatMap(
            bucket -> {
              ResultSet result;
              try {
                result =
                    session.execute(
                        selectCatalogue
                            .bind(aggregateType, bucket)
                            .setPageSize(pageSize)
                            .setConsistencyLevel(readConsistency)
                            .setTimeout(timeout));
              } catch (RuntimeException e) {
                throw Failures.classify(e, "listing aggregates of type " + aggregateType);
              }
              return StreamSupport.stream(result.spliterator(), false)
                  .map(row -> AggregateId.of(aggregateType, row.getString(0)));
            });
  }

  /**
   * Reads every event of {@code aggregateType}, scanning the token ranges of the event table in
   * parallel, and passes each aggregate's events to {@code handler} together, in event-time order.
   *
   * <p>{@code handler} is called from {@code parallelism} threads at once and must be thread-safe;
   * {@code progress} is called after each token range. The scan reads the whole event table (events
   * of other types are passed over), so keep types with heavy replay needs in a table of their own.
   * A history is held in memory while it is delivered.
   *
   * @return the final progress: ranges, aggregates and events read
   * @throws CursusException if a range cannot be read; the message names the range
   */
  public ReplayProgress replayAll(
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
    PreparedStatement scan =
        prepare(
            "SELECT aggregate_type, aggregate_id, "
                + RowCodec.COLUMNS
                + " FROM "
                + tables.qualified(tables.events())
                + " WHERE token(aggregate_type, aggregate_id) > ?"
                + " AND token(aggregate_type, aggregate_id) <= ?");
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
        } catch (java.util.concurrent.ExecutionException e) {
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
              scan.bind(range.getStart(), range.getEnd())
                  .setPageSize(pageSize)
                  .setConsistencyLevel(readConsistency)
                  .setTimeout(timeout));
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
      history.add(rows.read(aggregate, row, 2));
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

  private int bucketOf(AggregateId aggregate) {
    return Math.floorMod(aggregate.id().hashCode(), buckets);
  }

  private PreparedStatement prepare(String cql) {
    try {
      return session.prepare(cql);
    } catch (RuntimeException e) {
      throw Failures.classify(e, "preparing " + cql + " (has the schema been created?)");
    }
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "cursus-replay-" + n.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Options of a {@link CassandraEventStore}. Not thread-safe. */
  public static final class Builder {
    private final CqlSession session;
    private final EventTypeRegistry registry;
    private CassandraTables tables = CassandraTables.inKeyspace("cursus");
    private ParameterCodec codec = ParameterCodec.create();
    private ConsistencyLevel readConsistency = DefaultConsistencyLevel.LOCAL_QUORUM;
    private ConsistencyLevel writeConsistency = DefaultConsistencyLevel.LOCAL_QUORUM;
    private int maxInFlight = 256;
    private int pageSize = 1000;
    private int catalogueBuckets = 256;
    private int preloadConcurrency = 64;
    private int catalogueCache = 16_384;
    private Duration timeout = Duration.ofSeconds(10);

    private Builder(CqlSession session, EventTypeRegistry registry) {
      this.session = requireNonNull(session, "session must not be null");
      this.registry = requireNonNull(registry, "registry must not be null");
    }

    /** Where the tables are. Default: the default names in keyspace {@code cursus}. */
    public Builder tables(CassandraTables tables) {
      this.tables = requireNonNull(tables, "tables must not be null");
      return this;
    }

    /** How parameters are written as JSON. Default {@link ParameterCodec#create()}. */
    public Builder codec(ParameterCodec codec) {
      this.codec = requireNonNull(codec, "codec must not be null");
      return this;
    }

    /** Consistency of reads. Default {@code LOCAL_QUORUM}. */
    public Builder readConsistency(ConsistencyLevel level) {
      this.readConsistency = requireNonNull(level, "read consistency must not be null");
      return this;
    }

    /** Consistency of writes. Default {@code LOCAL_QUORUM}. */
    public Builder writeConsistency(ConsistencyLevel level) {
      this.writeConsistency = requireNonNull(level, "write consistency must not be null");
      return this;
    }

    /** Most write requests in flight at once, for the whole store. Default 256. */
    public Builder maxInFlight(int requests) {
      this.maxInFlight = positive(requests, "max in flight");
      return this;
    }

    /** Rows fetched per page when reading. Default 1000. */
    public Builder pageSize(int rows) {
      this.pageSize = positive(rows, "page size");
      return this;
    }

    /**
     * Partitions the catalogue of each aggregate type is spread over. Default 256. Every store on
     * the same tables must use the same number.
     */
    public Builder catalogueBuckets(int buckets) {
      this.catalogueBuckets = positive(buckets, "catalogue buckets");
      return this;
    }

    /**
     * Aggregates the store remembers having written the catalogue row of, so that their later
     * appends skip it: an aggregate that gets events in many appends then costs one catalogue
     * write, not one per append. Remembered only once the append succeeded; an aggregate forgotten
     * (the store keeps a fixed table of this many slots, rounded up to a power of two) gets its row
     * written again, which is harmless. Default 16,384 (about 128 KiB of slots plus the ids they
     * hold); 0 writes the row with every append. A store remembers only its own writes: if the
     * catalogue table is truncated while it runs, give it 0 or build a new one.
     */
    public Builder catalogueCache(int aggregates) {
      if (aggregates < 0 || aggregates > 1 << 30) {
        throw new IllegalArgumentException(
            "catalogue cache must be between 0 and "
                + (1 << 30)
                + " aggregates, was "
                + aggregates);
      }
      this.catalogueCache = aggregates;
      return this;
    }

    /** Histories read at once by {@code preload}. Default 64. */
    public Builder preloadConcurrency(int requests) {
      this.preloadConcurrency = positive(requests, "preload concurrency");
      return this;
    }

    /** Timeout of each request. Default 10 s. */
    public Builder timeout(Duration timeout) {
      this.timeout = requireNonNull(timeout, "timeout must not be null");
      return this;
    }

    /**
     * The store. Prepares its statements, so the schema must exist.
     *
     * @throws CursusException if Cassandra cannot prepare them
     */
    public CassandraEventStore build() {
      return new CassandraEventStore(this);
    }

    private static int positive(int value, String what) {
      if (value < 1) {
        throw new IllegalArgumentException(what + " must be at least 1, was " + value);
      }
      return value;
    }
  }
}
