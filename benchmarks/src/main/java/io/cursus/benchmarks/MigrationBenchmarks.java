package io.cursus.benchmarks;

import static io.cursus.benchmarks.CassandraBenchmarks.log;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.metadata.token.TokenRange;
import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.evolution.MigrationProgress;
import io.cursus.api.mapping.EventMapper;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.store.HistoryQuery;
import io.cursus.benchmarks.CassandraBenchmarks.Scan;
import io.cursus.benchmarks.jmh.UpcastingBenchmarks;
import io.cursus.benchmarks.jmh.UpcastingBenchmarks.CrateV1;
import io.cursus.benchmarks.model.Parcels;
import io.cursus.cassandra.CassandraEventStore;
import io.cursus.cassandra.CassandraSchema;
import io.cursus.cassandra.CassandraTables;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * B10 migration: {@link CassandraEventStore#migration} rewriting events stored at version 1 of
 * {@code crate/moved} to version 2 through one upcaster (B7's pair, {@link
 * UpcastingBenchmarks#currentRegistry}), against B4's raw token-range scan of the same rows. Each
 * repetition writes its events into tables of their own (not timed), so that both sides read
 * exactly those rows, scans them raw, then migrates them. The migration reads and writes every row,
 * so its target is lower than B4's (0.5x). Run with {@code benchmarks/run.sh --only B10}.
 */
final class MigrationBenchmarks {

  static final String KEYSPACE = "cursus_bench_b10";
  static final String TYPE = "crate";

  private final CqlSession session;
  private final Mode mode;
  private final int events;
  private final String prefix = "b10_" + UUID.randomUUID().toString().substring(0, 8) + "_";

  MigrationBenchmarks(CqlSession session, Mode mode) {
    this.session = session;
    this.mode = mode;
    this.events = eventsPerRepetition(mode);
  }

  /** Events migrated per repetition: B3's count (20,000 quick, 100,000 full). */
  static int eventsPerRepetition(Mode mode) {
    return mode.pipelineEvents();
  }

  /**
   * The tables of one run (this object's prefix, then {@code w} for the warm-up, {@code r0}, {@code
   * r1}, ...), never an earlier run's, even on an external Cassandra.
   */
  static CassandraTables tablesOf(String run) {
    return new CassandraTables(
        KEYSPACE,
        run + "_event",
        run + "_aggregate_catalogue",
        run + "_index_latest",
        run + "_index_value");
  }

  /**
   * The {@code batch}-th batch of version-1 events: {@link
   * CassandraBenchmarks#AGGREGATES_PER_BATCH} crates of {@code eventsPerAggregate} moves each.
   */
  static List<Event> oldBatch(int batch, int eventsPerAggregate) {
    List<Event> events = new ArrayList<>();
    CrateV1 emit = EventMapper.emitter(CrateV1.class, events::add);
    for (int a = 0; a < CassandraBenchmarks.AGGREGATES_PER_BATCH; a++) {
      String crate = "crate-" + (batch * CassandraBenchmarks.AGGREGATES_PER_BATCH + a);
      for (int i = 0; i < eventsPerAggregate; i++) {
        emit.moved(
            StreamTimestamp.of(Parcels.STREAM, Parcels.T0.plusMillis(i)),
            crate,
            "bay " + i,
            1000L + i);
      }
    }
    return events;
  }

  List<Result> run() {
    EventTypeRegistry version1 = EventTypeRegistry.of(CrateV1.class);
    EventTypeRegistry version2 = UpcastingBenchmarks.currentRegistry();
    int parallelism = mode.replayParallelism();
    log("B10 migration: warm-up");
    measure("w", events / 5, version1, version2, parallelism);
    List<Double> raw = new ArrayList<>();
    List<Double> cursus = new ArrayList<>();
    List<Double> hand = new ArrayList<>();
    for (int rep = 0; rep < mode.repetitions(); rep++) {
      double[] rates = measure("r" + rep, events, version1, version2, parallelism);
      raw.add(rates[0]);
      cursus.add(rates[1]);
      hand.add(rates[2]);
      log(
          "B10 migration %d: raw scan %.0f rows/s, hand-written rewrite %.0f events/s, migration"
              + " %.0f events rewritten/s (%,d events)",
          rep, raw.get(rep), hand.get(rep), cursus.get(rep), events);
    }
    return List.of(
        new Result(
            "B10 migration vs a hand-written scan and rewrite",
            "events/s",
            Stats.median(cursus),
            Stats.median(hand),
            true,
            Double.NaN,
            String.format(
                "the same migration against the one a competent engineer would write with the"
                    + " driver, on the same version-1 rows written to tables of its own: the same"
                    + " token ranges (parallelism %d, page size %d), the parameter added to each"
                    + " row's map by hand, written back by a prepared insert with typed setters at"
                    + " the stored write timestamp plus one, asynchronously with at most 256 in"
                    + " flight; events rewritten per second, until every write is acknowledged;"
                    + " median of %d repetitions; the issue sets no target for it",
                parallelism, CassandraBenchmarks.PAGE_SIZE, mode.repetitions())),
        new Result(
            "B10 migration",
            "events/s",
            Stats.median(cursus),
            Stats.median(raw),
            true,
            0.5,
            String.format(
                "%,d events of %,d aggregates stored at version 1 per repetition, in tables of"
                    + " their own; events rewritten per second by the migration to version 2"
                    + " (one upcaster adding a parameter; parallelism %d, 256 segments, no"
                    + " throttle) against rows read per second by B4's raw token-range scan of"
                    + " the same rows (parallelism %d, page size %d) just before; median of %d"
                    + " repetitions",
                events,
                events / mode.eventsPerAggregate(),
                parallelism,
                parallelism,
                CassandraBenchmarks.PAGE_SIZE,
                mode.repetitions())));
  }

  /** Writes {@code count} version-1 events, scans them raw, migrates them: the two rates. */
  private double[] measure(
      String run,
      int count,
      EventTypeRegistry version1,
      EventTypeRegistry version2,
      int parallelism) {
    CassandraTables tables = tablesOf(prefix + run);
    CassandraTables handTables = tablesOf(prefix + run + "_hand");
    int perBatch = CassandraBenchmarks.AGGREGATES_PER_BATCH * mode.eventsPerAggregate();
    for (CassandraTables each : List.of(tables, handTables)) {
      CassandraSchema.of(each).create(session);
      CassandraEventStore old = CassandraBenchmarks.storeOn(session, version1, each);
      Parallel.run(
          mode.callerThreads(),
          count / perBatch,
          batch -> old.append(oldBatch(batch, mode.eventsPerAggregate())));
    }
    int stored = count / perBatch * perBatch;
    double handRate = rewriteByHand(handTables, stored, parallelism);

    Scan scan =
        CassandraBenchmarks.scanRaw(
            session, CassandraBenchmarks.prepareScan(session, tables), TYPE, parallelism);
    CassandraEventStore current = CassandraBenchmarks.storeOn(session, version2, tables);
    long start = System.nanoTime();
    MigrationProgress done =
        current.migration(TYPE).name("b10-" + run).parallelism(parallelism).run();
    double seconds = (System.nanoTime() - start) / 1e9;
    if (scan.events() != stored || done.eventsRewritten() != stored || !done.isComplete()) {
      throw new IllegalStateException(
          String.format(
              "B10 %s: %d events stored, the raw scan read %d, the migration rewrote %d (%s)",
              run, stored, scan.events(), done.eventsRewritten(), done));
    }
    Event first = current.read(AggregateId.of(TYPE, "crate-0"), HistoryQuery.all()).toList().get(0);
    if (!first.type().version().equals("2")) {
      throw new IllegalStateException("B10 " + run + ": after the migration read " + first);
    }
    return new double[] {
      scan.events() / scan.seconds(), done.eventsRewritten() / seconds, handRate
    };
  }

  /**
   * The migration written by hand with the driver: scans the token ranges as B4 does, adds {@code
   * by} to each version-1 row's parameters and writes the row back at version 2 with its write
   * timestamp plus one, asynchronously, at most 256 writes in flight. Events rewritten per second,
   * until the last write is acknowledged.
   */
  private double rewriteByHand(CassandraTables tables, int stored, int parallelism) {
    String table = tables.keyspace() + "." + tables.events();
    PreparedStatement scan =
        session.prepare(
            "SELECT aggregate_type, aggregate_id, event_timestamp, stream_id, processing_id, name,"
                + " version, parameters, characteristics, WRITETIME(parameters) FROM "
                + table
                + " WHERE token(aggregate_type, aggregate_id) > ?"
                + " AND token(aggregate_type, aggregate_id) <= ?");
    PreparedStatement insert =
        session.prepare(
            "INSERT INTO "
                + table
                + " (aggregate_type, aggregate_id, event_timestamp, stream_id, processing_id,"
                + " name, version, parameters, characteristics) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " USING TIMESTAMP ?");
    List<TokenRange> ranges = CassandraBenchmarks.ranges(session, parallelism);
    Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    AtomicLong rewritten = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    long start = System.nanoTime();
    Parallel.run(
        parallelism,
        ranges.size(),
        i -> {
          TokenRange range = ranges.get(i);
          ResultSet rows =
              session.execute(
                  scan.bind(range.getStart(), range.getEnd())
                      .setPageSize(CassandraBenchmarks.PAGE_SIZE)
                      .setConsistencyLevel(CassandraBenchmarks.CONSISTENCY)
                      .setTimeout(CassandraBenchmarks.TIMEOUT));
          for (Row row : rows) {
            if (!TYPE.equals(row.getString(0))
                || !"moved".equals(row.getString(5))
                || !"1".equals(row.getString(6))) {
              continue;
            }
            Map<String, String> parameters =
                new LinkedHashMap<>(row.get(7, CassandraBenchmarks.TEXT_MAP));
            parameters.put("by", "\"depot\"");
            BoundStatement write =
                insert
                    .boundStatementBuilder()
                    .setString(0, row.getString(0))
                    .setString(1, row.getString(1))
                    .setInstant(2, row.getInstant(2))
                    .setString(3, row.getString(3))
                    .setUuid(4, row.getUuid(4))
                    .setString(5, "moved")
                    .setString(6, "2")
                    .set(7, parameters, CassandraBenchmarks.TEXT_MAP)
                    .setInt(8, row.getInt(8))
                    .setLong(9, row.getLong(9) + 1)
                    .setConsistencyLevel(CassandraBenchmarks.CONSISTENCY)
                    .setTimeout(CassandraBenchmarks.TIMEOUT)
                    .setIdempotence(true)
                    .build();
            inFlight.acquireUninterruptibly();
            session
                .executeAsync(write)
                .whenComplete(
                    (done, e) -> {
                      if (e != null) {
                        failure.compareAndSet(null, e);
                      }
                      inFlight.release();
                    });
            rewritten.incrementAndGet();
          }
        });
    inFlight.acquireUninterruptibly(MAX_IN_FLIGHT); // every write acknowledged
    double seconds = (System.nanoTime() - start) / 1e9;
    if (failure.get() != null) {
      throw new IllegalStateException("B10: a hand-written rewrite failed", failure.get());
    }
    if (rewritten.get() != stored) {
      throw new IllegalStateException(
          "B10: the hand-written rewrite rewrote " + rewritten.get() + " of " + stored + " events");
    }
    return rewritten.get() / seconds;
  }

  /** Writes the hand-written rewrite keeps in flight, as the store's writer does by default. */
  private static final int MAX_IN_FLIGHT = 256;
}
