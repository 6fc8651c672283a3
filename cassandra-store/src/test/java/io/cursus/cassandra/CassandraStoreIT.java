package io.cursus.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.EventType;
import io.cursus.api.Parameters;
import io.cursus.api.ProcessingIds;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.mapping.EventMapper;
import io.cursus.api.store.HistoryQuery;
import io.cursus.api.store.UnreadableEventException;
import io.cursus.api.store.UnreadableEventException.Reason;
import io.cursus.conformance.ConformanceEvents;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What the Cassandra store does beyond the conformance suite, on the real engine. */
class CassandraStoreIT {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final String TYPE = ConformanceEvents.AGGREGATE_TYPE;
  private static final String LEGACY = LegacyEvents.TYPE;

  private final CassandraEventStore store = SharedCassandra.store();

  private static List<Event> moves(UUID id, int count) {
    List<Event> events = new ArrayList<>(count);
    ConformanceEvents emit = EventMapper.emitter(ConformanceEvents.class, events::add);
    for (int i = 0; i < count; i++) {
      emit.moved(StreamTimestamp.of("s", T0.plusMillis(i)), id, "p", i);
    }
    return events;
  }

  @Test
  void streamsAHistoryOf100000EventsPageByPageInBothOrders() {
    UUID id = UUID.randomUUID();
    List<Event> events = moves(id, 100_000);
    for (int i = 0; i < events.size(); i += 5_000) {
      store.append(events.subList(i, i + 5_000));
    }
    AggregateId aggregate = AggregateId.of(TYPE, id);

    int expected = 0;
    try (Stream<Event> history = store.read(aggregate, HistoryQuery.all())) {
      Iterator<Event> it = history.iterator();
      while (it.hasNext()) {
        assertThat(it.next().parameters().get("sequence")).isEqualTo(expected++);
      }
    }
    assertThat(expected).isEqualTo(100_000);
    try (Stream<Event> newestFirst = store.read(aggregate, HistoryQuery.all().descending())) {
      assertThat(newestFirst.limit(3).map(e -> e.parameters().get("sequence")))
          .containsExactly(99_999, 99_998, 99_997);
    }
  }

  @Test
  void replaysEveryEventOfATypeOnceAcrossTokenRangesInParallel() {
    String type = TYPE;
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      UUID id = UUID.randomUUID();
      ids.add(id);
      store.append(moves(id, 1 + i % 5));
    }
    Map<String, List<Event>> seen = new ConcurrentHashMap<>();
    List<ReplayProgress> progress = new CopyOnWriteArrayList<>();

    ReplayProgress done =
        store.replayAll(
            type,
            4,
            history -> {
              List<Event> previous = seen.put(history.get(0).aggregateId().id(), history);
              assertThat(previous).as("an aggregate is delivered once").isNull();
            },
            progress::add);

