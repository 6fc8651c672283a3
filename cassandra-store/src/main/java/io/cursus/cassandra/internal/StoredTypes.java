package io.cursus.cassandra.internal;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.cursus.api.Event;
import io.cursus.api.EventType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The event types (aggregate type, name, version) a store has written, in a small table ({@link
 * Cql#typesTable}) written once per new type per store object, so that a start-up check reads them
 * without scanning the events. Thread-safe.
 */
public final class StoredTypes {

  private final CqlSession session;
  private final Cql cql;
  private final RequestSettings reads;
  private final RequestSettings writes;
  private final Set<EventType> recorded = ConcurrentHashMap.newKeySet();
  private volatile PreparedStatement insert;

  public StoredTypes(CqlSession session, Cql cql, RequestSettings reads, RequestSettings writes) {
    this.session = requireNonNull(session, "session must not be null");
    this.cql = requireNonNull(cql, "cql must not be null");
    this.reads = requireNonNull(reads, "reads must not be null");
    this.writes = requireNonNull(writes, "writes must not be null");
  }

  /**
   * Records the types of {@code events} this object has not recorded yet, before they are written:
   * a type is then never in the event table without being in this one. Blocks for the (rare) writes
   * of new types; answers at once when every type is known.
   */
  public void record(Collection<Event> events) {
    List<EventType> fresh = fresh(events);
    if (fresh.isEmpty()) {
      return;
    }
    PreparedStatement statement = insert;
    if (statement == null) {
      statement = Cql.prepare(session, cql.insertType());
      insert = statement;
    }
    for (EventType type : fresh) {
      try {
        session.execute(bind(statement, type));
      } catch (RuntimeException e) {
        throw Failures.classify(e, "recording the stored event type " + type);
      }
      recorded.add(type);
    }
  }

  /**
   * Records the types of {@code events} as {@link #record} does, without blocking: one type after
   * another, with the driver's asynchronous calls. The stage fails with what {@link #record} would
   * have thrown.
   */
  public CompletionStage<Void> recordAsync(Collection<Event> events) {
    List<EventType> fresh = fresh(events);
    if (fresh.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    PreparedStatement known = insert;
    CompletionStage<PreparedStatement> prepared =
        known != null
            ? CompletableFuture.completedFuture(known)
            : session
                .prepareAsync(cql.insertType())
                .handle(
                    (statement, failure) -> {
                      if (failure != null) {
                        throw Failures.classify(
                            Failures.unwrap(failure),
                            "preparing " + cql.insertType() + " (has the schema been created?)");
                      }
                      insert = statement;
                      return statement;
                    });
    CompletionStage<Void> done = prepared.thenApply(statement -> null);
    for (EventType type : fresh) {
      done =
          done.thenCompose(
              ignored ->
                  session
                      .executeAsync(bind(insert, type))
                      .handle(
                          (result, failure) -> {
                            if (failure != null) {
                              throw Failures.classify(
                                  Failures.unwrap(failure),
                                  "recording the stored event type " + type);
                            }
                            recorded.add(type);
                            return null;
                          }));
    }
    return done;
  }

  private List<EventType> fresh(Collection<Event> events) {
    List<EventType> fresh = new ArrayList<>();
    for (Event event : events) {
      if (event != null && !recorded.contains(event.type()) && !fresh.contains(event.type())) {
        fresh.add(event.type());
      }
    }
    return fresh;
  }

  private BoundStatement bind(PreparedStatement statement, EventType type) {
    return writes
        .applyTo(
            statement
                .boundStatementBuilder(type.aggregateType(), type.name(), type.version())
                .setIdempotence(true))
        .build();
  }

  /** Every type recorded, by any store writing to this table. */
  public Set<EventType> all() {
    Set<EventType> types = new LinkedHashSet<>();
    try {
      PreparedStatement select = Cql.prepare(session, cql.selectTypes());
      for (Row row : session.execute(reads.applyTo(select.boundStatementBuilder()).build())) {
        types.add(
            EventType.of(
                requireNonNull(row.getString(0)),
                requireNonNull(row.getString(1)),
                requireNonNull(row.getString(2))));
      }
    } catch (RuntimeException e) {
      throw Failures.classify(e, "reading the stored event types");
    }
    return types;
  }
}
