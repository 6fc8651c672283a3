package io.cursus.cassandra.internal;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.config.DriverConfig;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.type.reflect.GenericType;
import io.cursus.api.AggregateId;
import io.cursus.api.CursusException;
import io.cursus.api.Event;
import io.cursus.api.ProcessingIds;
import io.cursus.api.internal.CharacteristicBits;
import io.cursus.api.internal.Decisions;
import io.cursus.api.mapping.EventSchema;
import io.cursus.api.store.AppendCondition;
import io.cursus.api.store.AppendConflictException;
import io.cursus.api.store.ConsistencyToken;
import io.cursus.api.store.HistoryQuery;
import io.cursus.api.store.TimeRange;
import io.cursus.api.store.TokenNotReachedException;
import io.cursus.api.store.TokenedHistory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Conditional appends and token reads on the event table (ADR 8).
 *
 * <p>The aggregate's head lives in static columns of its event partition: {@code decisions} (how
 * many conditional appends), {@code decision_id} and {@code decision_mark} (the newest processing
 * id and the facts mark of the last one, to recognise it when it is retried), {@code decided_names}
 * (per event name, the decision that last wrote it), and the facts marks that plain appends keep
 * ({@link FactMarks}). A conditional append is one conditional batch on the partition, one Paxos
 * round: the head update, conditioned on the head it expects, with the events' rows. Then the
 * events are written again as a plain append, which gives their rows the first-capture write
 * timestamps (the Paxos round wrote them with the ballot's), their catalogue row and their facts
 * marks.
 *
 * <p>Thread-safe.
 */
public final class ConditionalAppends {

  /** Paxos rounds one append may take before it gives up (each lost to another writer). */
  static final int MAX_ROUNDS = 16;

  private static final int EVENT_COLUMNS = Cql.EVENT_COLUMNS.split(",").length;
  private static final GenericType<Map<String, Long>> DECIDED =
      GenericType.mapOf(String.class, Long.class);
  private static final GenericType<Map<String, UUID>> NAMED =
      GenericType.mapOf(String.class, UUID.class);

  private final CqlSession session;
  private final Cql cql;
  private final RowCodec rows;
  private final Consumer<List<Event>> plainAppend;
  private final RequestSettings readSettings;
  private final RequestSettings writeSettings;
  private final ConsistencyLevel readConsistency;
  private final ConsistencyLevel serialConsistency;
  private final Duration timeout;
  private final Duration readYourWritesWait;
  private final int pageSize;
  private final ConsistencyLevel quorum;
  private final PreparedStatement insertEvent;
  private final PreparedStatement readHead;
  private final Map<Integer, PreparedStatement> decide = new ConcurrentHashMap<>();
  private final Map<String, PreparedStatement> reads = new ConcurrentHashMap<>();

  /**
   * The options of {@link ConditionalAppends}, as the store has them: its read and write settings
   * (the writes' with their batch profile), the serial consistency of its Paxos rounds, how long a
   * read "at least a token" may try, and the page size of reads.
   */
  public record Options(
      RequestSettings reads,
      RequestSettings writes,
      ConsistencyLevel serialConsistency,
      Duration readYourWritesWait,
      int pageSize) {}

  /**
   * Conditional appends to the event table of {@code cql}, reading rows with {@code rows} and
   * writing the second, plain copy of each decision with {@code plainAppend}.
   *
   * @throws io.cursus.api.CursusException if a statement cannot be prepared
   */
  public ConditionalAppends(
      CqlSession session,
      Cql cql,
      RowCodec rows,
      Consumer<List<Event>> plainAppend,
      Options options) {
    this.session = session;
    this.cql = cql;
    this.rows = rows;
    this.plainAppend = plainAppend;
    this.readSettings = options.reads();
    this.writeSettings = options.writes();
    DriverConfig config = session.getContext().getConfig();
    // Reads escalate from the read consistency and budget their wait in timeouts: both are needed
    // as values, so those the store leaves to its profile are taken from the profile.
    this.readConsistency = readSettings.effectiveConsistency(config);
    this.timeout = readSettings.effectiveTimeout(config);
    this.serialConsistency = options.serialConsistency();
    this.readYourWritesWait = options.readYourWritesWait();
    this.pageSize = options.pageSize();
    this.quorum =
        serialConsistency == DefaultConsistencyLevel.SERIAL
            ? DefaultConsistencyLevel.QUORUM
            : DefaultConsistencyLevel.LOCAL_QUORUM;
    this.insertEvent = Cql.prepare(session, cql.insertDecidedEvent());
    this.readHead = Cql.prepare(session, cql.selectHead());
  }

  // ---------------------------------------------------------------------------------------------
  // Appending

  /** See {@link io.cursus.api.store.DecisionLog#append(List, AppendCondition)}. */
  public ConsistencyToken append(List<Event> events, AppendCondition condition) {
    requireNonNull(events, "events must not be null");
    requireNonNull(condition, "condition must not be null");
    List<Event> captured = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      Event event = events.get(i);
      if (event == null) {
        throw new IllegalArgumentException(
            "event " + i + " of a batch of " + events.size() + " is null; nothing was written");
      }
      captured.add(event.captured());
    }
    AggregateId aggregate = Decisions.aggregateOf(captured);
    ConsistencyToken since = condition.token().orElse(null);
    if (since != null) {
      since.requireBelongsTo(aggregate);
    }
    UUID batch = Decisions.newestProcessingId(captured);
    if (condition.kind() == AppendCondition.Kind.NONE) {
      plainAppend.accept(captured);
      return ConsistencyToken.of(aggregate, 0, batch, batch);
    }
    List<BoundStatement> inserts = new ArrayList<>(captured.size());
    for (Event event : captured) {
      inserts.add(insert(event)); // fails here, before any write, for an undeclared event type
    }
    Guess guess = Guess.from(since, condition);
    for (int round = 1; round <= MAX_ROUNDS; round++) {
      @Nullable Head head;
      try {
        Row refused = decide(aggregate, captured, inserts, guess, batch);
        if (refused == null) {
          head = null;
        } else {
          // A refused round returns the head columns it compared, as its serial read found them.
          head = Head.ofRefused(refused);
          if (batch.equals(head.decisionId)) {
            head = readHead(aggregate, serialConsistency); // for the decision's own mark
          }
        }
      } catch (RuntimeException e) {
        if (!Failures.isTransient(Failures.unwrap(e))) {
          throw Failures.classify(e, "appending to " + aggregate + " on a condition");
        }
        head = resolve(aggregate, guess, batch, e);
      }
      if (head == null) {
        return sealed(
            captured,
            ConsistencyToken.of(
                aggregate, guess.decisions + 1, newest(guess.factsMark, batch), batch));
      }
      if (batch.equals(head.decisionId)) {
        // Applied: by this round (whose answer was lost) or by an earlier call with these events.
        return sealed(
            captured, ConsistencyToken.of(aggregate, head.decisions, head.decisionMark, batch));
      }
      if (since != null && since.decisions() > head.decisions) {
        throw new IllegalArgumentException(
            "consistency token "
                + since
                + " is ahead of everything the store has for "
                + aggregate
                + " ("
                + head.decisions
                + " decisions, the token counts "
                + since.decisions()
                + "): it comes from another store, or from a table that lost data");
      }
      if (!head.complete) {
        // Which events were decided since the token is not among the columns compared: read the
        // whole head, at a quorum, which shows every committed decision unless a commit is still
        // on its way to a replica; then (rarely) at the serial consistency, which finishes it. The
        // next round checks the guess made from it anyway.
        Head compared = head;
        try {
          head = readHead(aggregate, quorum);
          if (head.decisions < compared.decisions) {
            head = readHead(aggregate, serialConsistency);
          }
        } catch (RuntimeException e) {
          throw Failures.classify(
              e,
              "reading the head of "
                  + aggregate
                  + " after its conditional append was refused (nothing was written)");
        }
      }
      AppendConflictException conflict = head.conflict(aggregate, condition, since);
      if (conflict != null) {
        throw conflict;
      }
      guess = head.guess(condition);
    }
    throw Failures.transientFailure(
        "conditional append to "
            + aggregate
            + " gave up after "
            + MAX_ROUNDS
            + " Paxos rounds, each overtaken by another writer of the aggregate; nothing was"
            + " written, and trying again later may succeed",
        null);
  }

  /**
   * The head after a round whose outcome is unknown (a timeout, say). If a read at a quorum shows
   * the round's decision, it was applied; if it shows a later decision than the one the round
   * expected, it was not and never will be (a Paxos round that finished after it would have
   * finished it first). Otherwise a serial read settles it: it finishes or supersedes the round.
   */
  private Head resolve(
      AggregateId aggregate, Guess guess, UUID batch, RuntimeException roundFailure) {
    try {
      Head head = readHead(aggregate, quorum);
      if (batch.equals(head.decisionId) || head.decisions > guess.decisions) {
        return head;
      }
      return readHead(aggregate, serialConsistency);
    } catch (RuntimeException e) {
      e.addSuppressed(roundFailure);
      throw Failures.transientFailure(
          "the outcome of a conditional append to "
              + aggregate
              + " is unknown: its Paxos round failed ("
              + roundFailure.getMessage()
              + ") and the serial read that would tell failed too; append the same captured"
              + " events with the same condition again: if the first was applied, it is"
              + " recognised and its token returned",
          e);
    }
  }

  /** Writes the events again as a plain append (ADR 8), then returns {@code token}. */
  private ConsistencyToken sealed(List<Event> captured, ConsistencyToken token) {
    try {
      plainAppend.accept(captured);
    } catch (CursusException e) {
      throw Failures.transientFailure(
          "the conditional append to "
              + captured.get(0).aggregateId()
              + " was applied (token "
              + token
              + "), but writing its events again as a plain append failed ("
              + e.getMessage()
              + "); append the same captured events with the same condition again to finish:"
              + " the applied append is recognised and its token returned",
          e);
    }
    return token;
  }

  /** One Paxos round: null if it applied, else the row of the head it compared. */
  private @Nullable Row decide(
      AggregateId aggregate,
      List<Event> captured,
      List<BoundStatement> inserts,
      Guess guess,
      UUID batch) {
    int names = guess.factNames.size();
    PreparedStatement statement =
        decide.computeIfAbsent(names, n -> Cql.prepare(session, cql.decide(n)));
    long decisions = guess.decisions + 1;
    Map<String, Long> decided = new LinkedHashMap<>();
    for (Event event : captured) {
      decided.put(event.type().name(), decisions);
    }
    BoundStatementBuilder update =
        statement
            .boundStatementBuilder()
            .setLong(0, decisions)
            .setUuid(1, batch)
            .setUuid(2, newest(guess.factsMark, batch))
            .setMap(3, decided, String.class, Long.class)
            .setString(4, aggregate.type())
            .setString(5, aggregate.id());
    update = guess.decisions == 0 ? update.setToNull(6) : update.setLong(6, guess.decisions);
    update = setUuidOrNull(update, 7, guess.factsMark);
    // always true but on a retry of an applied append; it makes a refusal return decision_id
    update = update.setUuid(8, batch);
    int i = 9;
    for (Map.Entry<String, @Nullable UUID> name : guess.factNames.entrySet()) {
      update = setUuidOrNull(update.setString(i, name.getKey()), i + 1, name.getValue());
      i += 2;
    }
    List<BoundStatement> writes = new ArrayList<>(inserts.size() + 1);
    writes.add(update.build());
    writes.addAll(inserts);
    ResultSet result =
        session.execute(PartitionBatches.conditional(writes, writeSettings, serialConsistency));
    return result.wasApplied() ? null : result.one();
  }

  private static BoundStatementBuilder setUuidOrNull(
      BoundStatementBuilder builder, int index, @Nullable UUID value) {
    return value == null ? builder.setToNull(index) : builder.setUuid(index, value);
  }

  private BoundStatement insert(Event event) {
    EventSchema schema = rows.schemaFor(event);
    return insertEvent
        .boundStatementBuilder()
        .setString(0, event.aggregateId().type())
        .setString(1, event.aggregateId().id())
        .setInstant(2, event.eventTime())
        .setString(3, event.timestamp().streamId())
        .setUuid(4, event.processingId().orElseThrow())
        .setString(5, event.type().name())
        .setString(6, event.type().version())
        .set(7, rows.parameters(schema, event), RowCodec.PARAMETERS)
        .setInt(8, CharacteristicBits.toMask(event.characteristics()))
        .build();
  }

  private Head readHead(AggregateId aggregate, ConsistencyLevel consistency) {
    return readHead(aggregate, consistency, timeout);
  }

  private Head readHead(AggregateId aggregate, ConsistencyLevel consistency, Duration timeout) {
    Row row =
        session
            .execute(
                profiled(readHead.bind(aggregate.type(), aggregate.id()))
                    .setConsistencyLevel(consistency)
                    .setTimeout(timeout))
            .one();
    return Head.of(row);
  }

  private static @Nullable UUID newest(@Nullable UUID a, UUID b) {
    return a == null || ProcessingIds.compare(b, a) > 0 ? b : a;
  }

  private static boolean after(@Nullable UUID mark, @Nullable UUID reference) {
    return mark != null && (reference == null || ProcessingIds.compare(mark, reference) > 0);
  }

  /** What a Paxos round expects to find: it applies only if the head is exactly this. */
  private record Guess(
      long decisions, @Nullable UUID factsMark, Map<String, @Nullable UUID> factNames) {

    /** The first guess: the head is as the token saw it, with no fact of the named events yet. */
    static Guess from(@Nullable ConsistencyToken since, AppendCondition condition) {
      Map<String, @Nullable UUID> names = new LinkedHashMap<>();
      for (String name : condition.eventNames()) {
        names.put(name, null);
      }
      return since == null
          ? new Guess(0, null, names)
          : new Guess(since.decisions(), since.facts().orElse(null), names);
    }
  }

  /** The head of an aggregate as read from its static columns. */
  private record Head(
      long decisions,
      @Nullable UUID decisionId,
      @Nullable UUID decisionMark,
      Map<String, Long> decidedNames,
      @Nullable UUID factsMark,
      Map<String, UUID> factNames,
      boolean complete) {

    static Head of(@Nullable Row row) {
      if (row == null) {
        return new Head(0, null, null, Map.of(), null, Map.of(), true);
      }
      Map<String, Long> decided = row.get(3, DECIDED);
      Map<String, UUID> named = row.get(5, NAMED);
      return new Head(
          row.isNull(0) ? 0 : row.getLong(0),
          row.getUuid(1),
          row.getUuid(2),
          decided == null ? Map.of() : decided,
          row.getUuid(4),
          named == null ? Map.of() : named,
          true);
    }

    /**
     * The head columns a refused round compared ({@code decisions}, {@code facts_mark}, {@code
     * decision_id}, and {@code fact_names} if it compared names); incomplete, since it lacks the
     * rest.
     */
    static Head ofRefused(@Nullable Row row) {
      if (row == null) {
        return new Head(0, null, null, Map.of(), null, Map.of(), false);
      }
      var columns = row.getColumnDefinitions();
      Map<String, UUID> named =
          columns.contains("fact_names") ? row.get("fact_names", NAMED) : null;
      return new Head(
          !columns.contains("decisions") || row.isNull("decisions") ? 0 : row.getLong("decisions"),
          columns.contains("decision_id") ? row.getUuid("decision_id") : null,
          null,
          Map.of(),
          columns.contains("facts_mark") ? row.getUuid("facts_mark") : null,
          named == null ? Map.of() : named,
          false);
    }

    ConsistencyToken token(AggregateId aggregate) {
      return ConsistencyToken.of(aggregate, decisions, factsMark, null);
    }

    /** The next guess, once {@link #conflict} found that the condition still holds. */
    Guess guess(AppendCondition condition) {
      Map<String, @Nullable UUID> names = new LinkedHashMap<>();
      for (String name : condition.eventNames()) {
        names.put(name, factNames.get(name));
      }
      return new Guess(decisions, factsMark, names);
    }

    /** The conflict if {@code condition} is false on this head, else null. */
    @Nullable AppendConflictException conflict(
        AggregateId aggregate, AppendCondition condition, @Nullable ConsistencyToken since) {
      long sinceDecisions = since == null ? 0 : since.decisions();
      UUID sinceFacts = since == null ? null : since.facts().orElse(null);
      Set<String> changed = new TreeSet<>();
      decidedNames.forEach(
          (name, decision) -> {
            if (decision > sinceDecisions) {
              changed.add(name);
            }
          });
      factNames.forEach(
          (name, mark) -> {
            if (after(mark, sinceFacts)) {
              changed.add(name);
            }
          });
      boolean holds =
          switch (condition.kind()) {
            case NO_EVENTS_YET -> decisions == 0 && factsMark == null;
            case UNCHANGED_SINCE ->
                decisions == sinceDecisions && java.util.Objects.equals(factsMark, sinceFacts);
            case NO_EVENTS_NAMED_SINCE -> {
              changed.retainAll(condition.eventNames());
              yield changed.isEmpty();
            }
            case NONE -> true;
          };
      if (holds) {
        return null;
      }
      long decisionsSince = decisions - sinceDecisions;
      // The second, plain copy of a decision moves the facts mark too; facts are what moved it
      // beyond the last decision's own mark.
      UUID factsReference = decisionsSince > 0 ? newest(sinceFacts, decisionMark) : sinceFacts;
      return new AppendConflictException(
          aggregate,
          condition,
          token(aggregate),
          decisionsSince,
          after(factsMark, factsReference),
          changed);
    }

    private static @Nullable UUID newest(@Nullable UUID a, @Nullable UUID b) {
      if (a == null) {
        return b;
      }
      return b == null || ProcessingIds.compare(a, b) >= 0 ? a : b;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Reading with a token

  /** See {@link io.cursus.api.store.DecisionLog#historyWithToken(AggregateId, HistoryQuery)}. */
  public TokenedHistory historyWithToken(AggregateId aggregate, HistoryQuery query) {
    requireNonNull(aggregate, "aggregate id must not be null");
    requireNonNull(query, "query must not be null");
    try {
      return read(aggregate, query, readConsistency, timeout);
    } catch (RuntimeException e) {
      throw Failures.classify(e, "reading the history and token of " + aggregate);
    }
  }

  /**
   * See {@link io.cursus.api.store.DecisionLog#historyWithToken(AggregateId, HistoryQuery,
   * ConsistencyToken)}: reads at the store's read consistency, then, while the history is behind
   * the token, at {@code LOCAL_QUORUM} (if the read consistency is weaker), until the wait is over.
   */
  public TokenedHistory historyWithToken(
      AggregateId aggregate, HistoryQuery query, ConsistencyToken atLeast) {
    requireNonNull(aggregate, "aggregate id must not be null");
    requireNonNull(query, "query must not be null");
    requireNonNull(atLeast, "token must not be null");
    atLeast.requireBelongsTo(aggregate);
    List<ConsistencyLevel> levels = new ArrayList<>(List.of(readConsistency));
    if (weak(readConsistency)) {
      levels.add(DefaultConsistencyLevel.LOCAL_QUORUM);
    }
    long began = System.nanoTime();
    long deadline = began + readYourWritesWait.toNanos();
    TokenedHistory newest = null;
    CursusException lastFailure = null;
    boolean checkedAhead = false;
    for (int attempt = 0; ; attempt++) {
      ConsistencyLevel level = levels.get(Math.min(attempt, levels.size() - 1));
      // no request may outlast the wait (a node that is down but not yet known to be answers late)
      Duration budget =
          Duration.ofNanos(
              Math.min(timeout.toNanos(), Math.max(deadline - System.nanoTime(), 100_000_000L)));
      try {
        TokenedHistory read = read(aggregate, query, level, budget);
        if (reached(read, atLeast, level)) {
          return read;
        }
        newest = read;
        lastFailure = null;
        if (attempt >= levels.size() - 1 && !checkedAhead) {
          Head head = readHead(aggregate, serialConsistency, budget);
          checkedAhead = true;
          if (atLeast.decisions() > head.decisions) {
            throw new IllegalArgumentException(
                "consistency token "
                    + atLeast
                    + " is ahead of everything the store has for "
                    + aggregate
                    + " (at "
                    + head.token(aggregate)
                    + "): it comes from another store, or from a table that lost data");
          }
        }
      } catch (IllegalArgumentException e) {
        throw e;
      } catch (RuntimeException e) {
        CursusException failure = Failures.classify(e, "reading the history of " + aggregate);
        if (!failure.isTransient()) {
          throw failure;
        }
        lastFailure = failure;
      }
      if (System.nanoTime() > deadline) {
        throw new TokenNotReachedException(
            aggregate,
            atLeast,
            newest == null ? ConsistencyToken.of(aggregate, 0, null, null) : newest.token(),
            Duration.ofNanos(System.nanoTime() - began),
            "read at " + levels + ", then again at " + levels.get(levels.size() - 1),
            lastFailure);
      }
      try {
        Thread.sleep(Math.min(200, 10L << Math.min(attempt, 5)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Failures.transientFailure(
            "interrupted while waiting for " + aggregate + " to reach token " + atLeast, e);
      }
    }
  }

  private static boolean weak(ConsistencyLevel level) {
    return switch (level.name()) {
      case "ANY", "ONE", "TWO", "THREE", "LOCAL_ONE" -> true;
      default -> false;
    };
  }

  /**
   * Whether {@code read} stands for at least {@code token}. A replica's head can be ahead of some
   * of its rows (it may have missed one write and received a later one), so at a weak consistency a
   * token from an append also needs that append's newest event among the rows read; a read at a
   * quorum overlaps every quorum write.
   */
  private static boolean reached(
      TokenedHistory read, ConsistencyToken token, ConsistencyLevel level) {
    if (!read.token().isAtLeast(token)) {
      return false;
    }
    UUID appended = token.appended().orElse(null);
    if (appended == null || !weak(level)) {
      return true;
    }
    for (Event event : read.events()) {
      if (appended.equals(event.processingId().orElse(null))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Reads the rows with the head's columns, which each row carries: one read, so the head cannot be
   * ahead of the rows. An empty answer carries no head, so then the head is read first and the rows
   * after it: rows written in between are more than the token says, never less.
   */
  private TokenedHistory read(
      AggregateId aggregate, HistoryQuery query, ConsistencyLevel level, Duration timeout) {
    TokenedHistory rowsFirst = readRows(aggregate, query, level, timeout);
    if (rowsFirst != null) {
      return rowsFirst;
    }
    ConsistencyToken head = readHead(aggregate, level, timeout).token(aggregate);
    TokenedHistory rowsAfter = readRows(aggregate, query, level, timeout);
    return rowsAfter != null ? rowsAfter : new TokenedHistory(aggregate, List.of(), head);
  }

  private @Nullable TokenedHistory readRows(
      AggregateId aggregate, HistoryQuery query, ConsistencyLevel level, Duration timeout) {
    ResultSet result = session.execute(rowsStatement(aggregate, query, level, timeout));
    Iterator<Row> rowIterator = result.iterator();
    if (!rowIterator.hasNext()) {
      return null;
    }
    int statics = EVENT_COLUMNS;
    ConsistencyToken token = null;
    List<Event> read = new ArrayList<>();
    while (rowIterator.hasNext()) {
      Row row = rowIterator.next();
      if (token == null) { // the first page's head: later pages may be newer, never older
        token =
            ConsistencyToken.of(
                aggregate,
                row.isNull(statics) ? 0 : row.getLong(statics),
                row.getUuid(statics + 1),
                null);
      }
      read.add(rows.read(aggregate, row, 0));
    }
    List<Event> events = new ArrayList<>(read.size());
    new SameTimeReversed(read.iterator())
        .forEachRemaining(
            e -> {
              if (query.matches(e)) {
                events.add(e);
              }
            });
    return new TokenedHistory(aggregate, events, token);
  }

  private BoundStatement rowsStatement(
      AggregateId aggregate, HistoryQuery query, ConsistencyLevel level, Duration timeout) {
    TimeRange range = query.range();
    PreparedStatement statement =
        reads.computeIfAbsent(
            range.lower().map(b -> b.inclusive() ? ">=" : ">").orElse("")
                + "|"
                + range.upper().map(b -> b.inclusive() ? "<=" : "<").orElse("")
                + "|"
                + query.order(),
            key -> Cql.prepare(session, cql.selectHistoryWithHead(range, query.order())));
    List<Object> values = new ArrayList<>(4);
    values.add(aggregate.type());
    values.add(aggregate.id());
    range.lower().ifPresent(b -> values.add(b.instant()));
    range.upper().ifPresent(b -> values.add(b.instant()));
    return profiled(statement.bind(values.toArray()))
        .setPageSize(pageSize)
        .setConsistencyLevel(level)
        .setTimeout(timeout);
  }

  /** {@code statement} run with the read settings' execution profile, if they name one. */
  private BoundStatement profiled(BoundStatement statement) {
    String profile = readSettings.profile();
    return profile == null ? statement : statement.setExecutionProfileName(profile);
  }
}