    assertThat(done.isComplete()).isTrue();
    assertThat(progress).hasSize(done.rangesTotal());
    assertThat(progress.stream().mapToInt(ReplayProgress::rangesDone).max().orElseThrow())
        .isEqualTo(done.rangesTotal());
    for (int i = 0; i < ids.size(); i++) {
      List<Event> history = seen.get(ids.get(i).toString());
      assertThat(history).as("history of aggregate %s", i).isEqualTo(moves(ids.get(i), 1 + i % 5));
    }
    assertThat(done.events()).isEqualTo(seen.values().stream().mapToLong(List::size).sum());
  }

  @Test
  void aRowWhoseTypeIsNoLongerDeclaredGetsAnErrorNamingAggregateAndEvent() {
    UUID id = UUID.randomUUID();
    insertRaw(id, "teleported", "1", Map.of("where", "\"Mars\""));

    assertThatThrownBy(() -> store.history(AggregateId.of(LEGACY, id)))
        .isInstanceOfSatisfying(
            UnreadableEventException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_EVENT_TYPE))
        .hasMessage(
            LEGACY
                + "/"
                + id
                + " at 2026-01-01T00:00:00Z@s: stored event type "
                + LEGACY
                + "/teleported_1 is not declared by any registered declaration");
  }

  @Test
  void aRowWhoseParametersNoLongerMatchGetsAnErrorNamingTheField() {
    UUID id = UUID.randomUUID();
    insertRaw(id, "moved", "1", Map.of("location", "\"here\"", "sequence", "\"seven\""));
    UUID other = UUID.randomUUID();
    insertRaw(other, "moved", "1", Map.of("location", "\"here\""));

    assertThatThrownBy(() -> store.history(AggregateId.of(LEGACY, id)))
        .isInstanceOfSatisfying(
            UnreadableEventException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.SCHEMA_MISMATCH))
        .hasMessageStartingWith(
            LEGACY
                + "/"
                + id
                + " "
                + LEGACY
                + "/moved_1 at 2026-01-01T00:00:00Z@s: field 'sequence' cannot be read as int"
                + " from \"seven\"");
    assertThatThrownBy(() -> store.history(AggregateId.of(LEGACY, other)))
        .hasMessage(
            LEGACY
                + "/"
                + other
                + " "
                + LEGACY
                + "/moved_1 at 2026-01-01T00:00:00Z@s: field 'sequence' is missing; it is declared"
                + " sequence: int");
  }

  @Test
  void refusesABatchWithAnUndeclaredEventBeforeWritingAnyOfIt() {
    UUID id = UUID.randomUUID();
    List<Event> batch = new ArrayList<>(moves(id, 3));
    batch.add(
        Event.of(
            AggregateId.of(TYPE, id),
            StreamTimestamp.of(T0),
            EventType.of(TYPE, "undeclared"),
            Parameters.none()));

    assertThatThrownBy(() -> store.append(batch))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown event type " + TYPE + "/undeclared_1");
    assertThat(store.history(AggregateId.of(TYPE, id))).isEmpty();
  }

  @Test
  void findDeletesIndexEntriesThatHaveMovedOn() {
    CassandraEventIndex index = SharedCassandra.index();
    UUID id = UUID.randomUUID();
    String first = "first-" + id;
    String second = "second-" + id;
    List<Event> events = new ArrayList<>();
    ConformanceEvents emit = EventMapper.emitter(ConformanceEvents.class, events::add);
    emit.moved(StreamTimestamp.of("s", T0), id, first, 1);
    emit.moved(StreamTimestamp.of("s", T0.plusSeconds(1)), id, second, 2);
    index.index(events);
    assertThat(valueRows(first)).isEqualTo(1);

    assertThat(index.find(TYPE, "location", first)).isEmpty();

    assertThat(valueRows(first)).as("the stale entry is gone").isZero();
    assertThat(index.find(TYPE, "location", second)).containsExactly(AggregateId.of(TYPE, id));
    emit.moved(StreamTimestamp.of("s", T0.plusSeconds(2)), id, first, 3);
    index.index(events.subList(2, 3));
    assertThat(index.find(TYPE, "location", first))
        .as("moving back is not hidden by the clean-up")
        .containsExactly(AggregateId.of(TYPE, id));
  }

  @Test
  void indexesAnEventWhoseStringParameterHas70000Characters() {
    // given
    CassandraEventIndex index = SharedCassandra.index();
    UUID id = UUID.randomUUID();
    String location = id + "x".repeat(70_000 - 36);
    List<Event> events = new ArrayList<>();
    EventMapper.emitter(ConformanceEvents.class, events::add)
        .moved(StreamTimestamp.of("s", T0), id, location, 1);

    // when
    index.index(events);

    // then
    assertThat(location).hasSize(70_000);
    assertThat(index.find(TYPE, "location", location)).containsExactly(AggregateId.of(TYPE, id));
  }

  @Test
  void keysAValueByItsDigestExactlyWhenItsKeyWouldPassCassandrasLimit() {
    // given: index_value's partition key (aggregate type, parameter, value) may have 65,535 bytes,
    // with 3 bytes of framing per column; the value is the JSON form, quotes included
    CassandraEventIndex index = SharedCassandra.index();
    int longestKeyed = 65_535 - 9 - TYPE.length() - "location".length();
    UUID fitting = UUID.randomUUID();
    UUID over = UUID.randomUUID();
    String fits = fitting + "x".repeat(longestKeyed - 2 - 36);
    String tooLong = over + "x".repeat(longestKeyed - 2 - 36 + 1);
    List<Event> events = new ArrayList<>();
    ConformanceEvents emit = EventMapper.emitter(ConformanceEvents.class, events::add);
    emit.moved(StreamTimestamp.of("s", T0), fitting, fits, 1);
    emit.moved(StreamTimestamp.of("s", T0), over, tooLong, 1);

    // when
    index.index(events);

    // then
    assertThat(valueRowsKeyed("\"" + fits + "\"")).as("keyed by the value itself").isEqualTo(1);
    assertThat(valueRowsKeyed(digestKey("\"" + tooLong + "\""))).as("keyed by digest").isEqualTo(1);
    assertThat(index.find(TYPE, "location", fits)).containsExactly(AggregateId.of(TYPE, fitting));
    assertThat(index.find(TYPE, "location", tooLong)).containsExactly(AggregateId.of(TYPE, over));
  }

  @Test
  void aLookUpByALongValueComparesTheWholeValueNotItsDigest() {
    // given: two long values, and an entry of the second's aggregate under the first's key, as if
    // their digests were equal
    CassandraEventIndex index = SharedCassandra.index();
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    String valueA = a + "a".repeat(70_000);
    String valueB = a + "b".repeat(70_000);
    List<Event> events = new ArrayList<>();
    ConformanceEvents emit = EventMapper.emitter(ConformanceEvents.class, events::add);
    emit.moved(StreamTimestamp.of("s", T0), a, valueA, 1);
    emit.moved(StreamTimestamp.of("s", T0), b, valueB, 1);
    index.index(events);
    cql(
        "INSERT INTO "
            + SharedCassandra.TABLES.qualified(SharedCassandra.TABLES.indexValues())
            + " (aggregate_type, parameter, value, aggregate_id) VALUES (?, ?, ?, ?)",
        TYPE,
        "location",
        digestKey("\"" + valueA + "\""),
        b.toString());

    // when
    Set<AggregateId> atA = index.find(TYPE, "location", valueA);

    // then
    assertThat(atA).containsExactly(AggregateId.of(TYPE, a));
    assertThat(index.find(TYPE, "location", valueB)).containsExactly(AggregateId.of(TYPE, b));
  }

  @Test
  void oneCallOfManyMovesLeavesTheSameIndexAsOneCallPerMove() {
    CassandraEventIndex index = SharedCassandra.index();
    UUID together = UUID.randomUUID();
    UUID apart = UUID.randomUUID();
    String[] places = {"a-" + together, "b-" + together, "c-" + together};
    List<Event> movesTogether = new ArrayList<>();
    List<Event> movesApart = new ArrayList<>();
    ConformanceEvents emitTogether =
        EventMapper.emitter(ConformanceEvents.class, movesTogether::add);
    ConformanceEvents emitApart = EventMapper.emitter(ConformanceEvents.class, movesApart::add);
    for (int i = 0; i < 10; i++) { // a, b, c, a, b, c, ...: ends at a
      StreamTimestamp at = StreamTimestamp.of("s", T0.plusSeconds(i));
      emitTogether.moved(at, together, places[i % 3], i);
      emitApart.moved(at, apart, places[i % 3], i);
    }
    Collections.shuffle(movesTogether, new Random(3));

    index.index(movesTogether);
    movesApart.forEach(move -> index.index(List.of(move)));

    for (String place : places) {
      Set<AggregateId> expected =
          place.equals(places[0])
              ? Set.of(AggregateId.of(TYPE, together), AggregateId.of(TYPE, apart))
              : Set.of();
      assertThat(index.find(TYPE, "location", place)).as(place).isEqualTo(expected);
    }
    assertThat(latestWriteTime(together)).isEqualTo(latestWriteTime(apart));
  }

  @Test
  void keepsAProcessingIdStampedBeforeTheWrite() {
    UUID id = UUID.randomUUID();
    UUID processingId = ProcessingIds.next();
    store.append(moves(id, 1).get(0).withProcessingId(processingId));

    assertThat(store.history(AggregateId.of(TYPE, id)).get(0).processingId())
        .contains(processingId);
    assertThat(store.list(TYPE)).contains(AggregateId.of(TYPE, id));
    assertThat(Set.of(store.preload(List.of(AggregateId.of(TYPE, id)), HistoryQuery.all()).size()))
        .containsExactly(1);
  }

  @Test
  void listsTheCatalogueWithConcurrentBucketReadsAsTheStreamListsIt() {
    CassandraEventStore smallPages =
        CassandraEventStore.builder(SharedCassandra.session(), SharedCassandra.REGISTRY)
            .tables(SharedCassandra.TABLES)
            .pageSize(3) // buckets of several pages
            .build();
    List<AggregateId> added = new ArrayList<>();
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 1_500; i++) {
      UUID id = UUID.randomUUID();
      added.add(AggregateId.of(TYPE, id));
      events.addAll(moves(id, 1));
    }
    store.append(events);

    List<AggregateId> listed = smallPages.list(TYPE);
    List<AggregateId> streamed;
    try (Stream<AggregateId> all = smallPages.aggregates(TYPE)) {
      streamed = all.toList();
    }

    assertThat(listed).doesNotHaveDuplicates().containsAll(added);
    assertThat(listed).containsExactlyInAnyOrderElementsOf(streamed);
    assertThat(smallPages.list("no-such-type-" + UUID.randomUUID())).isEmpty();
  }

  @Test
  void writesAnAggregatesCatalogueRowOnceWhileItRemembersHavingWrittenIt() {
    UUID id = UUID.randomUUID();
    AggregateId aggregate = AggregateId.of(TYPE, id);
    List<Event> history = moves(id, 3);
    CassandraEventStore remembering =
        CassandraEventStore.builder(SharedCassandra.session(), SharedCassandra.REGISTRY)
            .tables(SharedCassandra.TABLES)
            .build();
    CassandraEventStore forgetful =
        CassandraEventStore.builder(SharedCassandra.session(), SharedCassandra.REGISTRY)
            .tables(SharedCassandra.TABLES)
            .catalogueCache(0)
            .build();

    remembering.append(history.subList(0, 1));
    assertThat(remembering.list(TYPE)).contains(aggregate);
    deleteCatalogueRow(aggregate); // shows which later appends write the row
    remembering.append(history.subList(1, 2));
    assertThat(remembering.list(TYPE)).doesNotContain(aggregate);
    forgetful.append(history.subList(2, 3));
    assertThat(forgetful.list(TYPE)).contains(aggregate);

    assertThat(store.history(aggregate)).hasSize(3);
    assertThatThrownBy(
            () ->
                CassandraEventStore.builder(SharedCassandra.session(), SharedCassandra.REGISTRY)
                    .catalogueCache(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("catalogue cache")
        .hasMessageContaining("-1");
  }

  @Test
  void storesParametersAsOneFrozenMapAndStillWorksWithATableMadeWithANonFrozenOne() {
    assertThat(parametersColumnType(SharedCassandra.TABLES)).isEqualTo("frozen<map<text, text>>");

    CassandraTables legacy = CassandraTables.inKeyspace("cursus_it_nonfrozen");
    for (String cql : CassandraSchema.of(legacy).statements()) {
      SharedCassandra.session()
          .execute(
              SimpleStatement.newInstance(cql.replace("frozen<map<text, text>>", "map<text, text>"))
                  .setTimeout(Duration.ofSeconds(60)));
    }
    assertThat(parametersColumnType(legacy)).isEqualTo("map<text, text>");
    CassandraEventStore old =
        CassandraEventStore.builder(SharedCassandra.session(), SharedCassandra.REGISTRY)
            .tables(legacy)
            .build();
    UUID id = UUID.randomUUID();
    List<Event> history = moves(id, 5);

    old.append(history);
    old.append(history); // a repeat changes nothing

    assertThat(old.history(AggregateId.of(TYPE, id))).isEqualTo(history);
  }

  /** The CQL type of the event table's parameters column, as Cassandra's schema tables name it. */
  private static String parametersColumnType(CassandraTables tables) {
    return cql(
            "SELECT type FROM system_schema.columns"
                + " WHERE keyspace_name = ? AND table_name = ? AND column_name = ?",
            tables.keyspace(),
            tables.events(),
            "parameters")
        .one()
        .getString(0);
  }

  private static void deleteCatalogueRow(AggregateId aggregate) {
    cql(
        "DELETE FROM "
            + SharedCassandra.TABLES.qualified(SharedCassandra.TABLES.catalogue())
            + " WHERE aggregate_type = ? AND bucket = ? AND aggregate_id = ?",
        aggregate.type(),
        Math.floorMod(aggregate.id().hashCode(), 256),
        aggregate.id());
  }

  private static long latestWriteTime(UUID id) {
    return firstLong(
        "SELECT WRITETIME(value) FROM "
            + SharedCassandra.TABLES.qualified(SharedCassandra.TABLES.indexLatest())
            + " WHERE aggregate_type = ? AND aggregate_id = ? AND parameter = ?",
        TYPE,
        id.toString(),
        "location");
  }

  private static long valueRows(String location) {
    return firstLong(
        "SELECT count(*) FROM "
            + SharedCassandra.TABLES.qualified(SharedCassandra.TABLES.indexValues())
            + " WHERE aggregate_type = ? AND parameter = ? AND value = ?",
        TYPE,
        "location",
        "\"" + location + "\"");
  }

  private static long valueRowsKeyed(String key) {
    return firstLong(
        "SELECT count(*) FROM "
            + SharedCassandra.TABLES.qualified(SharedCassandra.TABLES.indexValues())
            + " WHERE aggregate_type = ? AND parameter = ? AND value = ?",
        TYPE,
        "location",
        key);
  }

  /** The documented key of a value too long to be a key: its SHA-256 digest, in hex. */
  private static String digestKey(String json) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
      return "#sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static void insertRaw(
      UUID id, String name, String version, Map<String, String> parameters) {
    cql(
        "INSERT INTO "
            + SharedCassandra.TABLES.qualified(SharedCassandra.TABLES.events())
            + " (aggregate_type, aggregate_id, event_timestamp, stream_id, processing_id,"
            + " name, version, parameters, characteristics)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)",
        LEGACY,
        id.toString(),
        T0,
        "s",
        ProcessingIds.next(),
        name,
        version,
        parameters);
  }

  /** The first column of the first row {@code query} selects, as a long. */
  private static long firstLong(String query, Object... values) {
    return cql(query, values).one().getLong(0);
  }

  /** Runs {@code query} with positional {@code values}, as test set-up or inspection. */
  private static ResultSet cql(String query, Object... values) {
    return SharedCassandra.session().execute(SimpleStatement.newInstance(query, values));
  }
}
