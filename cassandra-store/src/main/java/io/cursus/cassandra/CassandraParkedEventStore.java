package io.cursus.cassandra;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.projection.ParkedEvent;
import io.cursus.api.projection.ParkedEventStore;
import io.cursus.cassandra.internal.Cql;
import io.cursus.cassandra.internal.Failures;
import io.cursus.json.EventJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What projections parked, in the table {@code projection_parked} of a keyspace, created by {@link
 * CassandraSchema}: one partition per projection, one row per parked key, the events as JSON
 * envelopes ({@link EventJson}) so that an operator can read them with {@code cqlsh}. Parked events
 * outlive the process: list them with {@link io.cursus.api.projection.Projections#parked} and
 * redeliver them with {@link io.cursus.api.projection.Projections#redeliver} after a fix, from any
 * process running the projection.
 *
 * <pre>{@code
 * ParkedEventStore parked = CassandraParkedEventStore.using(session, tables, registry);
 * }</pre>
 *
 * <p>Reads and writes use {@code LOCAL_QUORUM} and a 10 s timeout. Thread-safe; the session is the
 * caller's.
 */
public final class CassandraParkedEventStore implements ParkedEventStore {

  private static final ConsistencyLevel CONSISTENCY = DefaultConsistencyLevel.LOCAL_QUORUM;
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final CqlSession session;
  private final EventJson json;
  private final PreparedStatement insert;
  private final PreparedStatement select;
  private final PreparedStatement selectKey;
  private final PreparedStatement delete;

  private CassandraParkedEventStore(
      CqlSession session, CassandraTables tables, EventTypeRegistry registry) {
    this.session = requireNonNull(session, "session must not be null");
    requireNonNull(registry, "registry must not be null");
    // A parked event was read, perhaps from a message up to the reader's limit, which is above the
    // limit of one event emitted: parking writes whatever a reader of this registry reads.
    int readable = EventJson.using(registry).maxBytes();
    this.json = EventJson.using(registry.withMaxEventBytes(readable));
    Cql cql = new Cql(requireNonNull(tables, "tables must not be null"));
    this.insert = Cql.prepare(session, cql.insertParked());
    this.select = Cql.prepare(session, cql.selectParked());
    this.selectKey = Cql.prepare(session, cql.selectParkedKey());
    this.delete = Cql.prepare(session, cql.deleteParked());
  }

  /**
   * Parked events in the keyspace of {@code tables}, whose schema {@link CassandraSchema#create}
   * has created; {@code registry} must know every event type the projections read.
   */
  public static CassandraParkedEventStore using(
      CqlSession session, CassandraTables tables, EventTypeRegistry registry) {
    return new CassandraParkedEventStore(session, tables, registry);
  }

  @Override
  public void park(ParkedEvent parked) {
    requireNonNull(parked, "parked event must not be null");
    List<String> events = new ArrayList<>(parked.events().size());
    for (Event event : parked.events()) {
      events.add(new String(json.write(event), StandardCharsets.UTF_8));
    }
    try {
      session.execute(
          insert
              .bind(
                  parked.projection(),
                  parked.key(),
                  parked.generation(),
                  parked.aggregate().type(),
                  parked.aggregate().id(),
                  events,
                  parked.reason(),
                  parked.attempts(),
                  parked.parkedAt())
              .setConsistencyLevel(CONSISTENCY)
              .setTimeout(TIMEOUT));
    } catch (RuntimeException e) {
      throw Failures.classify(
          e, "parking '" + parked.key() + "' of projection '" + parked.projection() + "'");
    }
  }

  @Override
  public List<ParkedEvent> list(String projection) {
    requireNonNull(projection, "projection must not be null");
    List<ParkedEvent> all = new ArrayList<>();
    try {
      for (Row row :
          session.execute(
              select.bind(projection).setConsistencyLevel(CONSISTENCY).setTimeout(TIMEOUT))) {
        all.add(read(row));
      }
    } catch (RuntimeException e) {
      throw Failures.classify(e, "listing what projection '" + projection + "' parked");
    }
    all.sort(Comparator.comparing(ParkedEvent::parkedAt).thenComparing(ParkedEvent::key));
    return all;
  }

  @Override
  public Optional<ParkedEvent> get(String projection, String key) {
    requireNonNull(projection, "projection must not be null");
    requireNonNull(key, "key must not be null");
    try {
      Row row =
          session
              .execute(
                  selectKey
                      .bind(projection, key)
                      .setConsistencyLevel(CONSISTENCY)
                      .setTimeout(TIMEOUT))
              .one();
      return row == null ? Optional.empty() : Optional.of(read(row));
    } catch (RuntimeException e) {
      throw Failures.classify(e, "reading '" + key + "' parked by projection '" + projection + "'");
    }
  }

  @Override
  public void remove(String projection, String key) {
    requireNonNull(projection, "projection must not be null");
    requireNonNull(key, "key must not be null");
    try {
      session.execute(
          delete.bind(projection, key).setConsistencyLevel(CONSISTENCY).setTimeout(TIMEOUT));
    } catch (RuntimeException e) {
      throw Failures.classify(
          e, "removing '" + key + "' parked by projection '" + projection + "'");
    }
  }

  private ParkedEvent read(Row row) {
    List<Event> events = new ArrayList<>();
    for (String text : row.getList("events", String.class)) {
      events.add(json.read(text.getBytes(StandardCharsets.UTF_8)));
    }
    return new ParkedEvent(
        row.getString("projection"),
        row.getInt("generation"),
        row.getString("parked_key"),
        new AggregateId(row.getString("aggregate_type"), row.getString("aggregate_id")),
        events,
        row.getString("reason"),
        row.getInt("attempts"),
        requireNonNull(row.getInstant("parked_at"), "parked_at"));
  }
}
