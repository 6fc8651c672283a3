package io.cursus.cassandra;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.ProcessingIds;
import io.cursus.api.mapping.EventSchema;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.mapping.ParameterSchema;
import io.cursus.api.store.EventIndex;
import io.cursus.api.store.EventIndexer;
import io.cursus.cassandra.internal.BoundedRequests;
import io.cursus.cassandra.internal.Cql;
import io.cursus.cassandra.internal.Failures;
import io.cursus.cassandra.internal.IndexCells;
import io.cursus.cassandra.internal.PartitionBatches;
import io.cursus.cassandra.internal.RequestSettings;
import io.cursus.cassandra.internal.WriteTimestamps;
import io.cursus.json.ParameterCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiPredicate;
import org.jspecify.annotations.Nullable;

/**
 * The latest-value index on Apache Cassandra: which aggregates of a type have a parameter whose
 * latest value equals a value.
 *
 * <p>Two tables, and no read before any write:
 *
 * <ul>
 *   <li>{@code index_latest} holds each aggregate's latest value of each parameter. Its cells are
 *       written with a write timestamp derived from the event's stream timestamp, so Cassandra's
 *       last-write-wins keeps the newest event's value whatever order events arrive in, and a
 *       repeat writes the same cell with the same timestamp. Where two writes share a timestamp
 *       (two copies of one event, or two streams in one millisecond), the cell's leading stream id
 *       and capture rank decide as the store does: the greater stream id, then the first capture.
 *   <li>{@code index_value} lists, per value, the aggregates that had it. A look-up reads the
 *       candidates and keeps only those whose latest value still is the value; a candidate that has
 *       moved on is a stale entry, and is deleted then, once, with a timestamp below the newer
 *       value's, so a later move back is not hidden. Tombstones therefore grow with the number of
 *       moves that are looked up, not with the number of events.
 * </ul>
 *
 * <p>Values of any length are indexed: a value too long to be part of a Cassandra key (over 65,535
 * bytes with the aggregate type and parameter name) is listed under its SHA-256 digest, and a
 * look-up still compares the whole value, so it finds exactly the aggregates whose latest value it
 * is.
 *
 * <p>Of two copies of one event (one identity) with different values, the first capture counts: the
 * earliest processing id; an event without one is captured when it is indexed, so then the first
 * indexed counts.
 *
 * <p>Parameters are indexed if the {@code indexing} predicate accepts (aggregate type, parameter
 * name); by default all are. Values are compared by their JSON form.
 *
 * <p>{@link #findAsync} blocks no thread: its reads go out with the driver's asynchronous calls,
 * and its stage completes on a driver thread. Requests run with the driver's execution profile
 * named on the builder, if any; see {@link Builder#executionProfile}. Thread-safe.
 */
public final class CassandraEventIndex implements EventIndex, EventIndexer {

  private final CqlSession session;
  private final EventTypeRegistry registry;
  private final ParameterCodec codec;
  private final BiPredicate<String, String> indexing;
  private final RequestSettings reads;
  private final RequestSettings writes;
  private final BoundedRequests writer;
  private final BoundedRequests checks;
  private final PreparedStatement writeLatest;
  private final PreparedStatement writeValue;
  private final PreparedStatement readCandidates;
  private final PreparedStatement readLatest;
  private final PreparedStatement deleteStale;

  private CassandraEventIndex(Builder builder) {
    this.session = builder.session;
    this.registry = builder.registry;
    this.codec = builder.codec;
    this.indexing = builder.indexing;
    this.reads = builder.settings(builder.readProfile, builder.readConsistency);
    this.writes =
        builder
            .settings(builder.writeProfile, builder.writeConsistency)
            .forBatches(builder.session.getContext().getConfig());
    this.writer = new BoundedRequests(builder.session, builder.maxInFlight);
    this.checks = new BoundedRequests(builder.session, builder.maxInFlight);
    Cql cql = new Cql(builder.tables);
    this.writeLatest = Cql.prepare(session, cql.writeLatest());
    this.writeValue = Cql.prepare(session, cql.writeValue());
    this.readCandidates = Cql.prepare(session, cql.readCandidates());
    this.readLatest = Cql.prepare(session, cql.readLatest());
    this.deleteStale = Cql.prepare(session, cql.deleteStale());
  }

