package io.cursus.benchmarks;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.store.AppendCondition;
import io.cursus.api.store.AppendConflictException;
import io.cursus.api.store.ConsistencyToken;
import io.cursus.api.store.HistoryQuery;
import io.cursus.api.store.TimeRange;
import io.cursus.benchmarks.model.Parcels;
import io.cursus.cassandra.CassandraEventStore;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * B8 decisions: a conditional append (one Paxos round, then the plain rewrite) against a blind
 * append of the same single event, on the same store, alternating: throughput and latency without
 * contention (every append to its own aggregate), and decisions per second with contention (all
 * caller threads deciding on a few aggregates, reading again and retrying after each conflict)
 * against blind appends to the same aggregates. Run with {@code benchmarks/run.sh --only B8}.
 */
final class DecisionBenchmarks {

  /** A read of no events (all lie after {@code T0}): the token alone, as cheap as a read gets. */
  static final HistoryQuery TOKEN_ONLY = HistoryQuery.within(TimeRange.upToBefore(Parcels.T0));

  /** Aggregates the contended run's threads share. */
  static final int CONTENDED_AGGREGATES = 2;

  private final CassandraEventStore store;
  private final Mode mode;
  // aggregates of this run only, whatever the other benchmarks or an earlier run wrote
  private final String prefix = "b8-" + UUID.randomUUID().toString().substring(0, 8) + "-";
  private final int appends;

  DecisionBenchmarks(CassandraEventStore store, Mode mode) {
    this.store = store;
    this.mode = mode;
    this.appends = mode.name().equals("full") ? 20_000 : 2_000;
  }

  List<Result> run() {
    CassandraBenchmarks.log("B8 decisions: warm-up");
    // each run names its own aggregates: a conditional "no events yet" append to an aggregate a
    // blind run wrote would (rightly) be refused
    blind("wb", appends / 5);
    conditional("wc", appends / 5);
    List<Double> blindRates = new ArrayList<>();
    List<Double> conditionalRates = new ArrayList<>();
    List<Double> contendedBlind = new ArrayList<>();
    List<Double> contendedDecided = new ArrayList<>();
    for (int rep = 0; rep < mode.repetitions(); rep++) {
      blindRates.add(appends / blind("b" + rep, appends));
      conditionalRates.add(appends / conditional("c" + rep, appends));
      contendedBlind.add(appends / contendedBlind("cb" + rep));
      contendedDecided.add(decidedPerSecond("cd" + rep));
      CassandraBenchmarks.log(
          "B8 %d: blind %.0f/s, conditional %.0f/s; contended: blind %.0f/s, decided %.0f/s",
          rep,
          blindRates.get(rep),
          conditionalRates.get(rep),
          contendedBlind.get(rep),
          contendedDecided.get(rep));
    }
    int samples = Math.min(appends, 1_000);
    long[] blindNanos = latencies("lb", samples, false);
    long[] conditionalNanos = latencies("lc", samples, true);
    String threads = mode.callerThreads() + " caller threads";
    List<Result> results = new ArrayList<>();
    results.add(
        new Result(
            "B8 conditional append",
            "events/s",
            Stats.median(conditionalRates),
            Stats.median(blindRates),
            true,
            Double.NaN,
            String.format(
                "%,d single-event appends per repetition, each to its own aggregate, from %s;"
                    + " conditional (no events yet) against blind; median of %d alternating"
                    + " repetitions",
                appends, threads, mode.repetitions())));
    for (double p : new double[] {50, 99}) {
      results.add(
          new Result(
              String.format("B8 conditional append p%.0f", p),
              "ms",
              Stats.percentile(conditionalNanos, p) / 1e6,
              Stats.percentile(blindNanos, p) / 1e6,
              false,
              Double.NaN,
              String.format(
                  "%,d single-event appends from one thread, each to its own aggregate", samples)));
    }
    results.add(
        new Result(
            "B8 contended decisions",
            "events/s",
            Stats.median(contendedDecided),
            Stats.median(contendedBlind),
            true,
            Double.NaN,
            String.format(
                "%s on %d aggregates: each reads the aggregate's token (an empty range)"
                    + " and appends unchanged since it, reading again after a conflict;"
                    + " against blind appends to the same aggregates; %,d events per repetition",
                threads, CONTENDED_AGGREGATES, appends)));
    return results;
  }

  private double blind(String run, int count) {
    return Parallel.run(
        mode.callerThreads(), count, i -> store.append(List.of(Parcels.event(id(run, i), 0))));
  }

  private double conditional(String run, int count) {
    return Parallel.run(
        mode.callerThreads(),
        count,
        i -> {
          ConsistencyToken unused =
              store.append(List.of(Parcels.event(id(run, i), 0)), AppendCondition.noEventsYet());
        });
  }

  private double contendedBlind(String run) {
    return Parallel.run(
        mode.callerThreads(),
        appends,
        i -> store.append(List.of(Parcels.event(id(run, i % CONTENDED_AGGREGATES), 1 + i))));
  }

  /** Decisions appended per second while the caller threads contend for a few aggregates. */
  private double decidedPerSecond(String run) {
    AtomicLong conflicts = new AtomicLong();
    double seconds =
        Parallel.run(
            mode.callerThreads(),
            appends,
            i -> {
              String id = id(run, i % CONTENDED_AGGREGATES);
              AggregateId aggregate = AggregateId.of(Parcels.TYPE, id);
              Event event = Parcels.event(id, 1 + i);
              while (true) {
                ConsistencyToken read = store.historyWithToken(aggregate, TOKEN_ONLY).token();
                try {
                  ConsistencyToken unused =
                      store.append(List.of(event), AppendCondition.unchangedSince(read));
                  return;
                } catch (AppendConflictException conflict) {
                  conflicts.incrementAndGet();
                }
              }
            });
    CassandraBenchmarks.log("B8 %s: %d conflicts retried", run, conflicts.get());
    return appends / seconds;
  }

  private String id(String run, int i) {
    return prefix + run + "-" + i;
  }

  private long[] latencies(String run, int count, boolean conditional) {
    long[] nanos = new long[count];
    for (int i = 0; i < count; i++) {
      List<Event> one = List.of(Parcels.event(id(run, i), 0));
      long start = System.nanoTime();
      if (conditional) {
        ConsistencyToken unused = store.append(one, AppendCondition.noEventsYet());
      } else {
        store.append(one);
      }
      nanos[i] = System.nanoTime() - start;
    }
    return nanos;
  }
}
