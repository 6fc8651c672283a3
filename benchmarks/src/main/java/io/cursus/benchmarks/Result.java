package io.cursus.benchmarks;

/**
 * One compared figure: Cursus against its baseline, measured in the same run.
 *
 * @param id the benchmark id and a short name, for example {@code B1 append}
 * @param metric what was measured, for example {@code events/s}
 * @param cursus Cursus's figure (the median of its repetitions)
 * @param raw the baseline's figure, measured alternately with Cursus's
 * @param higherIsBetter true for throughputs, false for times and latencies
 * @param target the target ratio: at least this (throughputs) or at most this (times)
 * @param detail how it was measured, for the page
 */
public record Result(
    String id,
    String metric,
    double cursus,
    double raw,
    boolean higherIsBetter,
    double target,
    String detail) {

  /** Cursus's figure over the baseline's. */
  public double ratio() {
    return cursus / raw;
  }

  public boolean met() {
    return higherIsBetter ? ratio() >= target : ratio() <= target;
  }

  /** The target as the page shows it: {@code >= 0.9x} or {@code <= 1.2x}. */
  public String targetText() {
    return (higherIsBetter ? ">= " : "<= ") + target + "x";
  }
}
