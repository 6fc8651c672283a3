package io.cursus.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.cursus.api.Event;
import io.cursus.api.ProcessingIds;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.mapping.EventMapper;
import io.cursus.api.mapping.EventSchema;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.mapping.ParameterSchema;
import io.cursus.api.store.UnreadableEventException;
import io.cursus.api.store.UnreadableEventException.Reason;
import io.cursus.conformance.ConformanceEvents;
import io.cursus.conformance.ConformanceEvents.Priority;
import io.cursus.conformance.ConformanceEvents.Size;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The envelope on the wire: what {@link EventJson} writes is what it wrote when it built a JSON
 * tree, and its reader takes the envelope's fields in any order with the strictness it had.
 */
class EventJsonWireTest {

  private static final EventTypeRegistry REGISTRY = EventTypeRegistry.of(ConformanceEvents.class);
  private static final EventJson JSON = EventJson.using(REGISTRY);
  private static final ObjectMapper MAPPER = JsonMappers.strict();
  private static final UUID ID = UUID.fromString("00000000-0000-4000-8000-000000000042");
  private static final StreamTimestamp AT =
      StreamTimestamp.of("depot-1", Instant.parse("2026-11-22T09:00:00.123Z"));

  @Test
  void writesTheBytesTheTreeWriterWrote() throws IOException {
    for (Event event : samples()) {
      assertThat(new String(JSON.write(event), StandardCharsets.UTF_8))
          .as("%s", event)
          .isEqualTo(new String(writtenAsATree(event), StandardCharsets.UTF_8));
    }
  }

  @Test
  void readsWhatTheTreeWriterWrote() throws IOException {
    for (Event event : samples()) {
      Event back = JSON.read(writtenAsATree(event));

      assertThat(back).isEqualTo(event);
      assertThat(back.processingId()).isEqualTo(event.processingId());
      assertThat(back.characteristics()).isEqualTo(event.characteristics());
    }
  }

  @Test
  void readsTheEnvelopesFieldsInAnyOrder() throws IOException {
    for (Event event : samples()) {
      ObjectNode written = (ObjectNode) MAPPER.readTree(JSON.write(event));
      List<String> names = new ArrayList<>();
      written.fieldNames().forEachRemaining(names::add);
      Collections.reverse(names);
      ObjectNode reversed = MAPPER.createObjectNode();
      for (String name : names) {
        reversed.set(name, written.get(name));
      }
      // parameters first, then the metadata: the parameters are read once the schema is known
      Event back = JSON.read(MAPPER.writeValueAsBytes(reversed));

      assertThat(back).isEqualTo(event);
      assertThat(back.processingId()).isEqualTo(event.processingId());
      assertThat(back.characteristics()).isEqualTo(event.characteristics());
    }
    Event described = samples().get(0);
    String reordered =
        new String(JSON.write(described), StandardCharsets.UTF_8)
            .replace("{\"envelope\":1,", "{")
            .replaceFirst("}$", ",\"envelope\":1}");
    assertThat(JSON.read(reordered.getBytes(StandardCharsets.UTF_8)).parameters().get("amount"))
        .isEqualTo(new BigDecimal("12.50"));
  }

  @Test
  void eventTimesInOtherIsoFormsAreReadAsInstantParseReadsThem() {
    byte[] good = JSON.write(emitted(e -> e.moved(AT, ID, "Lewisham", 3)));
    String canonical = "\"eventTime\":\"2026-11-22T09:00:00.123Z\"";

    assertThat(read(good, canonical, "\"eventTime\":\"2026-11-22T10:00:00.123+01:00\"").eventTime())
        .isEqualTo(AT.timestamp());
    assertThat(read(good, canonical, "\"eventTime\":\"2026-11-22t09:00:00.123z\"").eventTime())
        .isEqualTo(AT.timestamp());
    assertThat(read(good, canonical, "\"eventTime\":\"2026-11-22T09:00:00.1234Z\"").eventTime())
        .isEqualTo(AT.timestamp());
  }

