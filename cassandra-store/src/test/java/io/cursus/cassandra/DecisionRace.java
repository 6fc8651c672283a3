package io.cursus.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.TransientCursusException;
import io.cursus.api.mapping.EventMapper;
import io.cursus.api.store.AppendCondition;
import io.cursus.api.store.AppendConflictException;
import io.cursus.api.store.DecisionLog;
import io.cursus.api.store.EventSource;
import io.cursus.conformance.ConformanceEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writers racing, round after round, to reserve a fresh aggregate with "no events yet": each
 * writer's claim is an {@code opened} event naming it. A writer whose append fails transiently
 * (outcome unknown) appends the same captured claim again, as the exception says. Checks after
 * every round that exactly one writer won, every other got the conflict, and the history holds the
 * winner's claim once.
 */
final class DecisionRace {

  private static final Instant T0 = Instant.parse("2026-05-01T00:00:00Z");

  /** What a race measured. */
  record Outcome(int rounds, int writers, int conflicts, int retries, Duration took) {
    @Override
    public String toString() {
      return String.format(
          "%d rounds x %d writers: %d winners, %d conflicts, %d retries after a transient"
              + " failure, %.1f s (%.1f ms per round)",
          rounds,
          writers,
          rounds,
          conflicts,
          retries,
          took.toMillis() / 1000.0,
          took.toMillis() / (double) rounds);
    }
  }

  private DecisionRace() {}

  /** Rounds per race: 1,000, or the system property {@code cursus.decision-race.rounds}. */
  static int rounds() {
    return Integer.getInteger("cursus.decision-race.rounds", 1000);
  }

  static Outcome run(DecisionLog decisions, EventSource source, int rounds, int writers)
      throws Exception {
    List<UUID> ids = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      ids.add(UUID.randomUUID());
    }
    Map<Integer, List<Integer>> winners = new ConcurrentHashMap<>();
    AtomicInteger conflicts = new AtomicInteger();
    AtomicInteger retries = new AtomicInteger();
    CyclicBarrier everyRound = new CyclicBarrier(writers);
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    long began = System.nanoTime();
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        done.add(
            pool.submit(
                () -> {
                  try {
                    race(decisions, writer, ids, rounds, everyRound, winners, conflicts, retries);
                  } catch (Throwable e) {
                    everyRound.reset(); // the others stop at once instead of waiting
                    throw e;
                  }
                  return null;
                }));
      }
      // A writer that fails breaks the barrier for the others: report its failure, not theirs.
      Exception first = null;
      for (Future<?> writer : done) {
        try {
          writer.get(30, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
          if (first == null || first.getCause() instanceof BrokenBarrierException) {
            first = e;
          }
        }
      }
      if (first != null) {
        throw first;
      }
    } finally {
      pool.shutdownNow();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - began);
    for (int round = 0; round < rounds; round++) {
      List<Integer> won = winners.getOrDefault(round, List.of());
      assertThat(won).as("winners of round %s", round).hasSize(1);
      List<Event> history =
          source.history(AggregateId.of(ConformanceEvents.AGGREGATE_TYPE, ids.get(round)));
      assertThat(history)
          .as("history of round %s", round)
          .singleElement()
          .satisfies(e -> assertThat(e.parameters().get("owner")).isEqualTo("w" + won.get(0)));
    }
    assertThat(conflicts.get()).isEqualTo(rounds * (writers - 1));
    return new Outcome(rounds, writers, conflicts.get(), retries.get(), took);
  }

  /** One writer's rounds. */
  private static void race(
      DecisionLog decisions,
      int writer,
      List<UUID> ids,
      int rounds,
      CyclicBarrier everyRound,
      Map<Integer, List<Integer>> winners,
      AtomicInteger conflicts,
      AtomicInteger retries)
      throws Exception {
    for (int round = 0; round < rounds; round++) {
      List<Event> claim = new ArrayList<>(1);
      EventMapper.emitter(ConformanceEvents.class, claim::add)
          .opened(StreamTimestamp.of("w" + writer, T0), ids.get(round), "w" + writer);
      // captured once, so that a retry after an unknown outcome is recognised
      List<Event> captured = claim.stream().map(Event::captured).toList();
      everyRound.await(5, TimeUnit.MINUTES);
      for (int attempt = 1; ; attempt++) {
        try {
          decisions.append(captured, AppendCondition.noEventsYet());
          winners.computeIfAbsent(round, r -> new CopyOnWriteArrayList<>()).add(writer);
          break;
        } catch (AppendConflictException e) {
          conflicts.incrementAndGet();
          break;
        } catch (TransientCursusException e) {
          if (attempt == 10) {
            throw e;
          }
          retries.incrementAndGet(); // as the exception says: the same events again
          Thread.sleep(Math.min(2_000L, 100L << attempt));
        }
      }
    }
  }
}
