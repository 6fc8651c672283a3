package io.cursus.cassandra;

/**
 * How far a full replay has come.
 *
 * @param rangesDone token ranges read completely
 * @param rangesTotal token ranges in all
 * @param aggregates aggregates delivered so far
 * @param events events delivered so far
 */
public record ReplayProgress(int rangesDone, int rangesTotal, long aggregates, long events) {

  /** Whether every range has been read. */
  public boolean isComplete() {
    return rangesDone == rangesTotal;
  }
}
