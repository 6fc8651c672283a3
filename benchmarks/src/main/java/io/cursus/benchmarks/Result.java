package io.cursus.benchmarks;

/**
 * One compared figure: Cursus against its baseline, measured in the same run.
 *
 * @param id the benchmark id and a short name, for example {@code B1 append}
 * @param metric what was measured, for example {@code events/s}
 * @param cursus Cursus's figure (the median of its repetitions)
 * @param raw the baseline's figure, measured alternately with Cursus's; {@link Double#NaN} where
 *     there is no raw counterpart (an end-to-end lag)
 * @param higherIsBetter true for throughputs, false for times and latencies
 * @param target the target ratio: at least this (throughputs) or at most this (times); {@link
 *     Double#NaN} where the issue sets none (the figure is reported, not judged)
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

  /** Whether the issue sets a target for this figure. */
  public boolean hasTarget() {
    return !Double.isNaN(target);
  }

  /** True if the target is met, or there is none. */
  public boolean met() {
    if (!hasTarget()) {
      return true;
    }
    return higherIsBetter ? ratio() >= target : ratio() <= target;
  }

  /** The target as the page shows it: {@code >= 0.9x} or {@code <= 1.2x}, or {@code none}. */
  public String targetText() {
    if (!hasTarget()) {
      return "none";
    }
    // two decimals at most: 1/0.9 is shown as 1.11x, 0.8 as 0.8x
    String shown =
        java.math.BigDecimal.valueOf(target)
            .setScale(2, java.math.RoundingMode.HALF_UP)
            .stripTrailingZeros()
            .toPlainString();
    return (higherIsBetter ? ">= " : "<= ") + shown + "x";
  }
}
