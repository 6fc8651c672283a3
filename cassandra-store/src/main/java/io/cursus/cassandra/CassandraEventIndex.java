package io.cursus.cassandra;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
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
import io.cursus.cassandra.internal.Failures;
import io.cursus.cassandra.internal.IndexCells;
import io.cursus.cassandra.internal.PartitionBatches;
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
import java.util.concurrent.Semaphore;
import java.util.function.BiPredicate;

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
 * name); by default all are. Values are compared by their JSON form. Thread-safe.
 */
public final class CassandraEventIndex implements EventIndex, EventIndexer {

  private final CqlSession session;
  private final EventTypeRegistry registry;
  private final ParameterCodec codec;
  private final BiPredicate<String, String> indexing;
  private final ConsistencyLevel readConsistency;
  private final ConsistencyLevel writeConsistency;
  private final BoundedRequests writer;
  private final Semaphore checkPermits;
  private final Duration timeout;
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
    this.readConsistency = builder.readConsistency;
    this.writeConsistency = builder.writeConsistency;
    this.writer = new BoundedRequests(builder.session, builder.maxInFlight);
    this.checkPermits = new Semaphore(builder.maxInFlight);
    this.timeout = builder.timeout;
    CassandraTables t = builder.tables;
    String latest = t.qualified(t.indexLatest());
    String values = t.qualified(t.indexValues());
    this.writeLatest =
        prepare(
            "UPDATE "
                + latest
                + " USING TIMESTAMP ? SET value = ?"
                + " WHERE aggregate_type = ? AND aggregate_id = ? AND parameter = ?");
    this.writeValue =
        prepare(
            "INSERT INTO "
                + values
                + " (aggregate_type, parameter, value, aggregate_id) VALUES (?, ?, ?, ?)"
                + " USING TIMESTAMP ?");
    this.readCandidates =
        prepare(
            "SELECT aggregate_id FROM "
                + values
                + " WHERE aggregate_type = ? AND parameter = ? AND value = ?");
    this.readLatest =
        prepare(
            "SELECT value, WRITETIME(value) FROM "
                + latest
                + " WHERE aggregate_type = ? AND aggregate_id = ? AND parameter = ?");
    this.deleteStale =
        prepare(
            "DELETE FROM "
                + values
                + " USING TIMESTAMP ?"
                + " WHERE aggregate_type = ? AND parameter = ? AND value = ? AND aggregate_id = ?");
  }

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
    // typed setters: binding by value would make the driver look up a codec for every value
    PartitionBatches writes = new PartitionBatches();
    latest.forEach(
        (cell, write) ->
            writes.add(
                cell.aggregate(),
                writeLatest
                    .boundStatementBuilder()
                    .setLong(0, write.time())
                    .setString(1, write.cell())
                    .setString(2, cell.aggregate().type())
                    .setString(3, cell.aggregate().id())
                    .setString(4, cell.parameter())
                    .setConsistencyLevel(writeConsistency)
                    .setTimeout(timeout)
                    .setIdempotence(true)
                    .build()));
    entries.forEach(
        (entry, time) ->
            writes.add(
                List.of(entry.type(), entry.parameter(), entry.key()),
                writeValue
                    .boundStatementBuilder()
                    .setString(0, entry.type())
                    .setString(1, entry.parameter())
                    .setString(2, entry.key())
                    .setString(3, entry.aggregateId())
                    .setLong(4, time)
                    .setConsistencyLevel(writeConsistency)
                    .setTimeout(timeout)
                    .setIdempotence(true)
                    .build()));
    writer.runAll(
        writes.requests(writeConsistency, timeout), "indexing " + events.size() + " events");
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
    requireNonNull(aggregateType, "aggregate type must not be null");
    requireNonNull(parameter, "parameter must not be null");
    requireNonNull(value, "value must not be null");
    String json = codec.write(value.getClass(), value);
    String key = IndexCells.valueKey(aggregateType, parameter, json);
    List<String> candidates = new ArrayList<>();
    try {
      ResultSet result =
          session.execute(
              readCandidates
                  .bind(aggregateType, parameter, key)
                  .setConsistencyLevel(readConsistency)
                  .setTimeout(timeout));
      for (Row row : result) {
        candidates.add(row.getString(0));
      }
    } catch (RuntimeException e) {
      throw Failures.classify(
          e, "finding " + aggregateType + " by " + parameter + " = " + shortened(json));
    }
    // At most maxInFlight checks at once: a popular value may have many candidates.
    List<CompletableFuture<AsyncResultSet>> checks = new ArrayList<>(candidates.size());
    try {
      for (String id : candidates) {
        checkPermits.acquire();
        CompletableFuture<AsyncResultSet> check;
        try {
          check =
              session
                  .executeAsync(
                      readLatest
                          .bind(aggregateType, id, parameter)
                          .setConsistencyLevel(readConsistency)
                          .setTimeout(timeout))
                  .toCompletableFuture();
        } catch (RuntimeException e) {
          checkPermits.release();
          throw e;
        }
        var unused = check.whenComplete((r, f) -> checkPermits.release());
        checks.add(check);
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
        latest = checks.get(i).join().one();
      } catch (RuntimeException e) {
        throw Failures.classify(e, "checking the latest " + parameter + " of " + candidates.get(i));
      }
      if (latest == null || latest.isNull(0)) {
        continue; // no latest value (yet): nothing to answer, nothing known to be stale
      }
      String latestJson = IndexCells.jsonOf(latest.getString(0));
      if (json.equals(latestJson)) {
        found.add(AggregateId.of(aggregateType, candidates.get(i)));
      } else if (latestJson == null
          || !key.equals(IndexCells.valueKey(aggregateType, parameter, latestJson))) {
        // Stale: the aggregate has a newer value (one with the same digest key is not stale, and
        // stays). Remove the entry below that value's timestamp.
        deletes.add(
            session
                .executeAsync(
                    deleteStale
                        .bind(
                            latest.getLong(1) - 1, aggregateType, parameter, key, candidates.get(i))
                        .setConsistencyLevel(writeConsistency)
                        .setTimeout(timeout)
                        .setIdempotent(true))
                .toCompletableFuture());
      }
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

  /** {@code json}, cut short if long, for a message. */
  private static String shortened(String json) {
    return json.length() <= 200
        ? json
        : json.substring(0, 200) + "...(" + json.length() + " chars)";
  }

  private PreparedStatement prepare(String cql) {
    try {
      return session.prepare(cql);
    } catch (RuntimeException e) {
      throw Failures.classify(e, "preparing " + cql + " (has the schema been created?)");
    }
  }

  /** Options of a {@link CassandraEventIndex}. Not thread-safe. */
  public static final class Builder {
    private final CqlSession session;
    private final EventTypeRegistry registry;
    private CassandraTables tables = CassandraTables.inKeyspace("cursus");
    private ParameterCodec codec = ParameterCodec.create();
    private BiPredicate<String, String> indexing = (type, parameter) -> true;
    private ConsistencyLevel readConsistency = DefaultConsistencyLevel.LOCAL_QUORUM;
    private ConsistencyLevel writeConsistency = DefaultConsistencyLevel.LOCAL_QUORUM;
    private int maxInFlight = 256;
    private Duration timeout = Duration.ofSeconds(10);

    private Builder(CqlSession session, EventTypeRegistry registry) {
      this.session = requireNonNull(session, "session must not be null");
      this.registry = requireNonNull(registry, "registry must not be null");
    }

    public Builder tables(CassandraTables tables) {
      this.tables = requireNonNull(tables, "tables must not be null");
      return this;
    }

    public Builder codec(ParameterCodec codec) {
      this.codec = requireNonNull(codec, "codec must not be null");
      return this;
    }

    /** Which (aggregate type, parameter name) pairs to index. Default: all. */
    public Builder indexing(BiPredicate<String, String> indexing) {
      this.indexing = requireNonNull(indexing, "indexing must not be null");
      return this;
    }

    /** Indexes only the named parameters of {@code aggregateType}. */
    public Builder indexing(String aggregateType, Set<String> parameters) {
      Set<String> names = Set.copyOf(parameters);
      return indexing((type, parameter) -> type.equals(aggregateType) && names.contains(parameter));
    }

    public Builder readConsistency(ConsistencyLevel level) {
      this.readConsistency = requireNonNull(level, "read consistency must not be null");
      return this;
    }

    public Builder writeConsistency(ConsistencyLevel level) {
      this.writeConsistency = requireNonNull(level, "write consistency must not be null");
      return this;
    }

    public Builder maxInFlight(int requests) {
      if (requests < 1) {
        throw new IllegalArgumentException("max in flight must be at least 1, was " + requests);
      }
      this.maxInFlight = requests;
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = requireNonNull(timeout, "timeout must not be null");
      return this;
    }

    public CassandraEventIndex build() {
      return new CassandraEventIndex(this);
    }
  }
}
