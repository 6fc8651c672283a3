package io.cursus.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.EventType;
import io.cursus.api.NonTransientCursusException;
import io.cursus.api.Parameters;
import io.cursus.api.ProcessingIds;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.TransientCursusException;
import io.cursus.api.mapping.EventMapper;
import io.cursus.api.store.HistoryQuery;
import io.cursus.api.store.TimeRange;
import io.cursus.api.store.UnreadableEventException;
import io.cursus.conformance.ConformanceEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/**
 * The asynchronous calls of the Cassandra store and index answer as the blocking ones do, on the
 * real engine.
 */
class CassandraAsyncIT {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final String TYPE = ConformanceEvents.AGGREGATE_TYPE;

  private final CassandraEventStore store = SharedCassandra.store();
  private final CassandraEventIndex index = SharedCassandra.index();

  /**
   * {@code count} moves of {@code id}: every third instant has three events, one per stream, so
   * reads must put same-instant runs in order.
   */
  private static List<Event> history(UUID id, int count) {
    List<Event> events = new ArrayList<>(count);
    ConformanceEvents emit = EventMapper.emitter(ConformanceEvents.class, events::add);
    for (int i = 0; i < count; i++) {
      emit.moved(StreamTimestamp.of("s" + i % 3, T0.plusMillis(i / 3 * 2L)), id, "p" + i, i);
    }
    return events;
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(1, TimeUnit.MINUTES);
  }

  /** What {@code stage} failed with, as its callbacks see it (not wrapped). */
  private static Throwable failureOf(CompletionStage<?> stage) throws Exception {
    Throwable failure = await(stage.handle((value, f) -> f));
    assertThat(failure).as("the stage failed").isNotNull();
    return failure;
  }

  /** What {@code call} throws. */
  private static Throwable thrownBy(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("the blocking call did not throw");
  }

  @Test
  void appendAsyncStoresWhatAppendStores() throws Exception {
    // given
    UUID viaAsync = UUID.randomUUID();
    UUID viaBlocking = UUID.randomUUID();
    List<Event> events = history(viaAsync, 30);

    // when
    CompletionStage<Void> appended = store.appendAsync(events);
    store.append(history(viaBlocking, 30));

    // then
    await(appended);
    List<Event> stored = store.history(AggregateId.of(TYPE, viaAsync));
    assertThat(stored)
        .isEqualTo(events.stream().sorted(HistoryQuery.EVENT_TIME_ORDER).toList())
        .allSatisfy(event -> assertThat(event.processingId()).isPresent());
    assertThat(stored.stream().map(e -> e.parameters().get("sequence")))
        .isEqualTo(
            store.history(AggregateId.of(TYPE, viaBlocking)).stream()
                .map(e -> e.parameters().get("sequence"))
                .toList());
    assertThat(store.list(TYPE)).contains(AggregateId.of(TYPE, viaAsync));
  }

  @Test
  void appendAsyncKeepsTheFirstCaptureOfAnEvent() throws Exception {
    UUID id = UUID.randomUUID();
    Event first = history(id, 1).get(0).withProcessingId(ProcessingIds.next());
    Event later = first.withProcessingId(ProcessingIds.next());

    await(store.appendAsync(List.of(later)));
    await(store.appendAsync(List.of(first)));

    assertThat(store.history(AggregateId.of(TYPE, id)).get(0).processingId())
        .isEqualTo(first.processingId());
  }

