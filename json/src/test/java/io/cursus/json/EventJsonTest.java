package io.cursus.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.Event;
import io.cursus.api.ProcessingIds;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.mapping.EventMapper;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.store.UnreadableEventException;
import io.cursus.api.store.UnreadableEventException.Reason;
import io.cursus.conformance.ConformanceEvents;
import io.cursus.conformance.ConformanceEvents.Priority;
import io.cursus.conformance.ConformanceEvents.Size;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventJsonTest {

  private static final EventJson JSON =
      EventJson.using(EventTypeRegistry.of(ConformanceEvents.class));
  private static final UUID ID = UUID.fromString("00000000-0000-4000-8000-000000000042");
  private static final StreamTimestamp AT =
      StreamTimestamp.of("depot-1", Instant.parse("2026-11-22T09:00:00.123Z"));

  private static Event emitted(java.util.function.Consumer<ConformanceEvents> emit) {
    List<Event> out = new ArrayList<>();
    emit.accept(EventMapper.emitter(ConformanceEvents.class, out::add));
    return out.get(0);
  }

  @Test
  void everySupportedParameterTypeRoundTripsThroughTheEnvelope() {
    UUID ref = UUID.randomUUID();
    Size size = new Size(3, 4, Optional.of("cm"));
    Event event =
        emitted(
                e ->
                    e.described(
                        AT,
                        ID,
                        "quotes \" and é",
                        -1,
                        Long.MIN_VALUE,
                        1e-9,
                        false,
                        ref,
                        Instant.parse("2026-01-01T00:00:00.001Z"),
                        LocalDate.of(2026, 2, 28),
                        new BigDecimal("12.50"),
                        Priority.LOW,
                        size,
                        List.of(size, new Size(0, 0, Optional.empty())),
                        Set.of(Priority.HIGH),
                        Map.of("g", List.of(ref)),
                        Optional.of(LocalDate.of(2027, 1, 1)),
                        Optional.empty()))
            .withProcessingId(ProcessingIds.next());

    Event back = JSON.read(JSON.write(event));

    assertThat(back).isEqualTo(event);
    assertThat(back.processingId()).isEqualTo(event.processingId());
    assertThat(back.parameters().get("amount")).isEqualTo(new BigDecimal("12.50"));
    assertThat(back.parameters().get("sizes"))
        .isEqualTo(List.of(size, new Size(0, 0, Optional.empty())));
  }

  @Test
  void writesAReadableEnvelope() {
    Event event = emitted(e -> e.moved(AT, ID, "Lewisham", 3));

    String json = new String(JSON.write(event), StandardCharsets.UTF_8);

    assertThat(json)
        .isEqualTo(
            "{\"envelope\":1,\"aggregateType\":\"cursus-conformance\",\"aggregateId\":\""
                + ID
                + "\",\"eventTime\":\"2026-11-22T09:00:00.123Z\",\"streamId\":\"depot-1\","
                + "\"name\":\"moved\",\"version\":\"1\",\"characteristics\":[],"
                + "\"parameters\":{\"location\":\"Lewisham\",\"sequence\":3}}");
  }

  @Test
  void malformedAndTruncatedJsonIsRefusedAsMalformed() {
    byte[] good = JSON.write(emitted(e -> e.moved(AT, ID, "Lewisham", 3)));
    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 5);

    assertUnreadable(truncated, Reason.MALFORMED, "not valid JSON");
    assertUnreadable(
        "[1,2]".getBytes(StandardCharsets.UTF_8),
        Reason.MALFORMED,
        "must be a JSON object, was array");
    assertUnreadable(new byte[0], Reason.MALFORMED, "empty message");
    assertUnreadable(
        "{\"envelope\":2}".getBytes(StandardCharsets.UTF_8),
        Reason.MALFORMED,
        "unsupported envelope version 2");
    assertUnreadable(
        replace(good, "\"aggregateId\":\"" + ID + "\"", "\"aggregateId\":\"\""),
        Reason.MALFORMED,
        "aggregate id of type 'cursus-conformance' must not be blank");
    assertUnreadable(
        replace(good, "\"eventTime\":\"2026-11-22T09:00:00.123Z\"", "\"eventTime\":\"yesterday\""),
        Reason.MALFORMED,
        "bad envelope metadata");
  }

  @Test
  void unknownEventTypesAndVersionsAreNamed() {
    byte[] good = JSON.write(emitted(e -> e.moved(AT, ID, "Lewisham", 3)));

    assertUnreadable(
        replace(good, "\"version\":\"1\"", "\"version\":\"7\""),
        Reason.UNKNOWN_EVENT_TYPE,
        "cursus-conformance/" + ID + ": unknown event type cursus-conformance/moved_7");
  }

  @Test
  void parametersOfTheWrongTypeNameTheAggregateEventAndField() {
    byte[] good = JSON.write(emitted(e -> e.moved(AT, ID, "Lewisham", 3)));

    assertUnreadable(
        replace(good, "\"sequence\":3", "\"sequence\":\"three\""),
        Reason.SCHEMA_MISMATCH,
        "cursus-conformance/"
            + ID
            + " cursus-conformance/moved_1: field 'sequence' cannot be read as int");
    assertUnreadable(
        replace(good, "\"location\":\"Lewisham\"", "\"location\":12"),
        Reason.SCHEMA_MISMATCH,
        "field 'location' cannot be read as java.lang.String");
    assertUnreadable(
        replace(good, "\"sequence\":3", "\"sequence\":3.5"),
        Reason.SCHEMA_MISMATCH,
        "field 'sequence' cannot be read as int");
    assertUnreadable(
        replace(good, ",\"sequence\":3", ""),
        Reason.SCHEMA_MISMATCH,
        "field 'sequence' is missing");
    assertUnreadable(
        replace(good, "\"sequence\":3", "\"sequence\":3,\"extra\":1"),
        Reason.SCHEMA_MISMATCH,
        "field 'extra' is not a parameter of the declared event");
  }

  @Test
  void wireSuppliedClassNamesAreNeverUsed() {
    Size size = new Size(1, 2, Optional.empty());
    byte[] good =
        JSON.write(
            emitted(
                e ->
                    e.described(
                        AT,
                        ID,
                        "t",
                        1,
                        1,
                        1,
                        true,
                        ID,
                        Instant.EPOCH,
                        LocalDate.EPOCH,
                        BigDecimal.ONE,
                        Priority.LOW,
                        size,
                        List.of(),
                        Set.of(),
                        Map.of(),
                        Optional.empty(),
                        Optional.empty())));

    assertUnreadable(
        replace(
            good,
            "\"size\":{\"width\":1",
            "\"size\":{\"@class\":\"java.lang.ProcessBuilder\",\"width\":1"),
        Reason.SCHEMA_MISMATCH,
        "field 'size' cannot be read as io.cursus.conformance.ConformanceEvents$Size");
  }

  @Test
  void oversizedMessagesAreRefusedBeforeParsing() {
    byte[] good = JSON.write(emitted(e -> e.moved(AT, ID, "x".repeat(2000), 3)));

    assertThat(JSON.read(good).parameters().get("location")).isEqualTo("x".repeat(2000));
    assertThatThrownBy(() -> JSON.withMaxBytes(1000).read(good))
        .isInstanceOfSatisfying(
            UnreadableEventException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
        .hasMessage("message of " + good.length + " bytes exceeds the limit of 1000 bytes");
  }

  @Test
  void writingAnEventOfAnUnknownTypeFails() {
    Event event = emitted(e -> e.moved(AT, ID, "Lewisham", 3));
    EventJson empty = EventJson.using(EventTypeRegistry.of());

    assertThatThrownBy(() -> empty.write(event))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown event type cursus-conformance/moved_1");
  }

  private static void assertUnreadable(byte[] bytes, Reason reason, String message) {
    assertThatThrownBy(() -> JSON.read(bytes))
        .isInstanceOfSatisfying(
            UnreadableEventException.class, e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageContaining(message);
  }

  private static byte[] replace(byte[] json, String from, String to) {
    String text = new String(json, StandardCharsets.UTF_8);
    assertThat(text).contains(from);
    return text.replace(from, to).getBytes(StandardCharsets.UTF_8);
  }
}
