package io.cursus.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.internal.CharacteristicBits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ModelTest {

  private static final Instant T = Instant.parse("2026-01-05T10:15:30.123456Z");

  @Test
  void streamTimestampsOrderByEventTimeThenStream() {
    StreamTimestamp a = StreamTimestamp.of("depot-b", T);
    StreamTimestamp b = StreamTimestamp.of("depot-a", T.plusMillis(1));
    StreamTimestamp c = StreamTimestamp.of("depot-c", T.plusMillis(1));

    List<StreamTimestamp> sorted = new ArrayList<>(List.of(c, b, a));
    sorted.sort(null);

    assertThat(sorted).containsExactly(a, b, c);
  }

  @Test
  void eventsOrderAsTheirTimestampsEvenFarFromNow() {
    Instant t = Instant.parse("2026-03-01T09:00:00Z");
    List<StreamTimestamp> timestamps =
        List.of(
            StreamTimestamp.of("b", Instant.MIN),
            StreamTimestamp.of("a", Instant.MIN.plusSeconds(1)),
            StreamTimestamp.of("b", Instant.MIN.plusSeconds(1)),
            StreamTimestamp.of("a", Instant.ofEpochMilli(Long.MIN_VALUE)),
            StreamTimestamp.of("a", t),
            StreamTimestamp.of("b", t),
            StreamTimestamp.of("", t.plusMillis(1)),
            StreamTimestamp.of("a", Instant.ofEpochMilli(Long.MAX_VALUE)),
            StreamTimestamp.of("a", Instant.MAX),
            StreamTimestamp.of("b", Instant.MAX));
    AggregateId id = AggregateId.of("parcel", "p-1");
    EventType type = EventType.of("parcel", "scanned");

    for (StreamTimestamp a : timestamps) {
      for (StreamTimestamp b : timestamps) {
        int byEvents =
            Event.compareTimestamps(
                Event.of(id, a, type, Parameters.none()), Event.of(id, b, type, Parameters.none()));
        assertThat(Integer.signum(byEvents))
            .as(a + " vs " + b)
            .isEqualTo(Integer.signum(a.compareTo(b)));
      }
    }
  }

  @Test
  void streamTimestampKeepsMilliseconds() {
    StreamTimestamp ts = StreamTimestamp.of("s", T);

    assertThat(ts.timestamp()).isEqualTo(Instant.parse("2026-01-05T10:15:30.123Z"));
    assertThat(ts).isEqualTo(StreamTimestamp.of("s", Instant.parse("2026-01-05T10:15:30.123999Z")));
    assertThat(ts).hasToString("2026-01-05T10:15:30.123Z@s");
  }

  @Test
  void aggregateIdRejectsBlankAndNullParts() {
    assertThatThrownBy(() -> AggregateId.of("parcel", "  "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("aggregate id of type 'parcel' must not be blank");
    assertThatThrownBy(() -> AggregateId.of("parcel", (String) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("must not be null");
    assertThatThrownBy(() -> AggregateId.of("", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("aggregate type must not be blank");
  }

  @Test
  void eventEqualityIgnoresProcessingIdButIdentityIsStable() {
    Event event =
        Event.of(
            AggregateId.of("parcel", "p1"),
            StreamTimestamp.of("s", T),
            EventType.of("parcel", "delivered"),
            Parameters.of("destinationId", "home"),
            Set.of(EventCharacteristic.TERMINAL));

    Event first = event.captured();
    Event second = event.captured();

    assertThat(first.processingId()).isPresent();
    assertThat(first.processingId()).isNotEqualTo(second.processingId());
    assertThat(first).isEqualTo(second).hasSameHashCodeAs(second);
    assertThat(first.identity()).isEqualTo(event.identity());
    assertThat(first.captured()).isSameAs(first);
    assertThat(event.toString())
        .isEqualTo(
            "delivered_1 parcel/p1 at 2026-01-05T10:15:30.123Z@s {destinationId=home} [TERMINAL]");
  }

  @Test
  void eventRejectsTypeOfAnotherAggregate() {
    assertThatThrownBy(
            () ->
                Event.of(
                    AggregateId.of("truck", "t1"),
                    StreamTimestamp.of(T),
                    EventType.of("parcel", "delivered"),
                    Parameters.none()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("belongs to aggregate type 'parcel' but the event is for truck/t1");
  }

  @Test
  void parametersKeepDeclaredOrderAndCopyCollections() {
    List<String> items = new ArrayList<>(List.of("a"));
    Parameters parameters = Parameters.of("z", 1, "a", items);
    items.add("b");

    assertThat(parameters.names()).containsExactly("z", "a");
    assertThat(parameters.get("a")).isEqualTo(List.of("a"));
    assertThat(parameters).isNotEqualTo(Parameters.of("a", List.of("a"), "z", 1));
    assertThatThrownBy(() -> parameters.get("z", String.class))
        .hasMessage("parameter 'z' is a java.lang.Integer, not a java.lang.String");
    assertThatThrownBy(() -> Parameters.of("x", 1, "x", 2)).hasMessage("parameter 'x' given twice");
  }

  @Test
  void aBuilderUsedAgainAfterBuildLeavesWhatItBuiltUnchanged() {
    Parameters.Builder builder = Parameters.builder().add("a", 1);
    Parameters first = builder.build();
    Parameters second = builder.add("b", 2).build();
    Parameters third = builder.add("c", 3).build();

    assertThat(first.names()).containsExactly("a");
    assertThat(second.names()).containsExactly("a", "b");
    assertThat(third.names()).containsExactly("a", "b", "c");
    assertThat(first).isEqualTo(Parameters.of("a", 1));
    assertThatThrownBy(() -> builder.add("a", 9)).hasMessage("parameter 'a' given twice");
    assertThat(third.get("a")).isEqualTo(1);
  }

  @Test
  void longParameterValuesAreCutShortInMessages() {
    Parameters parameters = Parameters.of("short", "ok", "huge", "x".repeat(2_000_000));

    assertThat(parameters.toString())
        .isEqualTo("{short=ok, huge=" + "x".repeat(100) + "...(2000000 chars)}");
    assertThat(parameters.get("huge", String.class)).hasSize(2_000_000);
  }

  @Test
  void processingIdsAreTimeBasedAndIncreasing() {
    Instant before = Instant.now();
    UUID previous = ProcessingIds.next();
    for (int i = 0; i < 10_000; i++) {
      UUID next = ProcessingIds.next();
      assertThat(ProcessingIds.compare(previous, next)).isNegative();
      previous = next;
    }
    assertThat(previous.version()).isEqualTo(1);
    assertThat(ProcessingIds.instantOf(previous)).isAfterOrEqualTo(before.minusSeconds(1));
    assertThat(
            ProcessingIds.compare(previous, ProcessingIds.latestAt(Instant.now().plusSeconds(5))))
        .isNegative();
    assertThatThrownBy(() -> ProcessingIds.instantOf(UUID.randomUUID()))
        .hasMessageContaining("is not a time-based (version 1) UUID");
  }

  @Test
  void characteristicsRoundTripThroughMask() {
    Set<EventCharacteristic> both =
        Set.of(EventCharacteristic.INITIAL, EventCharacteristic.TERMINAL);

    assertThat(CharacteristicBits.fromMask(CharacteristicBits.toMask(both))).isEqualTo(both);
    assertThat(CharacteristicBits.toMask(Set.of())).isZero();
    assertThatThrownBy(() -> CharacteristicBits.fromMask(8))
        .hasMessage("unknown event characteristics in mask 8");
  }
}
