package io.cursus.benchmarks;

/**
 * The sizes of one run.
 *
 * @param name {@code quick} or {@code full}
 * @param appendAggregates B1: aggregates written per measured repetition
 * @param eventsPerAggregate B1: events per aggregate
 * @param historyAggregates B2: aggregates of 100 events written before reading
 * @param latencyReads B2: single-threaded reads per side, for the latency distribution
 * @param throughputReads B2: reads per side and repetition, from {@link #callerThreads} threads
 * @param repetitions measured repetitions of each side (raw and Cursus alternate)
 * @param callerThreads threads calling the store (and the raw driver) at once
 * @param replayParallelism B4: token ranges scanned at once
 * @param jmhIterations B5: JMH warm-up and measurement iterations
 * @param jmhSeconds B5: seconds per JMH iteration
 * @param jmhForks B5: JMH forks (JVMs) per benchmark; the JIT compiles a loop differently from one
 *     JVM to the next, so the median over the iterations of several forks moves less between runs
 * @param idempotencyOps B6: identities tested per side and repetition
 * @param pipelineAggregates B3: aggregates (of {@link #eventsPerAggregate} events) per side and
 *     repetition
 */
public record Mode(
    String name,
    int appendAggregates,
    int eventsPerAggregate,
    int historyAggregates,
    int latencyReads,
    int throughputReads,
    int repetitions,
    int callerThreads,
    int replayParallelism,
    int jmhIterations,
    int jmhSeconds,
    int jmhForks,
    int idempotencyOps,
    int pipelineAggregates) {

  /** Under 10 minutes on 2 cores, engine start included. */
  public static Mode quick() {
    return new Mode("quick", 20_000, 10, 500, 2_000, 4_000, 3, 8, 4, 5, 1, 1, 50_000, 2_000);
  }

  /** The sizes: 1,000,000 events over 100,000 aggregates per repetition. */
  public static Mode full() {
    return new Mode("full", 100_000, 10, 5_000, 10_000, 20_000, 3, 8, 4, 4, 2, 2, 300_000, 10_000);
  }

  public int appendEvents() {
    return appendAggregates * eventsPerAggregate;
  }

  public int pipelineEvents() {
    return pipelineAggregates * eventsPerAggregate;
  }
}
