package io.cursus.benchmarks;

import io.cursus.benchmarks.jmh.InJvmBenchmarks;
import io.cursus.benchmarks.jmh.UpcastingBenchmarks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * B5: runs {@link InJvmBenchmarks} with JMH (one fork) and pairs each Cursus path with its
 * baseline.
 */
final class JmhBenchmarks {
  private JmhBenchmarks() {}

  /** Two benchmarks compared; {@code target} is the most time Cursus may take, as a ratio. */
  private record Pair(String id, String cursus, String baseline, String detail, double target) {

    /** The issues' target for the in-JVM pairs: at most 1.5 times the hand-written code. */
    Pair(String id, String cursus, String baseline, String detail) {
      this(id, cursus, baseline, detail, 1.5);
    }
  }

  private static final List<Pair> PAIRS =
      List.of(
          new Pair(
              "B5 emit: interface proxy",
              "emitInterfaceProxy",
              "emitByHand",
              "EventMapper.emitter proxy call vs Event.of with Parameters.of"),
          new Pair(
              "B5 emit: sealed record",
              "emitRecord",
              "emitByHand",
              "EventCodec.toEvent of a record vs Event.of with Parameters.of"),
          new Pair(
              "B5 emit: Kotlin sealed class",
              "emitKotlinThroughBus",
              "dispatchByHandThroughBus",
              "bus.dispatchTo(id, LoadedOntoTruck(t) at ts) vs bus.dispatch(Event.of(...)),"
                  + " same no-op channel"),
          new Pair(
              "B5 JSON round trip",
              "jsonRoundTripEventJson",
              "jsonRoundTripPlainJackson",
              "EventJson write+read vs ObjectMapper write+read of a record with the same fields"),
          new Pair(
              "B5 state: StateBuilder, 1,000 events",
              "stateBuilder1000",
              "stateByHand1000",
              "StateBuilder.build vs a hand-written loop over the same list of events",
              // the speed issue's second round: at most 1.3 times the hand-written loop
              1.3),
          new Pair(
              "B5 state: StateFold, 1,000 events",
              "stateFold1000",
              "stateByHand1000",
              "StateFold.build vs a hand-written loop over the same list of events",
              1.3),
          new Pair(
              "B5 state: StateFold vs a hand-written fold of records, 1,000 events",
              "stateFold1000",
              "stateFoldByHand1000",
              "StateFold.build vs a hand-written loop that makes the same records of the family"
                  + " from the events (a switch on the name, a constructor call) and folds them"
                  + " with the same update: the floor a typed fold has, explaining the row above",
              Double.NaN),
          new Pair(
              "B7 history read through one upcaster, 100 events",
              "readHistoryThroughOneUpcaster",
              "readHistoryAtCurrentVersion",
              "EventJson.read of 100 envelopes stored at version 1 and upcast (one added"
                  + " parameter) vs the same 100 stored at version 2",
              // the evolution issue: reads through one upcaster at 0.9x or more of the speed
              1 / 0.9));

  static List<Result> run(Mode mode) {
    Options options =
        new OptionsBuilder()
            .include(InJvmBenchmarks.class.getName() + ".")
            .include(UpcastingBenchmarks.class.getName() + ".")
            .forks(mode.jmhForks())
            .warmupIterations(mode.jmhIterations())
            .warmupTime(TimeValue.seconds(mode.jmhSeconds()))
            .measurementIterations(mode.jmhIterations())
            .measurementTime(TimeValue.seconds(mode.jmhSeconds()))
            .jvmArgsAppend("-Xmx1g")
            .shouldFailOnError(true)
            .build();
    Map<String, Double> nanos = new HashMap<>();
    try {
      for (RunResult result : new Runner(options).run()) {
        String benchmark = result.getParams().getBenchmark();
        // The median iteration, not the mean: one iteration hit by another build on a shared
        // machine would otherwise move the figure by several times.
        List<Double> iterations = new ArrayList<>();
        for (BenchmarkResult fork : result.getBenchmarkResults()) {
          for (IterationResult iteration : fork.getIterationResults()) {
            iterations.add(iteration.getPrimaryResult().getScore());
          }
        }
        nanos.put(benchmark.substring(benchmark.lastIndexOf('.') + 1), Stats.median(iterations));
      }
    } catch (RunnerException e) {
      throw new IllegalStateException("JMH could not run the in-JVM benchmarks", e);
    }
    List<Result> results = new ArrayList<>();
    for (Pair pair : PAIRS) {
      results.add(
          new Result(
              pair.id(),
              "ns/op",
              nanos.get(pair.cursus()),
              nanos.get(pair.baseline()),
              false,
              pair.target(),
              pair.detail()
                  + String.format(
                      "; JMH average time, %d fork%s, %d x %d s warm-up and measurement per"
                          + " fork, median iteration over the forks",
                      mode.jmhForks(),
                      mode.jmhForks() == 1 ? "" : "s",
                      mode.jmhIterations(),
                      mode.jmhSeconds())));
    }
    return results;
  }
}
