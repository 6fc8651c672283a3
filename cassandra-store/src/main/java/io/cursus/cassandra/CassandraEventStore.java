package io.cursus.cassandra;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Statement;
import io.cursus.api.AggregateId;
import io.cursus.api.CursusException;
import io.cursus.api.Event;
import io.cursus.api.EventType;
import io.cursus.api.internal.CharacteristicBits;
import io.cursus.api.mapping.EventSchema;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.store.AggregateCatalogue;
import io.cursus.api.store.AppendCondition;
import io.cursus.api.store.ConsistencyToken;
import io.cursus.api.store.DecisionLog;
import io.cursus.api.store.EventLog;
import io.cursus.api.store.EventSource;
import io.cursus.api.store.EventStore;
import io.cursus.api.store.HistoryQuery;
import io.cursus.api.store.TokenedHistory;
import io.cursus.cassandra.internal.BoundedRequests;
import io.cursus.cassandra.internal.ConditionalAppends;
import io.cursus.cassandra.internal.Cql;
import io.cursus.cassandra.internal.FactMarks;
import io.cursus.cassandra.internal.Failures;
import io.cursus.cassandra.internal.HistoryReads;
import io.cursus.cassandra.internal.PartitionBatches;
import io.cursus.cassandra.internal.RecentAggregates;
import io.cursus.cassandra.internal.RequestSettings;
import io.cursus.cassandra.internal.RowCodec;
import io.cursus.cassandra.internal.StoredTypes;
import io.cursus.cassandra.internal.TokenRangeMigration;
import io.cursus.cassandra.internal.TokenRangeReplay;
import io.cursus.cassandra.internal.WriteTimestamps;
import io.cursus.json.ParameterCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

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
 * flight for the whole store, and a caller of {@link #append} beyond that waits on its thread
 * (nothing is queued; {@link #appendAsync} queues instead). A batch is written as one unlogged
 * single-partition batch per aggregate (and per catalogue partition), never as a logged batch
 * across partitions. Each event row's write timestamp is derived from its processing id so that, of
 * two copies of an event, the first captured wins whatever order they are written in; an event that
 * has no processing id is stamped with one first. A failed write throws a {@link CursusException}
 * that says whether a retry can help; since writes are idempotent, appending the same batch again
 * is always safe.
 *
 * <p>Reads page through long histories ({@code pageSize} rows at a time), so a stream over a
 * history of any length holds one page in memory.
 *
 * <p>{@link #appendAsync} and {@link #historyAsync} block no thread: they send their requests with
 * the driver's asynchronous calls, and a request beyond {@code maxInFlight} waits in the store's
 * queue, not on the caller's thread. Their stages complete on a driver thread, so do not block in
 * what you chain to them without an executor of your own ({@code thenApplyAsync(f, executor)}).
 *
 * <p>Requests run with the driver's execution profile named on the builder, if any; see {@link
 * Builder#executionProfile}. The session is the caller's: the store never closes it. Thread-safe.
 */
public final class CassandraEventStore implements EventStore, DecisionLog {

  static final ConsistencyLevel DEFAULT_CONSISTENCY = DefaultConsistencyLevel.LOCAL_QUORUM;
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private final CqlSession session;
  private final RowCodec rows;
  private final RequestSettings reads;
  private final RequestSettings writes;
  private final int pageSize;
  private final int buckets;
  private final RecentAggregates catalogued;
  private final BoundedRequests writer;
  private final PreparedStatement insertEvent;
  private final PreparedStatement insertCatalogue;
  private final PreparedStatement selectCatalogue;
  private final HistoryReads histories;
  private final TokenRangeReplay replay;
  private final StoredTypes storedTypes;
  private final TokenRangeMigration migrations;
  private final EventTypeRegistry registry;
  private final FactMarks factMarks;
  private final ConditionalAppends decisions;

  private CassandraEventStore(Builder builder) {
    this.session = builder.session;
    Cql cql = new Cql(builder.tables);
    this.rows = new RowCodec(builder.registry, builder.codec);
    this.reads = builder.settings(builder.readProfile, builder.readConsistency);
    this.writes =
        builder
            .settings(builder.writeProfile, builder.writeConsistency)
            .forBatches(builder.session.getContext().getConfig());
    this.pageSize = builder.pageSize;
    this.buckets = builder.catalogueBuckets;
    this.catalogued = new RecentAggregates(builder.catalogueCache);
    this.writer = new BoundedRequests(builder.session, builder.maxInFlight);
    this.insertEvent = Cql.prepare(session, cql.insertEvent());
    this.insertCatalogue = Cql.prepare(session, cql.insertCatalogue());
    this.selectCatalogue = Cql.prepare(session, cql.selectCatalogue());
    this.histories =
        new HistoryReads(
            session, cql, rows, reads, pageSize, builder.maxInFlight, builder.preloadConcurrency);
    this.replay = new TokenRangeReplay(session, cql.scanEvents(), rows, reads, pageSize);
    this.storedTypes = new StoredTypes(session, cql, reads, writes);
    this.migrations =
        new TokenRangeMigration(session, cql, rows, storedTypes, reads, writes, writer, pageSize);
    this.registry = builder.registry;
    this.factMarks = new FactMarks(session, cql, writes);
    this.decisions =
        new ConditionalAppends(
            session,
            cql,
            rows,
            this::append,
            new ConditionalAppends.Options(
                reads, writes, builder.serialConsistency, builder.readYourWritesWait, pageSize));
  }

  /**
   * A builder for a store on {@code session} that writes and reads events with {@code registry}'s
   * schemas.
   *
   * <p>Writing needs the registry too, even for events built by hand: a row keeps each parameter as
   * text in the form of its declared Java type (an {@code Instant}, a {@code UUID}, a record...),
   * and only the declaration says which type that is, both to write the text and to read it back.
   * An event whose type the registry does not declare is therefore refused at {@link #append}, with
   * an error naming the type, rather than stored as a row that no reader could decode. The registry
   * is built once from the event declarations ({@code EventTypeRegistry.of(ParcelEvents.class)})
   * and shared by the store, the index, the JSON envelopes and the buses.
   */
  public static Builder builder(CqlSession session, EventTypeRegistry registry) {
    return new Builder(session, registry);
  }

  @Override
  public void append(List<Event> events) {
    Append append = prepareAppend(events);
    storedTypes.record(events); // before the events: a stored type is always recorded
    writer.runAll(append.requests(), append.doing());
    remember(append);
  }

  /**
   * Writes {@code events} as {@link #append} does, without blocking: the writes are sent with the
   * driver's asynchronous calls, at most {@code maxInFlight} at once for the whole store (blocking
   * and asynchronous appends together), the rest queued in the store. The stage completes when
   * every write is acknowledged, or exceptionally with the exception {@link #append} would have
   * thrown: an {@link IllegalArgumentException} for a null or undeclared event (nothing is sent), a
   * {@link CursusException} saying whether a retry can help when Cassandra fails.
   *
   * <p>The first append of an event type through a store object first records the type (see {@link
   * #storedTypes()}), with the asynchronous calls too, and fails as {@link #append} does if that
   * write fails.
   *
   * <p>The store queues what callers send without bound: a caller that does not wait for its stages
   * should limit how many it has pending.
   */
  @Override
  public CompletionStage<Void> appendAsync(List<Event> events) {
    Append append;
    try {
      append = prepareAppend(events);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<Void> appended = new CompletableFuture<>();
    var unused =
        storedTypes
            .recordAsync(events) // before the events, as append does
            .thenCompose(recorded -> writer.runAllAsync(append.requests(), append.doing()))
            .whenComplete(
                (done, failure) -> {
                  if (failure != null) {
                    appended.completeExceptionally(Failures.unwrap(failure));
                  } else {
                    remember(append);
                    appended.complete(null);
                  }
                });
    return appended;
  }

  /**
   * The requests of one append: the event rows and the catalogue rows the store does not remember
   * having written, grouped by partition.
   *
   * @param newlyCatalogued the aggregates whose catalogue row is in {@code requests}
   * @param doing what the append does, for the message of a failure
   */
  private record Append(
      List<Statement<?>> requests, List<AggregateId> newlyCatalogued, String doing) {}

  /**
   * The requests that write {@code events}; sends nothing.
   *
   * @throws IllegalArgumentException if an event is null or of a type the registry does not know
   */
  private Append prepareAppend(List<Event> events) {
    requireNonNull(events, "events must not be null");
    PartitionBatches batches = new PartitionBatches();
    Map<AggregateId, List<Event>> aggregates = new LinkedHashMap<>();
    for (int i = 0; i < events.size(); i++) {
      Event event = events.get(i);
      if (event == null) {
        throw new IllegalArgumentException(
            "event " + i + " of a batch of " + events.size() + " is null; nothing was written");
      }
      Event captured = event.captured();
      batches.add(event.aggregateId(), insert(captured));
      aggregates.computeIfAbsent(event.aggregateId(), a -> new ArrayList<>()).add(captured);
    }
    // the facts marks a conditional append reads (ADR 8), in each aggregate's own batch
    aggregates.forEach(
        (aggregate, written) ->
            factMarks.statements(aggregate, written).forEach(mark -> batches.add(aggregate, mark)));
    List<AggregateId> newlyCatalogued = new ArrayList<>();
    for (AggregateId aggregate : aggregates.keySet()) {
      if (catalogued.contains(aggregate)) {
        continue; // its row was written (and acknowledged) by an earlier append of this store
      }
      int bucket = bucketOf(aggregate);
      batches.add(
          List.of(aggregate.type(), bucket),
          writes
              .applyTo(
                  insertCatalogue
                      .boundStatementBuilder()
                      .setString(0, aggregate.type())
                      .setInt(1, bucket)
                      .setString(2, aggregate.id())
                      .setIdempotence(true))
              .build());
      newlyCatalogued.add(aggregate);
    }
    return new Append(
        batches.requests(writes), newlyCatalogued, "appending " + events.size() + " events");
  }

  /** Remembers the catalogue rows {@code append} wrote: only once every write of it succeeded. */
  private void remember(Append append) {
    append.newlyCatalogued().forEach(catalogued::add);
  }

  private BoundStatement insert(Event event) {
    EventSchema schema = rows.schemaFor(event);
    UUID processingId = event.processingId().orElseThrow();
    // typed setters, in the column order of Cql's event table: binding by value would make the
    // driver inspect the map's entries per row
    return writes
        .applyTo(
            insertEvent
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
                .setIdempotence(true))
        .build();
  }

  /**
   * The event types (aggregate type, name, version) ever appended to this store's tables, from a
   * small table written once per new type per store object: reads no event.
   */
  public Set<EventType> storedTypes() {
    return storedTypes.all();
  }

  /**
   * A migration of {@code aggregateType}'s stored events to the newest versions, in place, through
   * the registry's upcasters; configure it, then {@link CassandraMigration#run run} it. See {@link
   * CassandraMigration} for what it keeps and how it resumes.
   */
  public CassandraMigration migration(String aggregateType) {
    return new CassandraMigration(migrations, aggregateType);
  }

  /**
   * The start-up check: every type in {@link #storedTypes()} is declared by the registry or has a
   * path to a current declaration through its upcasters.
   *
   * @throws IllegalStateException listing every stored type without one
   */
  public void checkStoredTypes() {
    registry.checkReadable(storedTypes());
  }

  /**
   * {@inheritDoc}
   *
   * <p>One Paxos round on the aggregate's partition (at the {@linkplain Builder#serialConsistency
   * serial consistency}) checks the head kept in its static columns and writes the events with the
   * new head; the events are then written again as a plain append, for their first-capture write
   * timestamps, catalogue row and facts marks (ADR 8). A condition on event names whose events
   * exist from before the token takes one serial read and a second round. Facts count as changes
   * through the marks plain appends leave: a plain append after the token counts, unless every
   * event it stores was captured (got its processing id) before the newest event the token counts;
   * read the history "as known at" to see such late captures.
   *
   * @throws io.cursus.api.TransientCursusException if the outcome is unknown (the message says to
   *     append the same captured events again, which is recognised if the first was applied), or if
   *     other writers overtook it too many times
   */
  @Override
  public ConsistencyToken append(List<Event> events, AppendCondition condition) {
    return decisions.append(events, condition);
  }

  @Override
  public TokenedHistory historyWithToken(AggregateId aggregate, HistoryQuery query) {
    return decisions.historyWithToken(aggregate, query);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Reads at the read consistency and, while the history is behind the token, again at {@code
   * LOCAL_QUORUM} (if the read consistency is weaker), until {@linkplain Builder#readYourWritesWait
   * the wait} is over. At a weaker consistency a token from an append is reached only once that
   * append's newest event is among the events read; a replica's head may be ahead of its rows after
   * a missed write.
   */
  @Override
  public TokenedHistory historyWithToken(
      AggregateId aggregate, HistoryQuery query, ConsistencyToken atLeast) {
    return decisions.historyWithToken(aggregate, query, atLeast);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Reads {@code pageSize} rows at a time: the stream holds one page in memory. A failure while
   * paging is thrown from the stream's operations as a {@link CursusException}.
   */
  @Override
  public Stream<Event> read(AggregateId aggregate, HistoryQuery query) {
    return histories.read(aggregate, query);
  }

  /**
   * Reads the history as {@link #history(AggregateId, HistoryQuery)} does, without blocking: its
   * pages are fetched one after another with the driver's asynchronous calls and decoded as they
   * come, on driver threads. The whole history is held in memory, as {@code history} holds it; for
   * a history too long for that, stream it with {@link #read}. At most {@code maxInFlight}
   * histories are read at once this way (a count of its own, apart from the writes'); the others
   * wait in the store's queue.
   *
   * <p>The stage completes with the events {@code history} would return, or exceptionally with the
   * exception it would have thrown: a {@link CursusException} saying whether a retry can help when
   * Cassandra fails, an {@link io.cursus.api.store.UnreadableEventException} for a row that no
   * longer matches its declaration.
   */
  @Override
  public CompletionStage<List<Event>> historyAsync(AggregateId aggregate, HistoryQuery query) {
    return histories.historyAsync(aggregate, query);
  }

  /** Reads at most {@code preloadConcurrency} histories at once; waits for them all. */
  @Override
  public Map<AggregateId, List<Event>> preload(
      Collection<AggregateId> aggregates, HistoryQuery query) {
    return histories.preload(aggregates, query);
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
                        reads
                            .applyTo(
                                selectCatalogue
                                    .boundStatementBuilder(aggregateType, bucket)
                                    .setPageSize(pageSize))
                            .build());
              } catch (RuntimeException e) {
                throw Failures.classify(e, "listing aggregates of type " + aggregateType);
              }
              return StreamSupport.stream(result.spliterator(), false)
                  .map(row -> AggregateId.of(aggregateType, row.getString(0)));
            });
  }

  /**
   * The aggregates of {@code aggregateType}, loaded at once: the catalogue's buckets are read
   * concurrently (at most {@value #LIST_CONCURRENCY} at a time), where {@link #aggregates} reads
   * them one after another as its stream is consumed. A catch-up lists its aggregates this way.
   *
   * @throws CursusException if a bucket cannot be read; the message names the type
   */
  @Override
  public List<AggregateId> list(String aggregateType) {
    requireNonNull(aggregateType, "aggregate type must not be null");
    List<List<AggregateId>> found = new ArrayList<>(buckets);
    for (int i = 0; i < buckets; i++) {
      found.add(new ArrayList<>());
    }
    java.util.concurrent.atomic.AtomicInteger next =
        new java.util.concurrent.atomic.AtomicInteger();
    List<CompletableFuture<Void>> lanes = new ArrayList<>();
    for (int lane = 0; lane < Math.min(LIST_CONCURRENCY, buckets); lane++) {
      lanes.add(listBuckets(aggregateType, next, found).toCompletableFuture());
    }
    try {
      CompletableFuture.allOf(lanes.toArray(CompletableFuture[]::new)).join();
    } catch (java.util.concurrent.CompletionException e) {
      throw Failures.classify(e, "listing aggregates of type " + aggregateType);
    }
    List<AggregateId> all = new ArrayList<>();
    found.forEach(all::addAll);
    return all;
  }

  /** How many catalogue buckets {@link #list} reads at once. */
  private static final int LIST_CONCURRENCY = 32;

  /** Reads the buckets {@code next} hands out, one after another, until there are none left. */
  private CompletionStage<Void> listBuckets(
      String aggregateType,
      java.util.concurrent.atomic.AtomicInteger next,
      List<List<AggregateId>> found) {
    int bucket = next.getAndIncrement();
    if (bucket >= buckets) {
      return CompletableFuture.completedFuture(null);
    }
    List<AggregateId> into = found.get(bucket);
    return bucketPages(
            aggregateType,
            session.executeAsync(
                reads
                    .applyTo(
                        selectCatalogue
                            .boundStatementBuilder(aggregateType, bucket)
                            .setPageSize(pageSize))
                    .build()),
            into)
        .thenCompose(done -> listBuckets(aggregateType, next, found));
  }

  private static CompletionStage<Void> bucketPages(
      String aggregateType,
      CompletionStage<com.datastax.oss.driver.api.core.cql.AsyncResultSet> page,
      List<AggregateId> into) {
    return page.thenCompose(
        result -> {
          for (com.datastax.oss.driver.api.core.cql.Row row : result.currentPage()) {
            into.add(AggregateId.of(aggregateType, row.getString(0)));
          }
          return result.hasMorePages()
              ? bucketPages(aggregateType, result.fetchNextPage(), into)
              : CompletableFuture.completedFuture(null);
        });
  }

  /**
   * Reads every event of {@code aggregateType}, scanning the token ranges of the event table in
   * parallel, and passes each aggregate's events to {@code handler} together, in event-time order.
   *
   * <p>{@code handler} is called from {@code parallelism} threads at once and must be thread-safe;
   * {@code progress} is called after each token range. The scan reads the whole event table (events
   * of other types are passed over), so keep types with heavy replay needs in a table of their own.
   * A history is held in memory while it is delivered. The scans run with the store's read settings
   * (execution profile, consistency, timeout) and page size.
   *
   * @return the final progress: ranges, aggregates and events read
   * @throws CursusException if a range cannot be read; the message names the range
   */
  public ReplayProgress replayAll(
      String aggregateType,
      int parallelism,
      Consumer<? super List<Event>> handler,
      Consumer<? super ReplayProgress> progress) {
    return replay.run(aggregateType, parallelism, handler, progress);
  }

  private int bucketOf(AggregateId aggregate) {
    return Math.floorMod(aggregate.id().hashCode(), buckets);
  }

  /** Options of a {@link CassandraEventStore}. Not thread-safe. */
  public static final class Builder {
    private final CqlSession session;
    private final EventTypeRegistry registry;
    private CassandraTables tables = CassandraTables.inKeyspace("cursus");
    private ParameterCodec codec = ParameterCodec.create();
    private @Nullable String readProfile;
    private @Nullable String writeProfile;
    private @Nullable ConsistencyLevel readConsistency;
    private @Nullable ConsistencyLevel writeConsistency;
    private @Nullable Duration timeout;
    private int maxInFlight = 256;
    private int pageSize = 1000;
    private int catalogueBuckets = 256;
    private int preloadConcurrency = 64;
    private int catalogueCache = 16_384;
    private ConsistencyLevel serialConsistency = DefaultConsistencyLevel.LOCAL_SERIAL;
    private Duration readYourWritesWait = Duration.ofSeconds(5);

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

    /**
     * Runs every request of the store (reads and writes) with the driver execution profile {@code
     * name}, defined in the driver's configuration ({@code datastax-java-driver.profiles.<name>} in
     * {@code application.conf}, or {@code DriverConfigLoader.programmaticBuilder()}). Default: no
     * profile (the driver's default profile).
     *
     * <p>With a profile, the consistency levels and the timeout of the requests are the profile's,
     * except those set on this builder ({@link #readConsistency}, {@link #writeConsistency}, {@link
     * #timeout}), which win over the profile's. Without a profile, what is not set here is {@code
     * LOCAL_QUORUM} and 10 s, whatever the driver's default profile says. The page size ({@link
     * #pageSize}) and idempotence of requests are always the store's.
     */
    public Builder executionProfile(String name) {
      readExecutionProfile(name);
      return writeExecutionProfile(name);
    }

    /**
     * Runs the store's reads with execution profile {@code name}; see {@link #executionProfile}.
     */
    public Builder readExecutionProfile(String name) {
      this.readProfile = RequestSettings.profileName(name);
      return this;
    }

    /**
     * Runs the store's writes with execution profile {@code name}; see {@link #executionProfile}.
     */
    public Builder writeExecutionProfile(String name) {
      this.writeProfile = RequestSettings.profileName(name);
      return this;
    }

    /**
     * Consistency of reads. Default {@code LOCAL_QUORUM}, or the read execution profile's if one is
     * named; set here, it wins over the profile's.
     */
    public Builder readConsistency(ConsistencyLevel level) {
      this.readConsistency = requireNonNull(level, "read consistency must not be null");
      return this;
    }

    /**
     * Consistency of writes. Default {@code LOCAL_QUORUM}, or the write execution profile's if one
     * is named; set here, it wins over the profile's.
     */
    public Builder writeConsistency(ConsistencyLevel level) {
      this.writeConsistency = requireNonNull(level, "write consistency must not be null");
      return this;
    }

    /**
     * Consistency of the Paxos rounds of conditional appends, and of the serial reads that settle
     * them: {@code LOCAL_SERIAL} (default; decisions are linearisable within a data center, whose
     * writers must then be the only ones deciding for an aggregate) or {@code SERIAL} (across data
     * centers, at the price of a round trip between them).
     */
    public Builder serialConsistency(ConsistencyLevel level) {
      requireNonNull(level, "serial consistency must not be null");
      if (level != DefaultConsistencyLevel.SERIAL
          && level != DefaultConsistencyLevel.LOCAL_SERIAL) {
        throw new IllegalArgumentException(
            "serial consistency must be SERIAL or LOCAL_SERIAL, was " + level);
      }
      this.serialConsistency = level;
      return this;
    }

    /**
     * How long a read "at least a token" may try before it throws {@link
     * io.cursus.api.store.TokenNotReachedException}. Default 5 s.
     */
    public Builder readYourWritesWait(Duration wait) {
      requireNonNull(wait, "read-your-writes wait must not be null");
      if (wait.isNegative() || wait.isZero()) {
        throw new IllegalArgumentException("read-your-writes wait must be positive, was " + wait);
      }
      this.readYourWritesWait = wait;
      return this;
    }

    /**
     * Most write requests in flight at once, for the whole store ({@code append} and {@code
     * appendAsync} together); also the most histories {@code historyAsync} reads at once. Default
     * 256.
     */
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

    /**
     * Timeout of each request. Default 10 s, or the execution profile's if one is named; set here,
     * it wins over the profile's.
     */
    public Builder timeout(Duration timeout) {
      this.timeout = requireNonNull(timeout, "timeout must not be null");
      return this;
    }

    /**
     * The store. Prepares its statements, so the schema must exist.
     *
     * @throws IllegalArgumentException if a named execution profile is not defined in the session's
     *     driver configuration
     * @throws CursusException if Cassandra cannot prepare them
     */
    public CassandraEventStore build() {
      if (readProfile != null) {
        RequestSettings.requireDefined(session, readProfile);
      }
      if (writeProfile != null) {
        RequestSettings.requireDefined(session, writeProfile);
      }
      return new CassandraEventStore(this);
    }

    private RequestSettings settings(
        @Nullable String profile, @Nullable ConsistencyLevel consistency) {
      return RequestSettings.resolve(
          profile, consistency, DEFAULT_CONSISTENCY, timeout, DEFAULT_TIMEOUT);
    }

    private static int positive(int value, String what) {
      if (value < 1) {
        throw new IllegalArgumentException(what + " must be at least 1, was " + value);
      }
      return value;
    }
  }
}
