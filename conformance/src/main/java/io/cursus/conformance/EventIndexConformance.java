package io.cursus.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
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
}
