package io.cursus.cassandra;

import static java.util.Objects.requireNonNull;

import io.cursus.api.evolution.MigrationProgress;
import io.cursus.cassandra.internal.TokenRangeMigration;
import java.util.function.Consumer;

/**
 * An active migration of one aggregate type's stored events to the newest versions, in place: what
 * {@link CassandraEventStore#migration} builds. Every stored row of a version the store's registry
 * no longer declares is replaced by what the registry's upcasters make of it (one row, several for
 * a split, none for a drop), so that reads stop paying for upcasting. Mutable until {@link #run}.
 *
 * <p>What it keeps: each rewritten row keeps its event time, stream and processing id, and is
 * written with the stored row's write timestamp plus one microsecond, so event-time order and
 * first-capture-wins are as before (a later copy of the event still loses). A row's replacement is
 * one single-partition batch, so a reader sees the row either before or after; histories read the
 * same before, during and after a migration, through the same upcasters.
 *
 * <p>How it runs: the event table's token ranges are scanned in parallel ({@link #parallelism}), at
 * most {@link #maxEventsPerSecond} rows read a second over all threads; each finished range is
 * saved in the {@code <event table>_migrations} table under the migration's {@link #name}, and
 * {@link #progress} is told. A run that stops (its thread interrupted, its process killed) is
 * resumed by running the migration of the same name again: the ranges saved are passed over, and
 * rows of a range not saved that were already rewritten are at a declared version, so they are left
 * alone. When every range is done the saved progress is removed, so a later run sweeps the whole
 * table again (finding nothing to rewrite unless older events arrived since).
 */
public final class CassandraMigration {

  private final TokenRangeMigration migration;
  private final String aggregateType;
  private String name;
  private int parallelism = 4;
  private int segments = 256;
  private long maxEventsPerSecond;
  private Consumer<? super MigrationProgress> progress = p -> {};

  CassandraMigration(TokenRangeMigration migration, String aggregateType) {
    this.migration = migration;
    this.aggregateType = requireNonNull(aggregateType, "aggregate type must not be null");
    this.name = aggregateType;
  }

  /**
   * The name its progress is saved under (default: the aggregate type). A stopped run resumes when
   * a migration of the same name runs again.
   */
  public CassandraMigration name(String name) {
    requireNonNull(name, "name must not be null");
    if (name.isBlank()) {
      throw new IllegalArgumentException("migration name must not be blank");
    }
    this.name = name;
    return this;
  }

  /** Token ranges migrated at once, each on a thread of its own (default 4). */
  public CassandraMigration parallelism(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, was " + threads);
    }
    this.parallelism = threads;
    return this;
  }

  /**
   * How many ranges the ring is cut into (default 256): the unit of progress and of resumption. A
   * resumed run must use the number the stopped one used, or it starts over (harmlessly).
   */
  public CassandraMigration segments(int segments) {
    if (segments < 1) {
      throw new IllegalArgumentException("segments must be at least 1, was " + segments);
    }
    this.segments = segments;
    return this;
  }

  /** At most this many stored rows read a second, over all threads (default: no limit). */
  public CassandraMigration maxEventsPerSecond(long events) {
    if (events < 1) {
      throw new IllegalArgumentException("max events per second must be positive, was " + events);
    }
    this.maxEventsPerSecond = events;
    return this;
  }

  /**
   * Told after each range, from the migration's threads (so it must be thread-safe): ranges done
   * (counting those a stopped run saved) and events this run read and rewrote.
   */
  public CassandraMigration progress(Consumer<? super MigrationProgress> progress) {
    this.progress = requireNonNull(progress, "progress must not be null");
    return this;
  }

  /**
   * Runs the migration on the calling thread and its own, until every range is done.
   *
   * @return the final progress (complete)
   * @throws io.cursus.api.TransientCursusException if the calling thread is interrupted; the ranges
   *     finished stay saved, and running it again resumes
   * @throws io.cursus.api.store.UnreadableEventException naming the event and upcaster if a step
   *     fails: that row is left as it was; fix the upcaster and run it again
   * @throws io.cursus.api.CursusException if Cassandra fails, saying whether a retry can help
   */
  public MigrationProgress run() {
    return migration.run(aggregateType, name, parallelism, segments, maxEventsPerSecond, progress);
  }
}
