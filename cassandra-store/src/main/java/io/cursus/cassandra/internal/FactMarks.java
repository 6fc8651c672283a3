package io.cursus.cassandra.internal;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.ProcessingIds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The marks a plain (blind) append leaves in the static columns of each partition it writes, so
 * that a conditional append, whose lightweight transaction can read static columns, sees facts (ADR
 * 8): {@code facts_mark}, the newest processing id a plain append wrote to the aggregate, and
 * {@code fact_names[name]}, the newest per event name.
 *
 * <p>Each mark is written with its processing id's own time (in 100 ns ticks) as write timestamp,
 * so each cell keeps the newest capture whatever order the writes arrive in, a repeat of a stored
 * event rewrites the same value at the same timestamp (no change), and no read is needed. These
 * cells are never written by a lightweight transaction, so ballot timestamps never meet them.
 * Thread-safe.
 */
public final class FactMarks {

  private final PreparedStatement markNewest;
  private final PreparedStatement markName;
  private final RequestSettings writes;

  public FactMarks(CqlSession session, Cql cql, RequestSettings writes) {
    this.markNewest = Cql.prepare(session, cql.markFacts());
    this.markName = Cql.prepare(session, cql.markFactName());
    this.writes = writes;
  }

  /** The write timestamp of a mark: the processing id's time in 100 ns ticks. */
  static long timestampOf(UUID processingId) {
    return processingId.timestamp();
  }

  /**
   * The statements that mark {@code events}, captured and all of {@code aggregate}: one for the
   * newest processing id (with its name), one for the newest of each other name.
   */
  public List<BoundStatement> statements(AggregateId aggregate, List<Event> events) {
    Map<String, UUID> newestByName = new LinkedHashMap<>();
    String newestName = null;
    UUID newest = null;
    for (Event event : events) {
      UUID id = event.processingId().orElseThrow();
      String name = event.type().name();
      newestByName.merge(name, id, (a, b) -> ProcessingIds.compare(a, b) >= 0 ? a : b);
      if (newest == null || ProcessingIds.compare(id, newest) > 0) {
        newest = id;
        newestName = name;
      }
    }
    List<BoundStatement> statements = new ArrayList<>(newestByName.size());
    if (newest == null) {
      return statements;
    }
    statements.add(
        writes
            .applyTo(
                markNewest
                    .boundStatementBuilder()
                    .setLong(0, timestampOf(newest))
                    .setUuid(1, newest)
                    .setString(2, newestName)
                    .setUuid(3, newest)
                    .setString(4, aggregate.type())
                    .setString(5, aggregate.id())
                    .setIdempotence(true))
            .build());
    for (Map.Entry<String, UUID> name : newestByName.entrySet()) {
      if (name.getKey().equals(newestName)) {
        continue;
      }
      statements.add(
          writes
              .applyTo(
                  markName
                      .boundStatementBuilder()
                      .setLong(0, timestampOf(name.getValue()))
                      .setString(1, name.getKey())
                      .setUuid(2, name.getValue())
                      .setString(3, aggregate.type())
                      .setString(4, aggregate.id())
                      .setIdempotence(true))
              .build());
    }
    return statements;
  }
}
