package io.cursus.api.evolution;

/**
 * How far a migration of stored events to their newest versions has come.
 *
 * @param rangesDone parts of the store migrated completely, including those an earlier run of the
 *     same migration finished (token ranges in Cassandra; the in-memory store is one part)
 * @param rangesTotal parts in all
 * @param eventsRead stored events of the aggregate type this run read
 * @param eventsRewritten stored events this run rewrote (replaced, split or deleted); an event
 *     already at a declared version is read and left as it is
 */
public record MigrationProgress(
    int rangesDone, int rangesTotal, long eventsRead, long eventsRewritten) {

  /** Whether every part has been migrated. */
  public boolean isComplete() {
    return rangesDone == rangesTotal;
  }
}