  @Test
  void historyAsyncReturnsWhatHistoryReturnsForEveryKindOfQuery() throws Exception {
    // given: a history over three pages of the store's 1,000 rows, and an aggregate with none
    UUID id = UUID.randomUUID();
    store.append(history(id, 2_500));
    AggregateId aggregate = AggregateId.of(TYPE, id);
    Instant middle = T0.plusMillis(800);
    List<HistoryQuery> queries =
        List.of(
            HistoryQuery.all(),
            HistoryQuery.all().descending(),
            HistoryQuery.within(TimeRange.from(middle)),
            HistoryQuery.within(TimeRange.after(middle).before(middle.plusMillis(40))).descending(),
            HistoryQuery.within(TimeRange.upTo(middle)),
            HistoryQuery.within(TimeRange.upToBefore(T0)),
            HistoryQuery.all().asKnownAt(Instant.now().minusSeconds(3_600)));

    // then
    for (HistoryQuery query : queries) {
      assertThat(await(store.historyAsync(aggregate, query)))
          .as("%s", query)
          .isEqualTo(store.history(aggregate, query));
    }
    assertThat(await(store.historyAsync(aggregate, HistoryQuery.all()))).hasSize(2_500);
    assertThat(
            await(store.historyAsync(AggregateId.of(TYPE, UUID.randomUUID()), HistoryQuery.all())))
        .isEmpty();
  }

  @Test
  void findAsyncAnswersAsFindDoesAndRemovesEntriesThatMovedOn() throws Exception {
    // given: an aggregate that was at one place and is now at another
    UUID id = UUID.randomUUID();
    String first = "first-" + id;
    String second = "second-" + id;
    List<Event> events = new ArrayList<>();
    ConformanceEvents emit = EventMapper.emitter(ConformanceEvents.class, events::add);
    emit.moved(StreamTimestamp.of("s", T0), id, first, 1);
    emit.moved(StreamTimestamp.of("s", T0.plusSeconds(1)), id, second, 2);
    index.index(events);
    assertThat(valueRows(first)).isEqualTo(1);

    // when
    Set<AggregateId> atFirst = await(index.findAsync(TYPE, "location", first));
    Set<AggregateId> atSecond = await(index.findAsync(TYPE, "location", second));

    // then
    assertThat(atFirst).isEmpty();
    assertThat(valueRows(first)).as("the stale entry is gone when the stage completes").isZero();
    assertThat(atSecond)
        .containsExactly(AggregateId.of(TYPE, id))
        .isEqualTo(index.find(TYPE, "location", second));
    assertThat(await(index.findAsync(TYPE, "location", "nowhere-" + id))).isEmpty();
  }

  @Test
  void findingByAParameterTheIndexWasNotAskedToIndexIsRefusedNamingIt() {
    // given an index asked for the location only
    CassandraEventIndex locations =
        CassandraEventIndex.builder(SharedCassandra.session(), SharedCassandra.REGISTRY)
            .tables(SharedCassandra.TABLES)
            .indexing(TYPE, Set.of("location"))
            .build();

    // then a lookup by another parameter is refused at the call, instead of answering nothing
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> locations.find(TYPE, "sequence", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("parameter 'sequence' of aggregate type '" + TYPE + "'")
        .hasMessageContaining("not indexed");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> locations.findAsync(TYPE, "sequence", 1).toCompletableFuture().join())
        .hasCauseInstanceOf(IllegalArgumentException.class);
    assertThat(locations.find(TYPE, "location", "nowhere-" + UUID.randomUUID())).isEmpty();
  }

  @Test
  void findAsyncChecksEveryCandidateOfAPopularValue() throws Exception {
    // given: 300 aggregates at one place, a third of which moved on, and an index that checks
    // at most 8 candidates at once
    String place = "hub-" + UUID.randomUUID();
    CassandraEventIndex narrow =
        CassandraEventIndex.builder(SharedCassandra.session(), SharedCassandra.REGISTRY)
            .tables(SharedCassandra.TABLES)
            .maxInFlight(8)
            .build();
    List<Event> events = new ArrayList<>();
    ConformanceEvents emit = EventMapper.emitter(ConformanceEvents.class, events::add);
    Set<AggregateId> stayed = new HashSet<>();
    for (int i = 0; i < 300; i++) {
      UUID id = UUID.randomUUID();
      emit.moved(StreamTimestamp.of("s", T0), id, place, 1);
      if (i % 3 == 0) {
        emit.moved(StreamTimestamp.of("s", T0.plusSeconds(1)), id, "elsewhere", 2);
      } else {
        stayed.add(AggregateId.of(TYPE, id));
      }
    }
    narrow.index(events);

    // when
    Set<AggregateId> found = await(narrow.findAsync(TYPE, "location", place));

    // then
    assertThat(found).isEqualTo(stayed).isEqualTo(narrow.find(TYPE, "location", place));
  }

