package io.cursus.cassandra.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.ProtocolVersion;
import com.datastax.oss.driver.api.core.type.codec.TypeCodecs;
import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.EventCharacteristic;
import io.cursus.api.HandlesEventsFor;
import io.cursus.api.Initial;
import io.cursus.api.ProcessingIds;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.Terminal;
import io.cursus.api.internal.CharacteristicBits;
import io.cursus.api.mapping.EventMapper;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.store.UnreadableEventException;
import io.cursus.api.store.UnreadableEventException.Reason;
import io.cursus.json.ParameterCodec;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Event rows, encoded as Cassandra sends them, read back into events. */
class RowCodecTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @HandlesEventsFor("parcel")
  interface ParcelEvents {
    @Initial
    void received(StreamTimestamp ts, UUID id, String depot);

    void moved(StreamTimestamp ts, UUID id, String location, int sequence);

    @Terminal
    void delivered(StreamTimestamp ts, UUID id);
  }

  /** More event types than the codec keeps in mind at once. */
  @HandlesEventsFor("sensor")
  interface SensorEvents {
    void read0(StreamTimestamp ts, String id, int value);

    void read1(StreamTimestamp ts, String id, long value);

    void read2(StreamTimestamp ts, String id, String value);

    void read3(StreamTimestamp ts, String id, double value);

    void read4(StreamTimestamp ts, String id, boolean value);

    void read5(StreamTimestamp ts, String id, int value);

    void read6(StreamTimestamp ts, String id, long value);

    void read7(StreamTimestamp ts, String id, String value);

    void read8(StreamTimestamp ts, String id, double value);

    void read9(StreamTimestamp ts, String id, boolean value);
  }

  private final RowCodec rows =
      new RowCodec(
          EventTypeRegistry.of(ParcelEvents.class, SensorEvents.class), ParameterCodec.create());

  private final UUID parcel = UUID.randomUUID();
  private final List<Event> emitted = new ArrayList<>();
  private final ParcelEvents emit = EventMapper.emitter(ParcelEvents.class, emitted::add);

  @Test
  void readsTheRowOfAnEventBackAsThatEventWithItsProcessingId() {
    // given
    emit.moved(StreamTimestamp.of("scanner-1", T0), parcel, "Lewisham", 7);
    Event event = emitted.get(0).withProcessingId(ProcessingIds.next());

    // when
    Event read = rows.read(event.aggregateId(), EncodedRow.of(eventColumns(event)), 0);

    // then
    assertThat(read).isEqualTo(event);
    assertThat(read.processingId()).isEqualTo(event.processingId());
    assertThat(read.parameters().get("sequence")).isEqualTo(7);
    assertThat(read.type()).isSameAs(rows.schemaFor(event).type());
  }

  @Test
  void readsTheEventColumnsFromTheOffsetAScanPutsThemAt() {
    // given: a scan selects the partition key first
    emit.received(StreamTimestamp.of("s", T0), parcel, "Hub");
    Event event = emitted.get(0).withProcessingId(ProcessingIds.next());
    Map<String, @Nullable ByteBuffer> columns = eventColumns(event);
    columns.put("aggregate_type", text("parcel"));
    columns.put("aggregate_id", text(parcel.toString()));

    // when
    Event read =
        rows.read(event.aggregateId(), EncodedRow.of(columns, "aggregate_type", "aggregate_id"), 2);

    // then
    assertThat(read).isEqualTo(event);
  }

  @Test
  void readsTheCharacteristicsBackFromTheirBits() {
    emit.received(StreamTimestamp.of("s", T0), parcel, "Hub");
    emit.delivered(StreamTimestamp.of("s", T0.plusSeconds(1)), parcel);

    Event initial = read(emitted.get(0));
    Event terminal = read(emitted.get(1));

    assertThat(initial.characteristics()).containsExactly(EventCharacteristic.INITIAL);
    assertThat(terminal.characteristics()).containsExactly(EventCharacteristic.TERMINAL);
  }

  @Test
  void aRowWithoutAProcessingIdGivesAnEventNotCaptured() {
    emit.moved(StreamTimestamp.of("s", T0), parcel, "Lewisham", 1);
    Map<String, @Nullable ByteBuffer> columns = eventColumns(emitted.get(0));
    columns.put("processing_id", null);

    Event read = rows.read(emitted.get(0).aggregateId(), EncodedRow.of(columns), 0);

    assertThat(read).isEqualTo(emitted.get(0));
    assertThat(read.processingId()).isEmpty();
  }

  @Test
  void aRowWithoutParametersReadsAsAnEventWithNone() {
    emit.delivered(StreamTimestamp.of("s", T0), parcel);
    Map<String, @Nullable ByteBuffer> columns = eventColumns(emitted.get(0));
    columns.put("parameters", null);

    assertThat(rows.read(emitted.get(0).aggregateId(), EncodedRow.of(columns), 0))
        .isEqualTo(emitted.get(0));
  }

  @Test
  void readsRowsOfMoreTypesThanItKeepsInMindEachWithItsOwnSchema() {
    // given: ten types, read in turn three times over, so recent types are evicted and found again
    List<Event> events = new ArrayList<>();
    SensorEvents sensor = EventMapper.emitter(SensorEvents.class, events::add);
    for (int round = 0; round < 3; round++) {
      StreamTimestamp at = StreamTimestamp.of("s", T0.plusSeconds(round));
      sensor.read0(at, "x", round);
      sensor.read1(at, "x", round);
      sensor.read2(at, "x", "r" + round);
      sensor.read3(at, "x", round + 0.5);
      sensor.read4(at, "x", round % 2 == 0);
      sensor.read5(at, "x", round);
      sensor.read6(at, "x", round);
      sensor.read7(at, "x", "r" + round);
      sensor.read8(at, "x", round + 0.5);
      sensor.read9(at, "x", round % 2 == 0);
    }

    // then
    for (Event event : events) {
      Event read = read(event);
      assertThat(read).isEqualTo(event);
      assertThat(read.parameters().get("value")).isEqualTo(event.parameters().get("value"));
    }
  }

  @Test
  void aRowOfATypeNoDeclarationHasIsUnreadableNamingAggregateAndType() {
    emit.moved(StreamTimestamp.of("s", T0), parcel, "Lewisham", 1);
    Map<String, @Nullable ByteBuffer> columns = eventColumns(emitted.get(0));
    columns.put("name", text("teleported"));
    AggregateId aggregate = emitted.get(0).aggregateId();

    assertThatThrownBy(() -> rows.read(aggregate, EncodedRow.of(columns), 0))
        .isInstanceOfSatisfying(
            UnreadableEventException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_EVENT_TYPE))
        .hasMessage(
            aggregate
                + " at 2026-01-01T00:00:00Z@s: stored event type parcel/teleported_1 is not"
                + " declared by any registered declaration");
  }

  @Test
  void aRowWhoseParametersNoLongerMatchTheDeclarationIsUnreadableNamingTheField() {
    emit.moved(StreamTimestamp.of("s", T0), parcel, "Lewisham", 1);
    Map<String, @Nullable ByteBuffer> columns = eventColumns(emitted.get(0));
    columns.put(
        "parameters",
        RowCodec.PARAMETERS.encode(
            Map.of("location", "\"Lewisham\"", "sequence", "\"seven\""), ProtocolVersion.DEFAULT));
    AggregateId aggregate = emitted.get(0).aggregateId();

    assertThatThrownBy(() -> rows.read(aggregate, EncodedRow.of(columns), 0))
        .isInstanceOfSatisfying(
            UnreadableEventException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.SCHEMA_MISMATCH))
        .hasMessageStartingWith(
            aggregate
                + " parcel/moved_1 at 2026-01-01T00:00:00Z@s: field 'sequence' cannot be read as"
                + " int from \"seven\"");
  }

  @Test
  void aRowLackingItsTimeStreamOrTypeIsMalformed() {
    emit.moved(StreamTimestamp.of("s", T0), parcel, "Lewisham", 1);
    AggregateId aggregate = emitted.get(0).aggregateId();
    for (String column : List.of("event_timestamp", "stream_id", "name", "version")) {
      Map<String, @Nullable ByteBuffer> columns = eventColumns(emitted.get(0));
      columns.put(column, null);

      assertThatThrownBy(() -> rows.read(aggregate, EncodedRow.of(columns), 0))
          .as(column)
          .isInstanceOfSatisfying(
              UnreadableEventException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
          .hasMessageContaining(aggregate.toString())
          .hasMessageContaining("lacks its time, stream or type");
    }
  }

  // The three below were found by RowCodecFuzzTest: each threw IllegalArgumentException instead.

  @Test
  void aRowWithABlankEventNameOrVersionIsMalformedNamingIt() {
    emit.moved(StreamTimestamp.of("s", T0), parcel, "Lewisham", 1);
    AggregateId aggregate = emitted.get(0).aggregateId();
    for (String column : List.of("name", "version")) {
      Map<String, @Nullable ByteBuffer> columns = eventColumns(emitted.get(0));
      columns.put(column, text(" "));

      assertThatThrownBy(() -> rows.read(aggregate, EncodedRow.of(columns), 0))
          .as(column)
          .isInstanceOfSatisfying(
              UnreadableEventException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
          .hasMessage(
              aggregate
                  + " at 2026-01-01T00:00:00Z@s: event row has a blank event "
                  + column
                  + " ' '");
    }
  }

  @Test
  void aRowWithCharacteristicBitsNoCharacteristicUsesIsMalformedNamingThem() {
    emit.moved(StreamTimestamp.of("s", T0), parcel, "Lewisham", 1);
    Map<String, @Nullable ByteBuffer> columns = eventColumns(emitted.get(0));
    columns.put("characteristics", TypeCodecs.INT.encode(4, ProtocolVersion.DEFAULT));
    AggregateId aggregate = emitted.get(0).aggregateId();

    assertThatThrownBy(() -> rows.read(aggregate, EncodedRow.of(columns), 0))
        .isInstanceOfSatisfying(
            UnreadableEventException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
        .hasMessage(
            aggregate
                + " parcel/moved_1 at 2026-01-01T00:00:00Z@s: characteristics column 4 has bits"
                + " no characteristic uses (INITIAL is 1, TERMINAL 2)");
  }

  @Test
  void aRowWhoseProcessingIdIsNotTimeBasedIsMalformedNamingIt() {
    emit.moved(StreamTimestamp.of("s", T0), parcel, "Lewisham", 1);
    Map<String, @Nullable ByteBuffer> columns = eventColumns(emitted.get(0));
    UUID random = UUID.fromString("00000000-0000-4000-8000-000000000042");
    columns.put("processing_id", TypeCodecs.UUID.encode(random, ProtocolVersion.DEFAULT));
    AggregateId aggregate = emitted.get(0).aggregateId();

    assertThatThrownBy(() -> rows.read(aggregate, EncodedRow.of(columns), 0))
        .isInstanceOfSatisfying(
            UnreadableEventException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
        .hasMessage(
            aggregate
                + " parcel/moved_1 at 2026-01-01T00:00:00Z@s: processing id "
                + random
                + " is not a time-based (version 1) UUID but version 4");
  }

  private Event read(Event event) {
    return rows.read(event.aggregateId(), EncodedRow.of(eventColumns(event)), 0);
  }

  /** The event columns of {@code event}'s row, encoded as the store writes them. */
  private Map<String, @Nullable ByteBuffer> eventColumns(Event event) {
    Map<String, @Nullable ByteBuffer> columns = new HashMap<>();
    columns.put(
        "event_timestamp", TypeCodecs.TIMESTAMP.encode(event.eventTime(), ProtocolVersion.DEFAULT));
    columns.put("stream_id", text(event.timestamp().streamId()));
    columns.put(
        "processing_id",
        TypeCodecs.TIMEUUID.encode(event.processingId().orElse(null), ProtocolVersion.DEFAULT));
    columns.put("name", text(event.type().name()));
    columns.put("version", text(event.type().version()));
    columns.put(
        "parameters",
        RowCodec.PARAMETERS.encode(
            rows.parameters(rows.schemaFor(event), event), ProtocolVersion.DEFAULT));
    columns.put(
        "characteristics",
        TypeCodecs.INT.encode(
            CharacteristicBits.toMask(event.characteristics()), ProtocolVersion.DEFAULT));
    return columns;
  }

  private static @Nullable ByteBuffer text(String value) {
    return TypeCodecs.TEXT.encode(value, ProtocolVersion.DEFAULT);
  }
}