  @Test
  void eventTimesOutsideFourDigitYearsRoundTrip() {
    for (String time : List.of("+10000-01-01T00:00:00Z", "-0001-12-31T23:59:59.999Z")) {
      Event event =
          emitted(e -> e.moved(StreamTimestamp.of("s", Instant.parse(time)), ID, "Lewisham", 3));

      String json = new String(JSON.write(event), StandardCharsets.UTF_8);

      assertThat(json).contains("\"eventTime\":\"" + time + "\"");
      assertThat(JSON.read(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(event);
    }
  }

  @Test
  void unknownEnvelopeFieldsAreIgnoredAsBefore() {
    byte[] good = JSON.write(emitted(e -> e.moved(AT, ID, "Lewisham", 3)));

    assertThat(
            read(
                good,
                "\"envelope\":1,",
                "\"envelope\":1,\"traceId\":\"abc\",\"later\":{\"x\":[1,{\"y\":2}]},"))
        .isEqualTo(JSON.read(good));
  }

  @Test
  void fieldsGivenTwiceAreRefused() {
    byte[] good = JSON.write(emitted(e -> e.moved(AT, ID, "Lewisham", 3)));

    assertUnreadable(
        replace(good, "\"name\":\"moved\"", "\"name\":\"moved\",\"name\":\"opened\""),
        Reason.MALFORMED,
        "envelope field 'name' is given twice");
    assertUnreadable(
        replace(good, "\"sequence\":3", "\"sequence\":3,\"sequence\":4"),
        Reason.MALFORMED,
        "field 'sequence' is given twice");
  }

  @Test
  void missingAndMistypedMetadataIsNamed() {
    byte[] good = JSON.write(emitted(e -> e.moved(AT, ID, "Lewisham", 3)));

    assertUnreadable(
        replace(good, "\"streamId\":\"depot-1\",", ""),
        Reason.MALFORMED,
        "envelope field 'streamId' must be text, was missing");
    assertUnreadable(
        replace(good, "\"aggregateId\":\"" + ID + "\"", "\"aggregateId\":null"),
        Reason.MALFORMED,
        "envelope field 'aggregateId' must be text, was null");
    assertUnreadable(
        replace(good, "\"name\":\"moved\"", "\"name\":{\"a\":[1]}"),
        Reason.MALFORMED,
        "envelope field 'name' must be text, was object");
    assertUnreadable(
        replace(good, "\"envelope\":1,", ""),
        Reason.MALFORMED,
        "unsupported envelope version (missing)");
    assertUnreadable(
        replace(good, "\"envelope\":1", "\"envelope\":\"1\""),
        Reason.MALFORMED,
        "unsupported envelope version \"1\"");
    assertUnreadable(
        replace(good, "\"envelope\":1", "\"envelope\":[1]"),
        Reason.MALFORMED,
        "unsupported envelope version [1]");
    assertUnreadable(
        replace(good, ",\"parameters\":{\"location\":\"Lewisham\",\"sequence\":3}", ""),
        Reason.MALFORMED,
        "cursus-conformance/moved_1: 'parameters' must be an object");
    assertUnreadable(
        replace(good, "{\"location\":\"Lewisham\",\"sequence\":3}", "[]"),
        Reason.MALFORMED,
        "'parameters' must be an object");
  }

  @Test
  void characteristicsAndProcessingIdsAreChecked() {
    byte[] good = JSON.write(emitted(e -> e.moved(AT, ID, "Lewisham", 3)));

    assertThat(
            read(good, "\"characteristics\":[]", "\"characteristics\":[\"TERMINAL\"]").isTerminal())
        .isTrue();
    assertThat(read(good, "\"characteristics\":[],", "").characteristics()).isEmpty();
    assertUnreadable(
        replace(good, "\"characteristics\":[]", "\"characteristics\":[\"SOMETIMES\"]"),
        Reason.MALFORMED,
        "moved_1: unknown characteristic \"SOMETIMES\"");
    assertUnreadable(
        replace(good, "\"characteristics\":[]", "\"characteristics\":\"TERMINAL\""),
        Reason.MALFORMED,
        "'characteristics' must be an array");
    // the event type is checked first
    assertUnreadable(
        replace(
            replace(good, "\"characteristics\":[]", "\"characteristics\":[1]"),
            "\"version\":\"1\"",
            "\"version\":\"7\""),
        Reason.UNKNOWN_EVENT_TYPE,
        "unknown event type cursus-conformance/moved_7");
    UUID processingId = ProcessingIds.next();
    String withId = "\"characteristics\":[],\"processingId\":\"" + processingId + "\"";
    assertThat(read(good, "\"characteristics\":[]", withId).processingId()).contains(processingId);
    assertThat(
            read(good, "\"characteristics\":[]", "\"characteristics\":[],\"processingId\":null")
                .processingId())
        .isEmpty();
    assertUnreadable(
        replace(good, "\"characteristics\":[]", "\"characteristics\":[],\"processingId\":\"x\""),
        Reason.MALFORMED,
        "moved_1: bad processing id \"x\"");
    assertUnreadable(
        replace(good, "\"characteristics\":[]", "\"characteristics\":[],\"processingId\":7"),
        Reason.MALFORMED,
        "bad processing id 7");
    // a random (version 4) UUID is not a processing id
    assertUnreadable(
        replace(
            good,
            "\"characteristics\":[]",
            "\"characteristics\":[],\"processingId\":\"" + ID + "\""),
        Reason.MALFORMED,
        "bad processing id");
  }

  @Test
  void textThatIsNotJsonIsMalformedWhateverElseIsWrong() {
    byte[] good = JSON.write(emitted(e -> e.moved(AT, ID, "Lewisham", 3)));

    byte[] version2 = replace(good, "\"envelope\":1", "\"envelope\":2");
    byte[] version7 = replace(good, "\"version\":\"1\"", "\"version\":\"7\"");

    assertUnreadable(Arrays.copyOf(version2, 30), Reason.MALFORMED, "not valid JSON");
    assertUnreadable(
        Arrays.copyOf(version7, version7.length - 3), Reason.MALFORMED, "not valid JSON");
    assertUnreadable(
        replace(good, "\"sequence\":3}}", "\"sequence\":3}} {}"),
        Reason.MALFORMED,
        "not valid JSON");
    assertUnreadable(
        replace(good, "\"sequence\":3}}", "\"sequence\":[3}}"), Reason.MALFORMED, "not valid JSON");
    assertUnreadable(
        replace(good, "\"sequence\":3", "\"sequence\":3,\"extra\":[}"),
        Reason.MALFORMED,
        "not valid JSON");
    assertUnreadable("   ".getBytes(StandardCharsets.UTF_8), Reason.MALFORMED, "was missing");
  }

  @Test
  void parametersAreReadAsTheirDeclaredTypes() {
    byte[] good = JSON.write(emitted(e -> e.moved(AT, ID, "Lewisham", 3)));

    assertUnreadable(
        replace(good, "\"sequence\":3", "\"sequence\":null"),
        Reason.SCHEMA_MISMATCH,
        "field 'sequence' cannot be read as int from null");
    assertUnreadable(
        replace(good, "\"sequence\":3", "\"sequence\":\"three\""),
        Reason.SCHEMA_MISMATCH,
        "field 'sequence' cannot be read as int from \"three\"");
    assertUnreadable(
        replace(good, "\"location\":\"Lewisham\"", "\"location\":{\"a\":1}"),
        Reason.SCHEMA_MISMATCH,
        "field 'location' cannot be read as java.lang.String from {\"a\":1}");
    assertThat(read(good, "\"location\":\"Lewisham\"", "\"location\":null").parameters().asMap())
        .containsEntry("location", null);
  }

  @Test
  void numbersTooBigForJavaAreRefusedNotThrown() {
    byte[] good = JSON.write(samples().get(0));
    String huge = "-9e223372036854775808";

    assertUnreadable(
        replace(good, "\"amount\":12.50", "\"amount\":" + huge),
        Reason.SCHEMA_MISMATCH,
        "field 'amount' cannot be read as java.math.BigDecimal from " + huge);
    assertUnreadable(
        replace(good, "\"envelope\":1", "\"envelope\":" + huge),
        Reason.MALFORMED,
        "unsupported envelope version " + huge);
    assertThat(JSON.read(replace(good, "\"envelope\":1", "\"envelope\":1,\"later\":" + huge)))
        .isEqualTo(samples().get(0));
  }

  @Test
  void refusesAsTheDeadLetterQueueExpects() {
    byte[] good = JSON.write(emitted(e -> e.moved(AT, ID, "Lewisham", 3)));

    assertUnreadable(
        "{\"envelope\":1, not json".getBytes(StandardCharsets.UTF_8),
        Reason.MALFORMED,
        "not valid JSON");
    assertUnreadable(Arrays.copyOf(good, good.length / 2), Reason.MALFORMED, "not valid JSON");
    assertUnreadable(
        replace(good, "\"name\":\"moved\"", "\"name\":\"teleported\""),
        Reason.UNKNOWN_EVENT_TYPE,
        "unknown event type cursus-conformance/teleported_1");
    assertUnreadable(
        replace(good, "\"location\":\"Lewisham\"", "\"location\":[\"java.net.URL\",\"http://x/\"]"),
        Reason.SCHEMA_MISMATCH,
        "field 'location' cannot be read as java.lang.String");
  }

  @Test
  void aCodecWithAnotherLimitSharesWhatItResolved() {
    Event event = emitted(e -> e.moved(AT, ID, "Lewisham", 3));
    byte[] good = JSON.write(event);

    assertThat(JSON.withMaxBytes(good.length).read(good)).isEqualTo(event);
    assertThat(JSON.withMaxBytes(good.length).write(event)).isEqualTo(good);
  }

  /** The events every wire test runs over: every parameter type, characteristics, ids. */
  private static List<Event> samples() {
    UUID ref = UUID.fromString("3f0e9a55-7c1e-4c56-9a43-9d0f1c1b2a10");
    Size size = new Size(3, 4, Optional.of("cm"));
    List<Event> samples = new ArrayList<>();
    samples.add(
        emitted(
                e ->
                    e.described(
                        AT,
                        ID,
                        "quotes \" and é, \\ and \u2028 and \uD83D\uDE00 and \n\t\u0001",
                        -1,
                        Long.MIN_VALUE,
                        1e-9,
                        false,
                        ref,
                        Instant.parse("2026-01-01T00:00:00.000001Z"),
                        LocalDate.of(2026, 2, 28),
                        new BigDecimal("12.50"),
                        Priority.LOW,
                        size,
                        List.of(size, new Size(0, 0, Optional.empty())),
                        Set.of(Priority.HIGH),
                        Map.of("g\uD83D\uDE00", List.of(ref)),
                        Optional.of(LocalDate.of(2027, 1, 1)),
                        Optional.empty()))
            .withProcessingId(ProcessingIds.next()));
    samples.add(emitted(e -> e.opened(AT, ID, "ann")));
    samples.add(emitted(e -> e.closed(AT, ID)).withProcessingId(ProcessingIds.next()));
    samples.add(emitted(e -> e.moved(StreamTimestamp.of(Instant.EPOCH), ID, "", 0)));
    samples.add(
        emitted(
            e ->
                e.moved(
                    StreamTimestamp.of("é \uD83D\uDE00", Instant.parse("1969-12-31T23:59:59.999Z")),
                    ID,
                    null,
                    Integer.MAX_VALUE)));
    return samples;
  }

  /** An envelope as EventJson wrote it up to version 0.1.0, building a tree. */
  private static byte[] writtenAsATree(Event event) throws IOException {
    EventSchema schema = REGISTRY.require(event.type());
    ObjectNode root = MAPPER.createObjectNode();
    root.put("envelope", EventJson.ENVELOPE_VERSION);
    root.put("aggregateType", event.aggregateId().type());
    root.put("aggregateId", event.aggregateId().id());
    root.put("eventTime", event.eventTime().toString());
    root.put("streamId", event.timestamp().streamId());
    root.put("name", event.type().name());
    root.put("version", event.type().version());
    ArrayNode characteristics = root.putArray("characteristics");
    event.characteristics().forEach(c -> characteristics.add(c.name()));
    event.processingId().ifPresent(id -> root.put("processingId", id.toString()));
    ObjectNode parameters = root.putObject("parameters");
    Map<String, String> texts = ParameterCodec.create().writeAll(schema, event);
    for (ParameterSchema parameter : schema.parameters()) {
      parameters.putRawValue(parameter.name(), new RawValue(texts.get(parameter.name())));
    }
    return MAPPER.writeValueAsBytes(root);
  }

  private static Event emitted(Consumer<ConformanceEvents> emit) {
    List<Event> out = new ArrayList<>();
    emit.accept(EventMapper.emitter(ConformanceEvents.class, out::add));
    return out.get(0);
  }

  private static Event read(byte[] json, String from, String to) {
    return JSON.read(replace(json, from, to));
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
