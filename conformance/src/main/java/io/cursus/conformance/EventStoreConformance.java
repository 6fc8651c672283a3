package io.cursus.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.EventCharacteristic;
import io.cursus.api.ProcessingIds;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.mapping.EventMapper;
import io.cursus.api.store.AggregateCatalogue;
import io.cursus.api.store.EventLog;
import io.cursus.api.store.EventSource;
import io.cursus.api.store.HistoryQuery;
import io.cursus.api.store.TimeRange;
import io.cursus.conformance.ConformanceEvents.Priority;
import io.cursus.conformance.ConformanceEvents.Size;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What every store must do, as JUnit 5 tests. Extend it, and return the store from {@link #log()},
 * {@link #source()} and {@link #catalogue()} (the same object, usually):
 *
 * <pre>{@code
 * class MyStoreConformanceTest extends EventStoreConformance {
 *   static final MyStore STORE = MyStore.create(EventStoreConformance.DECLARATIONS);
 *   protected EventLog log() { return STORE; }
 *   protected EventSource source() { return STORE; }
 *   protected AggregateCatalogue catalogue() { return STORE; }
 * }
 * }</pre>
 *
 * Every test uses fresh aggregate ids, so the store may be shared across tests and classes.
 */
public abstract class EventStoreConformance {

  /** The declarations of the events the suite writes; give them to stores that need schemas. */
  public static final List<Class<?>> DECLARATIONS = List.of(ConformanceEvents.class);

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** The store's write side. */
  protected abstract EventLog log();

  /** The store's read side. */
  protected abstract EventSource source();

  /** The store's catalogue of aggregates. */
  protected abstract AggregateCatalogue catalogue();

  /** Events emitted through the conformance declaration, collected in emission order. */
  protected static final class Recorder {
    final List<Event> events = new ArrayList<>();
    final ConformanceEvents emit = EventMapper.emitter(ConformanceEvents.class, events::add);
  }

  private static StreamTimestamp at(int seconds, String stream) {
    return StreamTimestamp.of(stream, T0.plusSeconds(seconds));
  }

  private static AggregateId idOf(UUID id) {
    return AggregateId.of(ConformanceEvents.AGGREGATE_TYPE, id);
  }

  @Test
  public void returnsHistoryInEventTimeOrderWhateverTheArrivalOrder() {
    UUID id = UUID.randomUUID();
    Recorder r = new Recorder();
    r.emit.opened(at(0, "a"), id, "alice");
    for (int i = 1; i <= 60; i++) {
      r.emit.moved(at(i, i % 3 == 0 ? "b" : "a"), id, "place-" + i, i);
    }
    r.emit.moved(at(30, "c"), id, "same-instant-other-stream", 999);
    r.emit.closed(at(61, "a"), id);
    List<Event> shuffled = new ArrayList<>(r.events);
    Collections.shuffle(shuffled, new Random(1));
    for (int i = 0; i < shuffled.size(); i += 7) {
      log().append(shuffled.subList(i, Math.min(i + 7, shuffled.size())));
    }

    List<Event> history = source().history(idOf(id));

    List<Event> expected = new ArrayList<>(r.events);
    expected.sort(Comparator.comparing(Event::timestamp));
    assertThat(history).containsExactlyElementsOf(expected);
    assertThat(history.get(0).isInitial()).isTrue();
    assertThat(history.get(history.size() - 1).characteristics())
        .containsExactly(EventCharacteristic.TERMINAL);
  }

  @Test
  public void storesRepeatedEventsOnce() {
    UUID id = UUID.randomUUID();
    Recorder r = new Recorder();
    r.emit.opened(at(0, "a"), id, "alice");
    r.emit.moved(at(1, "a"), id, "here", 1);
    r.emit.moved(at(2, "a"), id, "there", 2);

    log().append(r.events);
    log().append(r.events);
    List<Event> withRepeatsInsideOneBatch = new ArrayList<>(r.events);
    withRepeatsInsideOneBatch.addAll(r.events);
    log().append(withRepeatsInsideOneBatch);
    log().append(r.events.get(1));

    assertThat(source().history(idOf(id))).containsExactlyElementsOf(r.events);
  }

  @Test
  public void firstCaptureOfAnEventWins() {
    UUID id = UUID.randomUUID();
    Recorder r = new Recorder();
    r.emit.moved(at(5, "a"), id, "here", 1);
    Event first = r.events.get(0).withProcessingId(ProcessingIds.latestAt(T0.plusSeconds(100)));
    Event again = r.events.get(0).withProcessingId(ProcessingIds.latestAt(T0.plusSeconds(200)));

    log().append(first);
    log().append(again);

    List<Event> history = source().history(idOf(id));
    assertThat(history).hasSize(1);
    assertThat(history.get(0).processingId()).isEqualTo(first.processingId());
  }

  @Test
  public void ofTwoCopiesWithDifferentValuesTheFirstCaptureIsKeptWhateverTheWriteOrder() {
    for (boolean firstWrittenFirst : new boolean[] {true, false}) {
      UUID id = UUID.randomUUID();
      Recorder r = new Recorder();
      r.emit.moved(at(5, "a"), id, "hub-05", 1);
      r.emit.moved(at(5, "a"), id, "hub-99", 1);
      Event first = r.events.get(0).withProcessingId(ProcessingIds.latestAt(T0.plusSeconds(100)));
      Event second = r.events.get(1).withProcessingId(ProcessingIds.latestAt(T0.plusSeconds(200)));

      if (firstWrittenFirst) {
        log().append(first);
        log().append(second);
      } else {
        log().append(second);
        log().append(first);
      }

      List<Event> history = source().history(idOf(id));
      String order = firstWrittenFirst ? "first" : "second";
      assertThat(history).as("first capture written %s", order).containsExactly(first);
      assertThat(history.get(0).processingId())
          .as("first capture written %s", order)
          .isEqualTo(first.processingId());
    }
  }

  @Test
  public void stampsAProcessingIdOnEventsThatHaveNone() {
    UUID id = UUID.randomUUID();
    Recorder r = new Recorder();
    r.emit.opened(at(0, "a"), id, "alice");
    Instant before = Instant.now().minusSeconds(1);

    log().append(r.events);

    Event stored = source().history(idOf(id)).get(0);
    assertThat(stored.processingId()).isPresent();
    assertThat(stored.processingTime().orElseThrow()).isAfter(before);
  }

  @Test
  public void lateEventsLandInTheirPlaceInTime() {
    UUID id = UUID.randomUUID();
    Recorder r = new Recorder();
    r.emit.opened(at(0, "a"), id, "alice");
    r.emit.moved(at(20, "a"), id, "later", 2);
    r.emit.moved(at(10, "b"), id, "late", 1);
    log().append(r.events.subList(0, 2));
    assertThat(source().history(idOf(id))).hasSize(2);

    log().append(r.events.get(2));

    assertThat(source().history(idOf(id)))
        .extracting(e -> e.parameters().find("location").orElse("-"))
        .containsExactly("-", "late", "later");
  }

  @Test
  public void readsTimeRangesWithInclusiveAndExclusiveBounds() {
    UUID id = UUID.randomUUID();
    Recorder r = new Recorder();
    for (int i = 0; i < 5; i++) {
      r.emit.moved(at(i, "a"), id, "p" + i, i);
    }
    log().append(r.events);
    AggregateId aggregate = idOf(id);

    assertThat(sequences(aggregate, TimeRange.from(T0.plusSeconds(1)).before(T0.plusSeconds(3))))
        .containsExactly(1, 2);
    assertThat(sequences(aggregate, TimeRange.after(T0.plusSeconds(1)).until(T0.plusSeconds(3))))
        .containsExactly(2, 3);
    assertThat(sequences(aggregate, TimeRange.upTo(T0.plusSeconds(2)))).containsExactly(0, 1, 2);
    assertThat(sequences(aggregate, TimeRange.upToBefore(T0.plusSeconds(2)))).containsExactly(0, 1);
    assertThat(sequences(aggregate, TimeRange.after(T0.plusSeconds(3)))).containsExactly(4);
    assertThat(sequences(aggregate, TimeRange.from(T0.plusSeconds(3)).until(T0.plusSeconds(3))))
        .containsExactly(3);
    assertThat(sequences(aggregate, TimeRange.from(T0.plusSeconds(10)))).isEmpty();
  }

  @Test
  public void readsNewestFirstWhenAskedDescending() {
    UUID id = UUID.randomUUID();
    Recorder r = new Recorder();
    for (int i = 0; i < 5; i++) {
      r.emit.moved(at(i, "a"), id, "p" + i, i);
    }
    log().append(r.events);

    List<Event> newestFirst =
        source()
            .history(idOf(id), HistoryQuery.within(TimeRange.from(T0.plusSeconds(1))).descending());

    assertThat(newestFirst)
        .extracting(e -> e.parameters().get("sequence"))
        .containsExactly(4, 3, 2, 1);
  }

  @Test
  public void readsTheHistoryAsKnownAtAnEarlierProcessingTime() {
    UUID id = UUID.randomUUID();
    Recorder r = new Recorder();
    r.emit.opened(at(0, "a"), id, "alice");
    r.emit.moved(at(50, "a"), id, "known-late", 1);
    r.emit.moved(at(10, "b"), id, "known-later-still", 2);
    Instant day1 = T0.plusSeconds(86_400);
    log().append(r.events.get(0).withProcessingId(ProcessingIds.latestAt(day1)));
    log().append(r.events.get(1).withProcessingId(ProcessingIds.latestAt(day1.plusSeconds(60))));
    log().append(r.events.get(2).withProcessingId(ProcessingIds.latestAt(day1.plusSeconds(120))));
    AggregateId aggregate = idOf(id);

    assertThat(source().history(aggregate, HistoryQuery.all().asKnownAt(day1.minusMillis(1))))
        .isEmpty();
    assertThat(source().history(aggregate, HistoryQuery.all().asKnownAt(day1)))
        .containsExactly(r.events.get(0));
    assertThat(source().history(aggregate, HistoryQuery.all().asKnownAt(day1.plusSeconds(90))))
        .containsExactly(r.events.get(0), r.events.get(1));
    assertThat(source().history(aggregate, HistoryQuery.all().asKnownAt(day1.plusSeconds(120))))
        .containsExactly(r.events.get(0), r.events.get(2), r.events.get(1));
  }

  @Test
  public void preloadsManyAggregatesAtOnce() {
    List<UUID> ids = Stream.generate(UUID::randomUUID).limit(20).toList();
    Recorder r = new Recorder();
    for (int i = 0; i < ids.size(); i++) {
      for (int j = 0; j <= i % 4; j++) {
        r.emit.moved(at(j, "a"), ids.get(i), "p" + j, j);
      }
    }
    log().append(r.events);
    UUID unknown = UUID.randomUUID();
    List<AggregateId> asked =
        new ArrayList<>(ids.stream().map(EventStoreConformance::idOf).toList());
    asked.add(idOf(unknown));

    Map<AggregateId, List<Event>> histories = source().preload(asked, HistoryQuery.all());

    assertThat(histories.keySet()).containsExactlyElementsOf(asked);
    for (int i = 0; i < ids.size(); i++) {
      assertThat(histories.get(idOf(ids.get(i)))).hasSize(i % 4 + 1);
      assertThat(histories.get(idOf(ids.get(i)))).isEqualTo(source().history(idOf(ids.get(i))));
    }
    assertThat(histories.get(idOf(unknown))).isEmpty();
  }

  @Test
  public void returnsNothingForAnUnknownAggregate() {
    assertThat(source().history(idOf(UUID.randomUUID()))).isEmpty();
  }

  @Test
  public void keepsEverySupportedParameterTypeExactly() {
    UUID id = UUID.randomUUID();
    UUID reference = UUID.randomUUID();
    Recorder r = new Recorder();
    Size size = new Size(3, 4, Optional.of("cm"));
    r.emit.described(
        at(0, "a"),
        id,
        "text with \"quotes\", commas, unicode é and\nnew lines",
        -7,
        Long.MAX_VALUE,
        0.1,
        true,
        reference,
        Instant.parse("2026-02-03T04:05:06.789Z"),
        LocalDate.of(2026, 2, 29 - 1),
        new BigDecimal("1234567890.0123456789"),
        Priority.HIGH,
        size,
        List.of(size, new Size(0, 0, Optional.empty())),
        Set.of(Priority.LOW, Priority.HIGH),
        Map.of("x", List.of(reference), "empty", List.of()),
        Optional.empty(),
        Optional.of("note"));

    log().append(r.events);

    Event stored = source().history(idOf(id)).get(0);
    assertThat(stored).isEqualTo(r.events.get(0));
    assertThat(stored.parameters().asMap()).isEqualTo(r.events.get(0).parameters().asMap());
    assertThat(stored.parameters().names())
        .containsExactlyElementsOf(r.events.get(0).parameters().names());
  }

  @Test
  public void streamsALongHistoryInBothOrders() {
    UUID id = UUID.randomUUID();
    Recorder r = new Recorder();
    int n = 5_000;
    for (int i = 0; i < n; i++) {
      r.emit.moved(at(i, "a"), id, "p", i);
    }
    for (int i = 0; i < n; i += 500) {
      log().append(r.events.subList(i, i + 500));
    }

    try (Stream<Event> ascending = source().read(idOf(id), HistoryQuery.all())) {
      assertThat(ascending.map(e -> (Integer) e.parameters().get("sequence")))
          .containsExactlyElementsOf(
              Stream.iterate(0, i -> i + 1).limit(n).collect(Collectors.toList()));
    }
    try (Stream<Event> descending = source().read(idOf(id), HistoryQuery.all().descending())) {
      assertThat(descending.findFirst().orElseThrow().parameters().get("sequence"))
          .isEqualTo(n - 1);
    }
  }

  @Test
  public void cataloguesTheAggregatesOfAType() {
    List<UUID> ids = Stream.generate(UUID::randomUUID).limit(10).toList();
    Recorder r = new Recorder();
    ids.forEach(id -> r.emit.opened(at(0, "a"), id, "o"));
    log().append(r.events);

    assertThat(catalogue().list(ConformanceEvents.AGGREGATE_TYPE))
        .containsAll(ids.stream().map(EventStoreConformance::idOf).toList());
    assertThat(catalogue().list("no-such-type-" + UUID.randomUUID())).isEmpty();
  }

  @Test
  public void refusesABatchWithANullEventAndWritesNoneOfIt() {
    UUID id = UUID.randomUUID();
    Recorder r = new Recorder();
    r.emit.opened(at(0, "a"), id, "alice");
    List<Event> batch = new ArrayList<>(r.events);
    batch.add(null);

    assertThatThrownBy(() -> log().append(batch)).isInstanceOf(IllegalArgumentException.class);
    assertThat(source().history(idOf(id))).isEmpty();
  }

  private List<Integer> sequences(AggregateId aggregate, TimeRange range) {
    return source().history(aggregate, HistoryQuery.within(range)).stream()
        .map(e -> (Integer) e.parameters().get("sequence"))
        .toList();
  }
}
