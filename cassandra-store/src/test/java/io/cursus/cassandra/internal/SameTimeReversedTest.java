package io.cursus.cassandra.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.EventType;
import io.cursus.api.Parameters;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.store.HistoryQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SameTimeReversedTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final AggregateId PARCEL = AggregateId.of("parcel", "p-1");

  private static Event at(int millis, String stream) {
    return Event.of(
        PARCEL,
        StreamTimestamp.of(stream, T0.plusMillis(millis)),
        EventType.of("parcel", "moved"),
        Parameters.none());
  }

  private static List<Event> drain(Iterator<Event> events) {
    List<Event> out = new ArrayList<>();
    events.forEachRemaining(out::add);
    return out;
  }

  @Test
  void reversesEachRunOfOneEventTimeAndKeepsTheRunsInTheirOrder() {
    // given: rows as the table returns them newest first (event time DESC, stream id ASC)
    List<Event> stored =
        List.of(at(3, "a"), at(2, "a"), at(2, "b"), at(2, "c"), at(1, "a"), at(0, "a"), at(0, "b"));

    // when
    List<Event> read = drain(new SameTimeReversed(stored.iterator()));

    // then
    assertThat(read)
        .containsExactly(
            at(3, "a"), at(2, "c"), at(2, "b"), at(2, "a"), at(1, "a"), at(0, "b"), at(0, "a"));
  }

  @Test
  void turnsTheTablesOrderIntoTheOrderEachQueryPromises() {
    // given: events at a few instants on a few streams
    Random random = new Random(11);
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      Event e = at(random.nextInt(20), "s" + random.nextInt(6));
      if (!events.contains(e)) {
        events.add(e);
      }
    }
    Comparator<Event> byStream = Comparator.comparing(e -> e.timestamp().streamId());
    Comparator<Event> byTime = Comparator.comparing(Event::eventTime);
    // the table's clustering order (time DESC, stream ASC), and its reverse, read ascending
    List<Event> descendingRows =
        events.stream().sorted(byTime.reversed().thenComparing(byStream)).toList();
    List<Event> ascendingRows =
        events.stream().sorted(byTime.thenComparing(byStream.reversed())).toList();

    // then
    assertThat(drain(new SameTimeReversed(descendingRows.iterator())))
        .isEqualTo(events.stream().sorted(HistoryQuery.all().descending().comparator()).toList());
    assertThat(drain(new SameTimeReversed(ascendingRows.iterator())))
        .isEqualTo(events.stream().sorted(HistoryQuery.all().comparator()).toList());
  }

  @Test
  void readsNoMoreThanTheCurrentRunAndTheFirstEventAfterIt() {
    // given: a long history whose first instant has three events
    List<Event> stored = new ArrayList<>(List.of(at(1000, "a"), at(1000, "b"), at(1000, "c")));
    for (int i = 999; i >= 0; i--) {
      stored.add(at(i, "a"));
    }
    int[] pulled = {0};
    Iterator<Event> source =
        new Iterator<>() {
          private final Iterator<Event> rows = stored.iterator();

          @Override
          public boolean hasNext() {
            return rows.hasNext();
          }

          @Override
          public Event next() {
            pulled[0]++;
            return rows.next();
          }
        };
    SameTimeReversed reversed = new SameTimeReversed(source);

    // when
    Event first = reversed.next();

    // then: it streams, holding one run, not the history
    assertThat(first).isEqualTo(at(1000, "c"));
    assertThat(pulled[0]).isEqualTo(4);
  }

  @Test
  void anEmptySourceHasNoEventAndNextSaysSo() {
    SameTimeReversed reversed = new SameTimeReversed(List.<Event>of().iterator());

    assertThat(reversed.hasNext()).isFalse();
    assertThat(reversed.hasNext()).isFalse();
    assertThatThrownBy(reversed::next).isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void askingHasNextTwiceNeitherSkipsNorRepeatsAnEvent() {
    SameTimeReversed reversed =
        new SameTimeReversed(List.of(at(1, "a"), at(1, "b"), at(0, "a")).iterator());

    assertThat(reversed.hasNext()).isTrue();
    assertThat(reversed.hasNext()).isTrue();
    assertThat(reversed.next()).isEqualTo(at(1, "b"));
    assertThat(reversed.next()).isEqualTo(at(1, "a"));
    assertThat(reversed.hasNext()).isTrue();
    assertThat(reversed.next()).isEqualTo(at(0, "a"));
    assertThat(reversed.hasNext()).isFalse();
    assertThatThrownBy(reversed::next).isInstanceOf(NoSuchElementException.class);
  }
}