  /**
   * A builder for an index on {@code session} that writes and reads events with {@code registry}'s
   * schemas: indexed values are keyed by their text in the form of the declared parameter type, so
   * the index needs the declarations for writing too (see {@link CassandraEventStore#builder}).
   */
  public static Builder builder(CqlSession session, EventTypeRegistry registry) {
    return new Builder(session, registry);
  }

  /**
   * Writes the index entries of {@code events}. Of the writes one call would make to the same cell
   * (an aggregate's latest value of a parameter, or one entry of a value's list), only the one
   * Cassandra would keep is sent (a batch of one parcel's ten moves writes its latest location
   * once, not ten times).
   */
  @Override
  public void index(Collection<Event> events) {
    requireNonNull(events, "events must not be null");
    Map<LatestCell, Write> latest = new LinkedHashMap<>();
    Map<ValueEntry, Long> entries = new LinkedHashMap<>();
    for (Event event : events) {
      requireNonNull(event, "an event of the batch is null; nothing was indexed");
      EventSchema schema = registry.require(event.type());
      long writeTime = WriteTimestamps.latestEventWins(event.timestamp());
      // an event not captured yet is captured now, so of two such copies the first indexed wins
      String cellPrefix =
          IndexCells.latestPrefix(
              event.timestamp().streamId(),
              WriteTimestamps.firstCaptureWins(
                  event.processingId().orElseGet(ProcessingIds::next)));
      String type = event.aggregateId().type();
      for (ParameterSchema parameter : schema.parameters()) {
        if (!indexing.test(type, parameter.name())) {
          continue;
        }
        Object value = event.parameters().get(parameter.name());
        String json = value == null ? null : codec.write(parameter.type(), value);
        String cell = IndexCells.latestCell(cellPrefix, json);
        latest.merge(
            new LatestCell(event.aggregateId(), parameter.name()),
            new Write(writeTime, cell),
            CassandraEventIndex::kept);
        if (json != null) {
          entries.merge(
              new ValueEntry(
                  type,
                  parameter.name(),
                  IndexCells.valueKey(type, parameter.name(), json),
                  event.aggregateId().id()),
              writeTime,
              Math::max);
        }
      }
    }
    // typed setters, in the order of Cql's statements: binding by value would make the driver look
    // up a codec for every value
    PartitionBatches batches = new PartitionBatches();
    latest.forEach(
        (cell, write) ->
            batches.add(
                cell.aggregate(),
                writes
                    .applyTo(
                        writeLatest
                            .boundStatementBuilder()
                            .setLong(0, write.time())
                            .setString(1, write.cell())
                            .setString(2, cell.aggregate().type())
                            .setString(3, cell.aggregate().id())
                            .setString(4, cell.parameter())
                            .setIdempotence(true))
                    .build()));
    entries.forEach(
        (entry, time) ->
            batches.add(
                List.of(entry.type(), entry.parameter(), entry.key()),
                writes
                    .applyTo(
                        writeValue
                            .boundStatementBuilder()
                            .setString(0, entry.type())
                            .setString(1, entry.parameter())
                            .setString(2, entry.key())
                            .setString(3, entry.aggregateId())
                            .setLong(4, time)
                            .setIdempotence(true))
                    .build()));
    writer.runAll(batches.requests(writes), "indexing " + events.size() + " events");
  }

  /** An aggregate's latest-value cell of one parameter. */
  private record LatestCell(AggregateId aggregate, String parameter) {}

  /** One entry of a value's list of aggregates, under the value's key. */
  private record ValueEntry(String type, String parameter, String key, String aggregateId) {}

  /** A write of {@code cell} ({@link IndexCells#latest}) at write timestamp {@code time}. */
  private record Write(long time, String cell) {}