  @Test
  void aFailedAsyncCallFailsItsStageWithWhatTheBlockingCallThrows() throws Exception {
    // given: a store and an index asking one node for two replicas, which Cassandra refuses
    CassandraEventStore two =
        CassandraEventStore.builder(SharedCassandra.session(), SharedCassandra.REGISTRY)
            .tables(SharedCassandra.TABLES)
            .readConsistency(DefaultConsistencyLevel.TWO)
            .writeConsistency(DefaultConsistencyLevel.TWO)
            .build();
    CassandraEventIndex twoIndex =
        CassandraEventIndex.builder(SharedCassandra.session(), SharedCassandra.REGISTRY)
            .tables(SharedCassandra.TABLES)
            .readConsistency(DefaultConsistencyLevel.TWO)
            .build();
    UUID id = UUID.randomUUID();
    AggregateId aggregate = AggregateId.of(TYPE, id);
    List<Event> events = history(id, 1);

    // then: the same transient failure, with the same message (the first append of a type through
    // a store object records the type first, before any event of it, so that write is what fails)
    assertSameFailure(() -> two.append(events), () -> two.appendAsync(events))
        .isInstanceOf(TransientCursusException.class)
        .hasMessageContaining("recording the stored event type " + TYPE + "/moved_1")
        .hasMessageContaining("retrying may help");
    assertSameFailure(
            () -> two.history(aggregate, HistoryQuery.all()),
            () -> two.historyAsync(aggregate, HistoryQuery.all()))
        .isInstanceOf(TransientCursusException.class)
        .hasMessageContaining("reading the history of " + aggregate);
    assertSameFailure(
            () -> twoIndex.find(TYPE, "location", "p0"),
            () -> twoIndex.findAsync(TYPE, "location", "p0"))
        .isInstanceOf(TransientCursusException.class)
        .hasMessageContaining("finding " + TYPE + " by location = \"p0\"");
  }

  @Test
  void anAppendCassandraRefusesForGoodFailsItsStageAsNonTransient() throws Exception {
    // given: an aggregate id longer than a partition key may be
    UUID id = UUID.randomUUID();
    Event moved = history(id, 1).get(0);
    Event event =
        Event.of(
            AggregateId.of(TYPE, id + "x".repeat(70_000)),
            moved.timestamp(),
            moved.type(),
            moved.parameters());

    // when
    Throwable blocking = thrownBy(() -> store.append(List.of(event)));
    Throwable async = failureOf(store.appendAsync(List.of(event)));

    // then
    assertThat(blocking).isInstanceOf(NonTransientCursusException.class);
    assertThat(async)
        .isExactlyInstanceOf(blocking.getClass())
        .hasMessageStartingWith("Cassandra failed while appending 1 events (2 of 2 writes failed")
        .hasMessageContaining("retrying will not help");
  }

