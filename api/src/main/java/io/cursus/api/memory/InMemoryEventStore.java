package io.cursus.api.memory;

import static java.util.Objects.requireNonNull;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.EventType;
import io.cursus.api.ProcessingIds;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.evolution.MigrationProgress;
import io.cursus.api.evolution.Upcasters;
import io.cursus.api.internal.Decisions;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.store.AppendCondition;
import io.cursus.api.store.AppendConflictException;
import io.cursus.api.store.ConsistencyToken;
import io.cursus.api.store.DecisionLog;
import io.cursus.api.store.EventLog;
import io.cursus.api.store.EventStore;
import io.cursus.api.store.HistoryOrder;
import io.cursus.api.store.HistoryQuery;
import io.cursus.api.store.TimeRange;
import io.cursus.api.store.TokenedHistory;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The embedded default store: events in memory, each aggregate's history kept sorted by stream
 * timestamp.
 *
 * <p>Thread-safe. A batch is applied atomically: readers see all of it or none of it. Writes are
 * keyed by identity and the first capture (the earliest processing id) wins whatever order copies
 * are written in, as {@link EventLog} requires. Nothing is persisted; the events live as long as
 * the store object.
 *
 * <p>The events it accepts (identities new to it) are appended to its {@link #feed()}, in the order
 * it accepted them, for projections to read. An earlier capture of an identity already in the feed
 * replaces the stored copy without a second entry in the feed.
 *
 * <p>As a {@link DecisionLog} it checks conditions and writes under one lock, and counts exactly:
 * every append that stores an event (or replaces a copy with an earlier capture) after a token was
 * taken is a change since that token; a repeat that stores nothing is not.
 */
public final class InMemoryEventStore implements EventStore, DecisionLog {

  private final Map<AggregateId, NavigableMap<StreamTimestamp, Event>> histories =
      new ConcurrentHashMap<>();
  private final Map<String, Map<AggregateId, Boolean>> catalogue = new ConcurrentHashMap<>();
  private final Map<AggregateId, Head> heads = new HashMap<>(); // under the write lock
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final InMemoryEventFeed feed = InMemoryEventFeed.ofStore();
  private final Set<EventType> storedTypes = ConcurrentHashMap.newKeySet();

  private InMemoryEventStore() {}

  /** A new, empty store. */
  public static InMemoryEventStore empty() {
    return new InMemoryEventStore();
  }

  @Override
  public void append(List<Event> events) {
    List<Event> captured = captureAll(events);
    List<Event> accepted = new ArrayList<>(captured.size());
    lock.writeLock().lock();
    try {
      Map<AggregateId, Set<String>> changed = write(captured, accepted);
      if (!changed.isEmpty()) {
        UUID stamp = ProcessingIds.next();
        changed.forEach(
            (aggregate, names) ->
                heads.computeIfAbsent(aggregate, a -> new Head()).factsChanged(stamp, names));
      }
    } finally {
      lock.writeLock().unlock();
    }
    wakeFeed(accepted);
  }

  /**
   * The events this store accepted, in the order it accepted them: the live source of projections
   * on the embedded default (see {@link InMemoryEventFeed}).
   */
  public InMemoryEventFeed feed() {
    return feed;
  }

  /** Of two captured copies of one event, the one captured first; the kept one on a tie. */
  private static Event firstCaptured(Event kept, Event copy) {
    return capturedBefore(copy, kept) ? copy : kept;
  }

  /** Whether {@code copy} was captured before {@code kept}; on a tie the kept copy stays. */
  private static boolean capturedBefore(Event copy, Event kept) {
    return ProcessingIds.compare(
            copy.processingId().orElseThrow(), kept.processingId().orElseThrow())
        < 0;
  }

  private void wakeFeed(List<Event> accepted) {
    if (!accepted.isEmpty()) {
      feed.wake();
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>The condition is checked and the events written under the store's write lock, so no other
   * append, plain or conditional, comes in between. Every change counts: a plain append made after
   * the token changes the aggregate if it stores an event or replaces one with an earlier capture,
   * whatever the events' times.
   */
  @Override
  public ConsistencyToken append(List<Event> events, AppendCondition condition) {
    requireNonNull(condition, "condition must not be null");
    List<Event> captured = captureAll(events);
    AggregateId aggregate = Decisions.aggregateOf(captured);
    condition.token().ifPresent(t -> t.requireBelongsTo(aggregate));
    UUID batchId = Decisions.newestProcessingId(captured);
    List<Event> accepted = new ArrayList<>(captured.size());
    lock.writeLock().lock();
    try {
      Head head = heads.computeIfAbsent(aggregate, a -> new Head());
      condition.token().ifPresent(t -> head.requireNotAhead(aggregate, t));
      if (condition.kind() == AppendCondition.Kind.NONE) {
        Map<AggregateId, Set<String>> changed = write(captured, accepted);
        if (!changed.isEmpty()) {
          head.factsChanged(ProcessingIds.next(), changed.get(aggregate));
        }
        return head.token(aggregate, batchId);
      }
      if (batchId.equals(head.lastBatch)) {
        return head.lastToken; // this very append, made again after its answer was lost
      }
      AppendConflictException conflict = head.check(aggregate, condition, histories.get(aggregate));
      if (conflict != null) {
        throw conflict;
      }
      write(captured, accepted);
      head.decided(ProcessingIds.next(), captured);
      head.lastBatch = batchId;
      head.lastToken = head.token(aggregate, batchId);
      return head.lastToken;
    } finally {
      lock.writeLock().unlock();
      wakeFeed(accepted);
    }
  }

  @Override
  public TokenedHistory historyWithToken(AggregateId aggregate, HistoryQuery query) {
    requireNonNull(aggregate, "aggregate id must not be null");
    requireNonNull(query, "query must not be null");
    lock.readLock().lock();
    try {
      Head head = heads.get(aggregate);
      return new TokenedHistory(
          aggregate,
          selected(aggregate, query),
          head == null
              ? ConsistencyToken.of(aggregate, 0, null, null)
              : head.token(aggregate, null));
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>This store is always up to date, so it never waits: a token it cannot reach is not one of
   * its own, and is refused.
   */
  @Override
  public TokenedHistory historyWithToken(
      AggregateId aggregate, HistoryQuery query, ConsistencyToken atLeast) {
    requireNonNull(atLeast, "token must not be null");
    atLeast.requireBelongsTo(aggregate);
    lock.readLock().lock();
    try {
      Head head = heads.get(aggregate);
      (head == null ? new Head() : head).requireNotAhead(aggregate, atLeast);
      return historyWithToken(aggregate, query);
    } finally {
      lock.readLock().unlock();
    }
  }

  private static List<Event> captureAll(List<Event> events) {
    requireNonNull(events, "events must not be null");
    List<Event> captured = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      Event event = events.get(i);
      if (event == null) {
        throw new IllegalArgumentException(
            "event " + i + " of a batch of " + events.size() + " is null; nothing was written");
      }
      captured.add(event.captured());
    }
    return captured;
  }

  /**
   * Writes captured events under the write lock and appends those new to the store to the feed (and
   * to {@code accepted}); the names of the events that changed a history, by aggregate (none for a
   * batch of repeats).
   */
  private Map<AggregateId, Set<String>> write(List<Event> captured, List<Event> accepted) {
    Map<AggregateId, Set<String>> changed = new HashMap<>();
    for (Event event : captured) {
      NavigableMap<StreamTimestamp, Event> history =
          histories.computeIfAbsent(event.aggregateId(), id -> new ConcurrentSkipListMap<>());
      Event stored = history.get(event.timestamp());
      if (stored == null) {
        accepted.add(event);
      }
      if (stored == null
          || ProcessingIds.compare(
                  event.processingId().orElseThrow(), stored.processingId().orElseThrow())
              < 0) {
        history.put(event.timestamp(), event);
        changed.computeIfAbsent(event.aggregateId(), a -> new HashSet<>()).add(event.type().name());
      }
      catalogue
          .computeIfAbsent(event.aggregateId().type(), type -> new ConcurrentSkipListMap<>())
          .put(event.aggregateId(), Boolean.TRUE);
      storedTypes.add(event.type());
    }
    feed.append(accepted);
    return changed;
  }

  @Override
  public Stream<Event> read(AggregateId aggregate, HistoryQuery query) {
    requireNonNull(aggregate, "aggregate id must not be null");
    requireNonNull(query, "query must not be null");
    lock.readLock().lock();
    try {
      return selected(aggregate, query).stream();
    } finally {
      lock.readLock().unlock();
    }
  }

  // Under the read or write lock.
  private List<Event> selected(AggregateId aggregate, HistoryQuery query) {
    NavigableMap<StreamTimestamp, Event> history = histories.get(aggregate);
    if (history == null) {
      return List.of();
    }
    NavigableMap<StreamTimestamp, Event> range = slice(history, query.range());
    if (query.order() == HistoryOrder.DESCENDING) {
      range = range.descendingMap();
    }
    List<Event> selected = new ArrayList<>();
    for (Event event : range.values()) {
      if (query.matches(event)) {
        selected.add(event);
      }
    }
    return selected;
  }

  @Override
  public Stream<AggregateId> aggregates(String aggregateType) {
    requireNonNull(aggregateType, "aggregate type must not be null");
    Map<AggregateId, Boolean> ids = catalogue.get(aggregateType);
    return ids == null ? Stream.empty() : List.copyOf(ids.keySet()).stream();
  }

  /**
   * Rewrites the stored events of {@code aggregateType} whose version {@code registry} no longer
   * declares to what its {@linkplain EventTypeRegistry#upcasters() upcasters} make of them, in
   * place, so that later reads need no upcasting: an event upcast to one is replaced (same
   * identity, same processing id), one split is replaced by its parts, one dropped is removed.
   * Events of declared versions are left as they are. Runs under the store's write lock, so a
   * reader sees each history either wholly before or wholly after; nothing is appended to the
   * {@link #feed()}. Running it again finds nothing to rewrite.
   *
   * <p>Give the same registry to whatever reads this store through {@link
   * io.cursus.api.evolution.Upcasters#applyTo}: histories read the same before and after.
   *
   * @return one part, complete, with the events read and rewritten
   * @throws io.cursus.api.store.UnreadableEventException naming the event and the upcaster if a
   *     step fails; nothing is changed then
   */
  public MigrationProgress migrate(EventTypeRegistry registry, String aggregateType) {
    requireNonNull(registry, "registry must not be null");
    requireNonNull(aggregateType, "aggregate type must not be null");
    Upcasters upcasters = registry.upcasters();
    lock.writeLock().lock();
    try {
      long read = 0;
      Map<AggregateId, NavigableMap<StreamTimestamp, Event>> rewritten = new LinkedHashMap<>();
      for (Map.Entry<AggregateId, NavigableMap<StreamTimestamp, Event>> history :
          histories.entrySet()) {
        if (!history.getKey().type().equals(aggregateType)) {
          continue;
        }
        NavigableMap<StreamTimestamp, Event> events = history.getValue();
        read += events.size();
        if (events.values().stream().noneMatch(e -> stale(registry, e))) {
          continue;
        }
        NavigableMap<StreamTimestamp, Event> current = new ConcurrentSkipListMap<>();
        for (Event event : events.values()) {
          if (!stale(registry, event)) {
            current.merge(event.timestamp(), event, InMemoryEventStore::firstCaptured);
            continue;
          }
          for (Event part : upcasters.upcast(event)) {
            current.merge(part.timestamp(), part, InMemoryEventStore::firstCaptured);
          }
        }
        rewritten.put(history.getKey(), current);
      }
      long changed = 0;
      for (Map.Entry<AggregateId, NavigableMap<StreamTimestamp, Event>> history :
          rewritten.entrySet()) {
        changed +=
            histories.get(history.getKey()).values().stream()
                .filter(e -> stale(registry, e))
                .count();
        histories.put(history.getKey(), history.getValue());
      }
      if (changed > 0) {
        // the rewritten versions are no longer held: the start-up check no longer needs their steps
        Set<EventType> held = new HashSet<>();
        histories.values().forEach(h -> h.values().forEach(e -> held.add(e.type())));
        storedTypes.retainAll(held);
        storedTypes.addAll(held);
      }
      return new MigrationProgress(1, 1, read, changed);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Whether {@code event} is of a version {@code registry} does not declare but upcasts. */
  private static boolean stale(EventTypeRegistry registry, Event event) {
    return registry.schema(event.type()).isEmpty() && registry.upcasters().upcasts(event.type());
  }

  /**
   * The event types (aggregate type, name, version) of the events the store holds, for a start-up
   * check with {@link io.cursus.api.mapping.EventTypeRegistry#checkReadable}; kept as events are
   * appended, so this reads no event.
   */
  public Set<EventType> storedTypes() {
    return Set.copyOf(storedTypes);
  }

  /** How many events the store holds, over all aggregates. */
  public long size() {
    lock.readLock().lock();
    try {
      return histories.values().stream().mapToLong(Map::size).sum();
    } finally {
      lock.readLock().unlock();
    }
  }

  // Narrows the sorted history to the range's milliseconds; exact bounds are checked per event.
  private static NavigableMap<StreamTimestamp, Event> slice(
      NavigableMap<StreamTimestamp, Event> history, TimeRange range) {
    NavigableMap<StreamTimestamp, Event> slice = history;
    if (range.lower().isPresent()) {
      slice = slice.tailMap(StreamTimestamp.of(range.lower().get().instant()), true);
    }
    if (range.upper().isPresent()) {
      // Event times are whole milliseconds, so "at most the bound" is "before the next one".
      Instant next = range.upper().get().instant().truncatedTo(ChronoUnit.MILLIS).plusMillis(1);
      slice = slice.headMap(StreamTimestamp.of(next), false);
    }
    return slice;
  }

  /** What the store knows of an aggregate's decisions and changes; guarded by the write lock. */
  private static final class Head {
    long decisions;
    // A processing id made at each change: strictly increasing in this JVM.
    @Nullable UUID changed;
    @Nullable UUID factsChanged;
    final Map<String, UUID> nameChanged = new HashMap<>();
    final Map<String, Long> nameDecided = new HashMap<>();
    @Nullable UUID lastBatch;
    @Nullable ConsistencyToken lastToken;

    void factsChanged(UUID stamp, Set<String> names) {
      changed = stamp;
      factsChanged = stamp;
      for (String name : names) {
        nameChanged.put(name, stamp);
      }
    }

    void decided(UUID stamp, List<Event> events) {
      decisions++;
      changed = stamp;
      for (Event event : events) {
        nameChanged.put(event.type().name(), stamp);
        nameDecided.put(event.type().name(), decisions);
      }
    }

    ConsistencyToken token(AggregateId aggregate, @Nullable UUID appended) {
      return ConsistencyToken.of(aggregate, decisions, changed, appended);
    }

    void requireNotAhead(AggregateId aggregate, ConsistencyToken token) {
      if (token.decisions() > decisions
          || (token.facts().isPresent()
              && (changed == null || ProcessingIds.compare(token.facts().get(), changed) > 0))) {
        throw new IllegalArgumentException(
            "consistency token "
                + token
                + " is ahead of everything this store has for "
                + aggregate
                + " (at "
                + token(aggregate, null)
                + "): it comes from another store");
      }
    }

    /** The conflict if {@code condition} is false, else null. */
    @Nullable AppendConflictException check(
        AggregateId aggregate,
        AppendCondition condition,
        @Nullable NavigableMap<StreamTimestamp, Event> history) {
      ConsistencyToken since = condition.token().orElse(null);
      boolean holds;
      Set<String> names = new java.util.TreeSet<>();
      switch (condition.kind()) {
        case NO_EVENTS_YET -> {
          holds = history == null || history.isEmpty();
          if (!holds) {
            history.values().forEach(e -> names.add(e.type().name()));
          }
        }
        case UNCHANGED_SINCE -> {
          holds = decisions == since.decisions() && sameStamp(changed, since);
          nameChanged.forEach(
              (name, stamp) -> {
                if (after(stamp, since)) {
                  names.add(name);
                }
              });
        }
        case NO_EVENTS_NAMED_SINCE -> {
          for (String name : condition.eventNames()) {
            UUID stamp = nameChanged.get(name);
            if (stamp != null && after(stamp, since)) {
              names.add(name);
            }
          }
          holds = names.isEmpty();
        }
        default -> throw new IllegalStateException("unexpected condition " + condition);
      }
      if (holds) {
        return null;
      }
      long decisionsSince = since == null ? decisions : decisions - since.decisions();
      boolean factsSince = factsChanged != null && (since == null || after(factsChanged, since));
      return new AppendConflictException(
          aggregate, condition, token(aggregate, null), decisionsSince, factsSince, names);
    }

    private static boolean sameStamp(@Nullable UUID stamp, ConsistencyToken token) {
      return java.util.Objects.equals(stamp, token.facts().orElse(null));
    }

    private static boolean after(UUID stamp, @Nullable ConsistencyToken token) {
      return token == null
          || token.facts().isEmpty()
          || ProcessingIds.compare(stamp, token.facts().get()) > 0;
    }
  }
}