  /**
   * Of two writes to one cell, the one Cassandra keeps: the newer write timestamp, then the greater
   * value.
   */
  private static Write kept(Write a, Write b) {
    if (a.time() != b.time()) {
      return a.time() > b.time() ? a : b;
    }
    return IndexCells.compare(a.cell(), b.cell()) >= 0 ? a : b;
  }

  @Override
  public Set<AggregateId> find(String aggregateType, String parameter, Object value) {
    Lookup lookup = lookup(aggregateType, parameter, value);
    List<String> candidates = new ArrayList<>();
    try {
      ResultSet result = session.execute(lookup.candidates());
      for (Row row : result) {
        candidates.add(row.getString(0));
      }
    } catch (RuntimeException e) {
      throw Failures.classify(e, lookup.finding());
    }
    // At most maxInFlight checks at once: a popular value may have many candidates.
    List<CompletableFuture<AsyncResultSet>> pending = new ArrayList<>(candidates.size());
    try {
      for (String id : candidates) {
        pending.add(checks.execute(lookup.check(id)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Failures.transientFailure(
          "interrupted while finding " + aggregateType + " by " + parameter, e);
    }
    Set<AggregateId> found = new HashSet<>();
    List<CompletableFuture<AsyncResultSet>> deletes = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      Row latest;
      try {
        latest = pending.get(i).join().one();
      } catch (RuntimeException e) {
        throw Failures.classify(e, lookup.checking(candidates.get(i)));
      }
      lookup.judge(candidates.get(i), latest, found, deletes);
    }
    for (CompletableFuture<AsyncResultSet> delete : deletes) {
      try {
        delete.join();
      } catch (RuntimeException e) {
        // The answer is right without the clean-up; a later look-up tries again.
      }
    }
    return Set.copyOf(found);
  }

  /**
   * Looks up as {@link #find} does, without blocking: the candidates, then their latest values (at
   * most {@code maxInFlight} at once, the rest queued in the index, blocking and asynchronous
   * look-ups together), then the removal of stale entries, each sent with the driver's asynchronous
   * calls. The stage completes with what {@code find} would return once the removals are done (as
   * {@code find} returns), or exceptionally with the exception {@code find} would have thrown: a
   * {@link io.cursus.api.CursusException} saying whether a retry can help when Cassandra fails, an
   * {@link IllegalArgumentException} or {@link NullPointerException} for a bad argument.
   */
  @Override
  public CompletionStage<Set<AggregateId>> findAsync(
      String aggregateType, String parameter, Object value) {
    Lookup lookup;
    CompletionStage<AsyncResultSet> candidates;
    try {
      lookup = lookup(aggregateType, parameter, value);
      candidates = session.executeAsync(lookup.candidates());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<Set<AggregateId>> answer = new CompletableFuture<>();
    List<String> ids = new ArrayList<>();
    readCandidates(candidates, lookup, ids, answer);
    return answer;
  }

  /** Collects the candidates of {@code page} and the pages after it, then checks them all. */
  private void readCandidates(
      CompletionStage<AsyncResultSet> page,
      Lookup lookup,
      List<String> ids,
      CompletableFuture<Set<AggregateId>> answer) {
    var unused =
        page.whenComplete(
            (result, failure) -> {
              if (failure != null) {
                answer.completeExceptionally(Failures.classify(failure, lookup.finding()));
                return;
              }
              for (Row row : result.currentPage()) {
                ids.add(row.getString(0));
              }
              if (result.hasMorePages()) {
                readCandidates(result.fetchNextPage(), lookup, ids, answer);
              } else {
                checkCandidates(lookup, ids, answer);
              }
            });
  }

  /** Reads the latest value of each candidate and completes {@code answer} as {@code find} does. */
  private void checkCandidates(
      Lookup lookup, List<String> ids, CompletableFuture<Set<AggregateId>> answer) {
    List<CompletableFuture<AsyncResultSet>> pending = new ArrayList<>(ids.size());
    for (String id : ids) {
      pending.add(checks.executeAsync(lookup.check(id)));
    }
    var unused =
        CompletableFuture.allOf(pending.toArray(CompletableFuture<?>[]::new))
            .whenComplete(
                (all, anyFailure) -> {
                  Set<AggregateId> found = new HashSet<>();
                  List<CompletableFuture<AsyncResultSet>> deletes = new ArrayList<>();
                  try {
                    for (int i = 0; i < ids.size(); i++) {
                      Row latest;
                      try {
                        latest = pending.get(i).join().one();
                      } catch (RuntimeException e) {
                        throw Failures.classify(e, lookup.checking(ids.get(i)));
                      }
                      lookup.judge(ids.get(i), latest, found, deletes);
                    }
                  } catch (RuntimeException e) {
                    answer.completeExceptionally(e);
                    return;
                  }
                  // The answer is right without the clean-up; a later look-up tries again.
                  var ignored =
                      CompletableFuture.allOf(deletes.toArray(CompletableFuture<?>[]::new))
                          .whenComplete(
                              (deleted, deleteFailure) -> answer.complete(Set.copyOf(found)));
                });
  }

  /**
   * One look-up: of aggregates of {@code type} whose latest {@code parameter} has the JSON form
   * {@code json}, listed under {@code key}.
   */
  private final class Lookup {
    private final String type;
    private final String parameter;
    private final String json;
    private final String key;

    Lookup(String type, String parameter, String json) {
      this.type = type;
      this.parameter = parameter;
      this.json = json;
      this.key = IndexCells.valueKey(type, parameter, json);
    }

    BoundStatement candidates() {
      return reads.applyTo(readCandidates.boundStatementBuilder(type, parameter, key)).build();
    }

    BoundStatement check(String id) {
      return reads.applyTo(readLatest.boundStatementBuilder(type, id, parameter)).build();
    }

    String finding() {
      return "finding " + type + " by " + parameter + " = " + shortened(json);
    }

    String checking(String id) {
      return "checking the latest " + parameter + " of " + id;
    }

    /**
     * Judges candidate {@code id} by its {@code latest} row: adds it to {@code found} if its latest
     * value is the value; if it has moved on to a value under another key, its entry is stale and
     * its removal is sent (added to {@code deletes}).
     */
    void judge(
        String id,
        @Nullable Row latest,
        Set<AggregateId> found,
        List<CompletableFuture<AsyncResultSet>> deletes) {
      if (latest == null || latest.isNull(0)) {
        return; // no latest value (yet): nothing to answer, nothing known to be stale
      }
      String latestJson = IndexCells.jsonOf(latest.getString(0));
      if (json.equals(latestJson)) {
        found.add(AggregateId.of(type, id));
      } else if (latestJson == null
          || !key.equals(IndexCells.valueKey(type, parameter, latestJson))) {
        // Stale: the aggregate has a newer value (one with the same digest key is not stale, and
        // stays). Remove the entry below that value's timestamp.
        deletes.add(
            session
                .executeAsync(
                    writes
                        .applyTo(
                            deleteStale
                                .boundStatementBuilder(
                                    latest.getLong(1) - 1, type, parameter, key, id)
                                .setIdempotence(true))
                        .build())
                .toCompletableFuture());
      }
    }
  }

  private Lookup lookup(String aggregateType, String parameter, Object value) {
    requireNonNull(aggregateType, "aggregate type must not be null");
    requireNonNull(parameter, "parameter must not be null");
    requireNonNull(value, "value must not be null");
    if (!indexing.test(aggregateType, parameter)) {
      // nothing is written for it, so a lookup would answer nothing, silently
      throw new IllegalArgumentException(
          "parameter '"
              + parameter
              + "' of aggregate type '"
              + aggregateType
              + "' is not indexed by this index (see its builder's indexing(...)); add it there"
              + " and index the stored events again (CassandraEventIndex.index) to find by it");
    }
    return new Lookup(aggregateType, parameter, codec.write(value.getClass(), value));
  }

  /** {@code json}, cut short if long, for a message. */
  private static String shortened(String json) {
    return json.length() <= 200
        ? json
        : json.substring(0, 200) + "...(" + json.length() + " chars)";
  }

  /** Options of a {@link CassandraEventIndex}. Not thread-safe. */
  public static final class Builder {
    private final CqlSession session;
    private final EventTypeRegistry registry;
    private CassandraTables tables = CassandraTables.inKeyspace("cursus");
    private ParameterCodec codec = ParameterCodec.create();
    private BiPredicate<String, String> indexing = (type, parameter) -> true;
    private @Nullable String readProfile;
    private @Nullable String writeProfile;
    private @Nullable ConsistencyLevel readConsistency;
    private @Nullable ConsistencyLevel writeConsistency;
    private @Nullable Duration timeout;
    private int maxInFlight = 256;

    private Builder(CqlSession session, EventTypeRegistry registry) {
      this.session = requireNonNull(session, "session must not be null");
      this.registry = requireNonNull(registry, "registry must not be null");
    }

    /** Where the tables are. Default: the default names in keyspace {@code cursus}. */
    public Builder tables(CassandraTables tables) {
      this.tables = requireNonNull(tables, "tables must not be null");
      return this;
    }

    /** How values are written as JSON. Default {@link ParameterCodec#create()}. */
    public Builder codec(ParameterCodec codec) {
      this.codec = requireNonNull(codec, "codec must not be null");
      return this;
    }

    /**
     * Which (aggregate type, parameter name) pairs to index. Default: all, so that a parameter can
     * be found by as soon as it is declared, with no index rebuild. Each indexed parameter costs
     * two writes per batch of events carrying it (its latest value per aggregate, and the value's
     * lookup row): name the parameters you look up to write only those. {@code find} on a pair not
     * indexed is refused with an {@link IllegalArgumentException}.
     */
    public Builder indexing(BiPredicate<String, String> indexing) {
      this.indexing = requireNonNull(indexing, "indexing must not be null");
      return this;
    }

    /** Indexes only the named parameters of {@code aggregateType}. */
    public Builder indexing(String aggregateType, Set<String> parameters) {
      Set<String> names = Set.copyOf(parameters);
      return indexing((type, parameter) -> type.equals(aggregateType) && names.contains(parameter));
    }

    /**
     * Runs every request of the index (reads and writes) with the driver execution profile {@code
     * name}, defined in the driver's configuration. The rules are the store's: consistency levels
     * and timeout set on this builder win over the profile's, and without a profile what is not set
     * here is {@code LOCAL_QUORUM} and 10 s ({@link CassandraEventStore.Builder#executionProfile}).
     * Default: no profile.
     */
    public Builder executionProfile(String name) {
      readExecutionProfile(name);
      return writeExecutionProfile(name);
    }

    /**
     * Runs the index's reads with execution profile {@code name}; see {@link #executionProfile}.
     */
    public Builder readExecutionProfile(String name) {
      this.readProfile = RequestSettings.profileName(name);
      return this;
    }

    /**
     * Runs the index's writes with execution profile {@code name}; see {@link #executionProfile}.
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
     * Most write requests in flight at once for the whole index; also the most latest-value checks
     * of look-ups ({@code find} and {@code findAsync} together). Default 256.
     */
    public Builder maxInFlight(int requests) {
      if (requests < 1) {
        throw new IllegalArgumentException("max in flight must be at least 1, was " + requests);
      }
      this.maxInFlight = requests;
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
     * The index. Prepares its statements, so the schema must exist.
     *
     * @throws IllegalArgumentException if a named execution profile is not defined in the session's
     *     driver configuration
     * @throws io.cursus.api.CursusException if Cassandra cannot prepare them
     */
    public CassandraEventIndex build() {
      if (readProfile != null) {
        RequestSettings.requireDefined(session, readProfile);
      }
      if (writeProfile != null) {
        RequestSettings.requireDefined(session, writeProfile);
      }
      return new CassandraEventIndex(this);
    }

    private RequestSettings settings(
        @Nullable String profile, @Nullable ConsistencyLevel consistency) {
      return RequestSettings.resolve(
          profile,
          consistency,
          CassandraEventStore.DEFAULT_CONSISTENCY,
          timeout,
          CassandraEventStore.DEFAULT_TIMEOUT);
    }
  }
}
