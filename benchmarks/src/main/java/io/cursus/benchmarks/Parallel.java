package io.cursus.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/** Runs numbered units of work from several caller threads, as several application threads do. */
final class Parallel {
  private Parallel() {}

  /**
   * Runs {@code work} for every unit {@code 0 .. units-1} from {@code threads} threads, each taking
   * the next unit when it finishes one, and returns the elapsed seconds.
   */
  static double run(int threads, int units, IntConsumer work) {
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      long start = System.nanoTime();
      List<Future<?>> callers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        callers.add(
            pool.submit(
                () -> {
                  for (int unit = next.getAndIncrement();
                      unit < units;
                      unit = next.getAndIncrement()) {
                    work.accept(unit);
                  }
                }));
      }
      for (Future<?> caller : callers) {
        caller.get();
      }
      return (System.nanoTime() - start) / 1e9;
    } catch (ExecutionException e) {
      throw new IllegalStateException("a benchmark caller thread failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while benchmarking", e);
    } finally {
      pool.shutdownNow();
    }
  }
}