  @Test
  void anUndeclaredEventOrAnUnreadableRowFailsTheStageAsTheBlockingCallThrows() throws Exception {
    // given
    UUID id = UUID.randomUUID();
    List<Event> batch = new ArrayList<>(history(id, 2));
    batch.add(
        Event.of(
            AggregateId.of(TYPE, id),
            StreamTimestamp.of(T0),
            EventType.of(TYPE, "undeclared"),
            Parameters.none()));
    UUID legacy = UUID.randomUUID();
    SharedCassandra.session()
        .execute(
            SimpleStatement.newInstance(
                "INSERT INTO "
                    + SharedCassandra.TABLES.qualified(SharedCassandra.TABLES.events())
                    + " (aggregate_type, aggregate_id, event_timestamp, stream_id, processing_id,"
                    + " name, version, parameters, characteristics)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)",
                LegacyEvents.TYPE,
                legacy.toString(),
                T0,
                "s",
                ProcessingIds.next(),
                "teleported",
                "1",
                Map.of("where", "\"Mars\"")));
    AggregateId unreadable = AggregateId.of(LegacyEvents.TYPE, legacy);

    // then
    assertSameFailure(() -> store.append(batch), () -> store.appendAsync(batch))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown event type " + TYPE + "/undeclared_1");
    assertThat(store.history(AggregateId.of(TYPE, id))).as("nothing was written").isEmpty();
    assertSameFailure(
            () -> store.history(unreadable, HistoryQuery.all()),
            () -> store.historyAsync(unreadable, HistoryQuery.all()))
        .isInstanceOf(UnreadableEventException.class)
        .hasMessageContaining("teleported_1 is not declared");
    assertThat(failureOf(store.appendAsync(Arrays.asList(batch.get(0), null))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("event 1 of a batch of 2 is null; nothing was written");
  }

  @Test
  void manyConcurrentAsyncAppendsAllCompleteWithEveryEventStored() throws Exception {
    // given: a store with 4 requests in flight at most, and 4 threads that each send 250
    // appends without waiting for any
    CassandraEventStore narrow =
        CassandraEventStore.builder(SharedCassandra.session(), SharedCassandra.REGISTRY)
            .tables(SharedCassandra.TABLES)
            .maxInFlight(4)
            .build();
    ConcurrentLinkedQueue<CompletableFuture<Void>> stages = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<UUID> ids = new ConcurrentLinkedQueue<>();
    ExecutorService senders = Executors.newFixedThreadPool(4);
    try {
      for (int t = 0; t < 4; t++) {
        senders.execute(
            () -> {
              for (int i = 0; i < 250; i++) {
                UUID id = UUID.randomUUID();
                ids.add(id);
                stages.add(narrow.appendAsync(history(id, 3)).toCompletableFuture());
              }
            });
      }
      senders.shutdown();
      assertThat(senders.awaitTermination(1, TimeUnit.MINUTES)).isTrue();

      // when
      CompletableFuture.allOf(stages.toArray(CompletableFuture<?>[]::new)).get(5, TimeUnit.MINUTES);
    } finally {
      senders.shutdownNow();
    }

    // then
    assertThat(stages).hasSize(1_000).allSatisfy(stage -> assertThat(stage).isCompleted());
    List<CompletableFuture<List<Event>>> reads = new ArrayList<>();
    for (UUID id : ids) {
      reads.add(
          narrow.historyAsync(AggregateId.of(TYPE, id), HistoryQuery.all()).toCompletableFuture());
    }
    int i = 0;
    for (UUID id : ids) {
      assertThat(reads.get(i++).get(1, TimeUnit.MINUTES))
          .as("history of %s", id)
          .isEqualTo(history(id, 3).stream().sorted(HistoryQuery.EVENT_TIME_ORDER).toList());
    }
  }

  /**
   * Asserts that {@code blocking} throws, and {@code async} fails its stage with, the same type of
   * exception with the same message; returns an assertion on it.
   */
  private static AbstractThrowableAssert<?, ? extends Throwable> assertSameFailure(
      Runnable blocking, Supplier<? extends CompletionStage<?>> async) throws Exception {
    Throwable thrown = thrownBy(blocking);
    Throwable failed = failureOf(async.get());
    assertThat(failed).isExactlyInstanceOf(thrown.getClass()).hasMessage(thrown.getMessage());
    return assertThat(failed);
  }

  private static long valueRows(String location) {
    return SharedCassandra.session()
        .execute(
            SimpleStatement.newInstance(
                "SELECT count(*) FROM "
                    + SharedCassandra.TABLES.qualified(SharedCassandra.TABLES.indexValues())
                    + " WHERE aggregate_type = ? AND parameter = ? AND value = ?",
                TYPE,
                "location",
                "\"" + location + "\""))
        .one()
        .getLong(0);
  }
}
