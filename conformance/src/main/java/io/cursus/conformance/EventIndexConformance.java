package io.cursus.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.ProcessingIds;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.mapping.EventMapper;
import io.cursus.api.store.EventIndex;
import io.cursus.api.store.EventIndexer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What every latest-value index must do. Extend it and return the index from {@link #indexer()} and
 * {@link #index()}. Every test uses fresh aggregate ids and values, so an index may be shared.
 *
 * <p>Besides event-time order, late and repeated events, the suite holds an index to two rules a
 * store keys differently: a value of any length (70,000 characters, or more bytes than characters
 * in UTF-8) is found by exactly that value; and of two copies of one event (one identity) that
 * carry different values, the first capture counts, as in the store (ADR 2).
 */
public abstract class EventIndexConformance {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  protected abstract EventIndexer indexer();

  protected abstract EventIndex index();

  private static AggregateId idOf(UUID id) {
    return AggregateId.of(ConformanceEvents.AGGREGATE_TYPE, id);
  }

  private Set<AggregateId> at(String location) {
    return index().find(ConformanceEvents.AGGREGATE_TYPE, "location", location);
  }

  @Test
  public void findsAggregatesByTheLatestValueOfAParameter() {
    String here = "here-" + UUID.randomUUID();
    String there = "there-" + UUID.randomUUID();
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    List<Event> events = new ArrayList<>();
    ConformanceEvents emit = EventMapper.emitter(ConformanceEvents.class, events::add);
    emit.moved(StreamTimestamp.of("s", T0), a, here, 1);
    emit.moved(StreamTimestamp.of("s", T0), b, here, 1);
    emit.moved(StreamTimestamp.of("s", T0.plusSeconds(1)), b, there, 2);

    indexer().index(events);

    assertThat(at(here)).containsExactly(idOf(a));
    assertThat(at(there)).containsExactly(idOf(b));
  }

  @Test
  public void olderEventArrivingLateNeverReplacesANewerValue() {
    String newer = "newer-" + UUID.randomUUID();
    String older = "older-" + UUID.randomUUID();
    UUID a = UUID.randomUUID();
    List<Event> events = new ArrayList<>();
    ConformanceEvents emit = EventMapper.emitter(ConformanceEvents.class, events::add);
    emit.moved(StreamTimestamp.of("s", T0.plusSeconds(10)), a, newer, 2);
    emit.moved(StreamTimestamp.of("s", T0), a, older, 1);

    indexer().index(events.subList(0, 1));
    indexer().index(events.subList(1, 2));

    assertThat(at(newer)).containsExactly(idOf(a));
    assertThat(at(older)).isEmpty();
  }

  @Test
  public void shuffledAndRepeatedInputGivesTheSameAnswersAsOrderedInput() {
    String run = UUID.randomUUID().toString();
    List<String> locations = List.of("a-" + run, "b-" + run, "c-" + run, "d-" + run);
    Random random = new Random(3);
    List<Event> events = new ArrayList<>();
    ConformanceEvents emit = EventMapper.emitter(ConformanceEvents.class, events::add);
    List<UUID> ids = new ArrayList<>();
    for (int p = 0; p < 100; p++) {
      UUID id = UUID.randomUUID();
      ids.add(id);
      int moves = 1 + random.nextInt(5);
      for (int m = 0; m < moves; m++) {
        emit.moved(
            StreamTimestamp.of(
                "s" + random.nextInt(3), T0.plusSeconds(m * 10L + random.nextInt(5))),
            id,
            locations.get(random.nextInt(locations.size())),
            m);
      }
    }
    Map<UUID, Object> expected = new HashMap<>();
    events.stream()
        .sorted(Comparator.comparing(Event::timestamp))
        .forEach(
            e ->
                expected.put(
                    UUID.fromString(e.aggregateId().id()), e.parameters().get("location")));
    List<Event> messy = new ArrayList<>(events);
    messy.addAll(events.subList(0, events.size() / 2));
    Collections.shuffle(messy, random);

    for (int i = 0; i < messy.size(); i += 13) {
      indexer().index(messy.subList(i, Math.min(i + 13, messy.size())));
    }

    for (String location : locations) {
      Set<AggregateId> want =
          ids.stream()
              .filter(id -> location.equals(expected.get(id)))
              .map(EventIndexConformance::idOf)
              .collect(Collectors.toSet());
      assertThat(at(location)).as("aggregates at %s", location).isEqualTo(want);
    }
  }

  private static Event capturedAt(Event event, int second) {
    return event.withProcessingId(ProcessingIds.latestAt(T0.plusSeconds(second)));
  }

  @Test
  public void findsAnAggregateByALongValueAndByNoOtherValue() {
    String run = UUID.randomUUID().toString();
    String ascii = run + "x".repeat(70_000);
    String multibyte = run + "\u20ac".repeat(22_000); // 22,036 characters, 66,036 bytes in UTF-8
    String lastDiffers = ascii.substring(0, ascii.length() - 1) + "y";
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    UUID c = UUID.randomUUID();
    List<Event> events = new ArrayList<>();
    ConformanceEvents emit = EventMapper.emitter(ConformanceEvents.class, events::add);
    emit.moved(StreamTimestamp.of("s", T0), a, ascii, 1);
    emit.moved(StreamTimestamp.of("s", T0), b, multibyte, 1);
    emit.moved(StreamTimestamp.of("s", T0), c, lastDiffers, 1);

    indexer().index(events);

    assertThat(at(ascii)).containsExactly(idOf(a));
    assertThat(at(multibyte)).containsExactly(idOf(b));
    assertThat(at(lastDiffers)).containsExactly(idOf(c));
    assertThat(at(ascii + "x")).as("a longer value").isEmpty();
    assertThat(at(ascii.substring(0, ascii.length() - 1))).as("a shorter value").isEmpty();
  }

  @Test
  public void anAggregateThatMovesOffALongValueAndBackIsFoundWhereItIs() {
    String run = UUID.randomUUID().toString();
    String long1 = run + "1".repeat(70_000);
    String long2 = run + "2".repeat(70_000);
    String shortValue = "short-" + run;
    UUID a = UUID.randomUUID();
    List<Event> events = new ArrayList<>();
    ConformanceEvents emit = EventMapper.emitter(ConformanceEvents.class, events::add);
    emit.moved(StreamTimestamp.of("s", T0), a, long1, 1);
    emit.moved(StreamTimestamp.of("s", T0.plusSeconds(1)), a, long2, 2);
    emit.moved(StreamTimestamp.of("s", T0.plusSeconds(2)), a, shortValue, 3);
    emit.moved(StreamTimestamp.of("s", T0.plusSeconds(3)), a, long1, 4);

    indexer().index(events.subList(0, 2));
    assertThat(at(long1)).as("moved off").isEmpty();
    assertThat(at(long2)).containsExactly(idOf(a));
    indexer().index(events.subList(2, 3));
    assertThat(at(long2)).as("moved off").isEmpty();
    assertThat(at(shortValue)).containsExactly(idOf(a));
    indexer().index(events.subList(3, 4));

    assertThat(at(long1)).as("moved back").containsExactly(idOf(a));
    assertThat(at(long2)).isEmpty();
    assertThat(at(shortValue)).isEmpty();
  }

  @Test
  public void ofTwoCopiesOfAnEventWithDifferentValuesTheFirstCaptureIsIndexed() {
    List<List<String>> pairs =
        List.of(
            List.of("hub-05", "hub-99"), List.of("hub-99", "hub-05"), List.of("hub-05", "hub-00"));
    for (List<String> pair : pairs) {
      for (boolean oneCall : new boolean[] {false, true}) {
        for (boolean stamped : new boolean[] {true, false}) {
          String run = UUID.randomUUID().toString();
          String firstValue = pair.get(0) + "-" + run;
          String secondValue = pair.get(1) + "-" + run;
          UUID id = UUID.randomUUID();
          List<Event> events = new ArrayList<>();
          ConformanceEvents emit = EventMapper.emitter(ConformanceEvents.class, events::add);
          emit.moved(StreamTimestamp.of("s", T0), id, firstValue, 1);
          emit.moved(StreamTimestamp.of("s", T0), id, secondValue, 1);
          // stamped: captured earlier, as events from a bus or a broker are; not stamped: the
          // index captures them as it sees them, so the first indexed is the first captured
          Event first = stamped ? capturedAt(events.get(0), 100) : events.get(0);
          Event second = stamped ? capturedAt(events.get(1), 200) : events.get(1);

          if (oneCall) {
            indexer().index(List.of(first, second));
          } else {
            indexer().index(List.of(first));
            indexer().index(List.of(second));
          }

          String description =
              pair.get(0)
                  + " then "
                  + pair.get(1)
                  + (oneCall ? " in one call" : " in two calls")
                  + (stamped ? ", captured before indexing" : ", captured by the index");
          assertThat(at(firstValue)).as(description).containsExactly(idOf(id));
          assertThat(at(secondValue)).as(description).isEmpty();
        }
      }
    }
  }

  @Test
  public void copiesIndexedInTheReverseOfTheirCaptureOrderKeepTheFirstCapture() {
    for (String laterCapture : List.of("hub-00", "hub-99")) {
      for (boolean oneCall : new boolean[] {false, true}) {
        String run = UUID.randomUUID().toString();
        String firstValue = "hub-05-" + run;
        String secondValue = laterCapture + "-" + run;
        UUID id = UUID.randomUUID();
        List<Event> events = new ArrayList<>();
        ConformanceEvents emit = EventMapper.emitter(ConformanceEvents.class, events::add);
        emit.moved(StreamTimestamp.of("s", T0), id, firstValue, 1);
        emit.moved(StreamTimestamp.of("s", T0), id, secondValue, 1);
        Event first = capturedAt(events.get(0), 100);
        Event second = capturedAt(events.get(1), 200);

        if (oneCall) {
          indexer().index(List.of(second, first));
        } else {
          indexer().index(List.of(second));
          indexer().index(List.of(first));
        }

        String description =
            "hub-05 captured first, "
                + laterCapture
                + " indexed first"
                + (oneCall ? " (one call)" : "");
        assertThat(at(firstValue)).as(description).containsExactly(idOf(id));
        assertThat(at(secondValue)).as(description).isEmpty();
      }
    }
  }

  @Test
  public void aLaterEventReplacesTheFirstCaptureAndALateCopyOfTheEarlierEventChangesNothing() {
    String run = UUID.randomUUID().toString();
    String firstCopy = "hub-05-" + run;
    String later = "hub-50-" + run;
    String secondCopy = "hub-99-" + run;
    UUID id = UUID.randomUUID();
    List<Event> events = new ArrayList<>();
    ConformanceEvents emit = EventMapper.emitter(ConformanceEvents.class, events::add);
    emit.moved(StreamTimestamp.of("s", T0), id, firstCopy, 1);
    emit.moved(StreamTimestamp.of("s", T0.plusMillis(1)), id, later, 2);
    emit.moved(StreamTimestamp.of("s", T0), id, secondCopy, 1);

    indexer().index(List.of(capturedAt(events.get(0), 100)));
    indexer().index(List.of(capturedAt(events.get(1), 50))); // captured earlier, but later in time
    indexer().index(List.of(capturedAt(events.get(2), 10))); // the earliest capture of all

    assertThat(at(later)).containsExactly(idOf(id));
    assertThat(at(firstCopy)).isEmpty();
    assertThat(at(secondCopy)).isEmpty();
  }

  @Test
  public void atOneInstantTheEventOfTheGreaterStreamIdIsTheLatest() {
    // stream ids that differ only after their first characters, and values that sort the other way
    String run = UUID.randomUUID().toString();
    String ofStream1 = "zz-" + run;
    String ofStream2 = "aa-" + run;
    UUID inOrder = UUID.randomUUID();
    UUID reversed = UUID.randomUUID();
    List<Event> events = new ArrayList<>();
    ConformanceEvents emit = EventMapper.emitter(ConformanceEvents.class, events::add);
    emit.moved(StreamTimestamp.of("scanner-1", T0), inOrder, ofStream1, 1);
    emit.moved(StreamTimestamp.of("scanner-2", T0), inOrder, ofStream2, 1);
    emit.moved(StreamTimestamp.of("scanner-2", T0), reversed, ofStream2, 1);
    emit.moved(StreamTimestamp.of("scanner-1", T0), reversed, ofStream1, 1);

    indexer().index(events.subList(0, 2));
    indexer().index(events.subList(2, 3));
    indexer().index(events.subList(3, 4));

    assertThat(at(ofStream2)).containsExactlyInAnyOrder(idOf(inOrder), idOf(reversed));
    assertThat(at(ofStream1)).isEmpty();
  }
}
