package io.cursus.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.HandlesEventsFor;
import io.cursus.api.Initial;
import io.cursus.api.Parameters;
import io.cursus.api.ProcessingIds;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.Terminal;
import io.cursus.api.mapping.EventMapper;
import io.cursus.api.mapping.EventSchema;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.mapping.EventValidator;
import io.cursus.api.store.UnreadableEventException;
import io.cursus.api.store.UnreadableEventException.Reason;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The limits of one event in JSON: the size {@link EventValidator} computes without Jackson is the
 * size of the envelope {@link EventJson} writes; writing refuses what emitting refuses; reading
 * accepts all that writing does; and the messages name the event and the parameter.
 */
class EventJsonLimitsTest {

  @HandlesEventsFor("kit")
  interface KitEvents {
    enum Mode {
      FAST,
      SLOW
    }

    record Part(String name, int count, Optional<Double> weight, List<Part> parts) {}

    @Initial
    @SuppressWarnings("TooManyParameters") // one of every parameter type
    void packed(
        StreamTimestamp ts,
        String id,
        String text,
        char letter,
        Character boxedLetter,
        short tiny,
        byte octet,
        long big,
        Long boxedBig,
        float single,
        double real,
        boolean flag,
        BigDecimal money,
        BigInteger huge,
        UUID ref,
        Instant at,
        LocalDate day,
        LocalDateTime local,
        Duration took,
        Mode mode,
        Part part,
        List<String> lines,
        Set<Mode> modes,
        Map<Integer, String> byNumber,
        Map<UUID, Long> byRef,
        Map<LocalDate, Boolean> byDay,
        Map<Mode, List<Part>> byMode,
        Map<Character, String> byLetter,
        Map<Boolean, String> byFlag,
        Optional<String> note,
        Optional<LocalDateTime> due);

    @Terminal
    void shipped(StreamTimestamp ts, String id, String to);
  }

  private static final EventTypeRegistry REGISTRY = EventTypeRegistry.of(KitEvents.class);
  private static final EventJson JSON = EventJson.using(REGISTRY);
  private static final Instant T = Instant.parse("2026-11-22T09:00:00Z");

  private static final String[] TEXTS = {
    "",
    "plain",
    "quote \" and backslash \\ and slash /",
    "controls \b\t\n\f\r \u0000 \u0001 \u001f \u007f",
    "latin àéïõü ß, greek αβγ, cyrillic жщ",
    "cjk 漢字かなカナ and U+FFFF \uffff",
    "emoji 😀🚚 and a musical G clef 𝄞",
    "lone high \ud800 and lone low \udc00 surrogates",
    "ends with a lone high surrogate \ud800",
    "separators \u2028 \u2029 and a BOM \ufeff"
  };

  private static Event packed(Consumer<KitEvents> call) {
    List<Event> out = new ArrayList<>();
    call.accept(EventMapper.emitter(KitEvents.class, out::add));
    return out.get(0);
  }

  private static Event sample(String text, Random random) {
    KitEvents.Part leaf = new KitEvents.Part(text, -3, Optional.empty(), List.of());
    KitEvents.Part part =
        new KitEvents.Part("box " + text, 7, Optional.of(random.nextDouble()), List.of(leaf));
    Map<Integer, String> byNumber = new LinkedHashMap<>();
    byNumber.put(Integer.MIN_VALUE, text);
    byNumber.put(42, "");
    Map<KitEvents.Mode, List<KitEvents.Part>> byMode = new LinkedHashMap<>();
    byMode.put(KitEvents.Mode.SLOW, List.of(part, leaf));
    Set<KitEvents.Mode> modes = new LinkedHashSet<>(List.of(KitEvents.Mode.SLOW));
    return packed(
        kit ->
            kit.packed(
                StreamTimestamp.of(text.isEmpty() ? "s" : text, T.plusMillis(random.nextInt(999))),
                "kit " + text,
                text,
                text.isEmpty() ? 'x' : text.charAt(text.length() - 1),
                '"',
                (short) random.nextInt(),
                (byte) random.nextInt(),
                random.nextLong(),
                Long.MIN_VALUE,
                random.nextFloat() * 1e-12f,
                random.nextBoolean() ? random.nextGaussian() * 1e300 : Double.NaN,
                random.nextBoolean(),
                new BigDecimal(BigInteger.valueOf(random.nextLong()), random.nextInt(40) - 20),
                BigInteger.TWO.pow(200).negate(),
                new UUID(random.nextLong(), random.nextLong()),
                Instant.ofEpochSecond(random.nextInt(), random.nextInt(1_000_000_000)),
                LocalDate.ofEpochDay(random.nextInt(100_000) - 50_000),
                LocalDateTime.of(2026, 1, 2, 3, 4, random.nextInt(2) * 5, random.nextInt(3) * 1000),
                Duration.ofMillis(random.nextLong() % 1_000_000_000L),
                KitEvents.Mode.FAST,
                part,
                List.of(text, text + text),
                modes,
                byNumber,
                Map.of(new UUID(1, 2), -1L),
                Map.of(LocalDate.of(2026, 2, 28), true),
                byMode,
                Map.of('k', text),
                Map.of(false, text),
                random.nextBoolean() ? Optional.of(text) : Optional.empty(),
                Optional.of(LocalDateTime.of(2026, 12, 31, 23, 59))));
  }

  @Test
  void theSizeComputedWithoutJacksonIsTheSizeOfTheEnvelopeWritten() {
    Random random = new Random(15);
    int checked = 0;
    for (String text : TEXTS) {
      for (int round = 0; round < 20; round++) {
        Event event = sample(text, random);
        Event captured = event.withProcessingId(ProcessingIds.next());
        for (Event each : List.of(event, captured)) {
          assertThat(EventValidator.serialisedSize(each))
              .as("%s", new String(JSON.write(each), StandardCharsets.UTF_8))
              .isEqualTo(JSON.write(each).length);
          checked++;
        }
      }
    }
    Event shipped = packed(kit -> kit.shipped(StreamTimestamp.of("", T), "ü 😀", "home"));
    assertThat(EventValidator.serialisedSize(shipped)).isEqualTo(JSON.write(shipped).length);
    assertThat(checked).isEqualTo(TEXTS.length * 40);
  }

  @Test
  void everyDecimalReadsBackEqualScaleIncludedAndIsSizedAsWritten() {
    // 1E+3 used to be written 1000 and read back with scale 0: equal by compareTo only
    for (String decimal :
        List.of("1E+3", "-1.20E+7", "0E+5", "12.50", "0.000000001", "1E+9999", "1E-998")) {
      BigDecimal money = new BigDecimal(decimal);
      Event event = with(sample("x", new Random(1)), "money", money);

      Event read = JSON.read(JSON.write(event));

      assertThat(read.parameters().get("money")).as(decimal).isEqualTo(money);
      assertThat(EventValidator.serialisedSize(event)).isEqualTo(JSON.write(event).length);
    }
    assertThat(
            new String(
                JSON.write(with(sample("x", new Random(1)), "money", new BigDecimal("1E+3"))),
                StandardCharsets.UTF_8))
        .contains("\"money\":1E+3,");
  }

  @Test
  void aNumberNoReaderWouldReadBackIsRefusedWhenWrittenNamingTheParameter() {
    // found by EventJsonFuzzTest: such numbers were written, then refused by every reader
    Event event = sample("x", new Random(1));
    String longest = "9".repeat(EventValidator.MAX_NUMBER_CHARACTERS);

    assertThatThrownBy(() -> JSON.write(with(event, "money", new BigDecimal("1E-1500"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "parameter 'money' (declared java.math.BigDecimal) cannot be written as JSON: decimal"
                + " written with 1502 characters is over the 1000 that a reader accepts");
    assertThatThrownBy(() -> JSON.write(with(event, "money", new BigDecimal("1E+10000"))))
        .hasMessageContaining("decimal of scale -10000 is beyond the 9999 either way");
    assertThatThrownBy(() -> JSON.write(with(event, "huge", new BigInteger("-" + longest))))
        .hasMessageContaining(
            "parameter 'huge' (declared java.math.BigInteger) cannot be written as JSON: integer"
                + " written with 1001 characters");
    Event widest = with(event, "huge", new BigInteger(longest));
    assertThat(JSON.read(JSON.write(widest))).isEqualTo(widest);
  }

  private static Event with(Event event, String name, Object value) {
    Map<String, Object> values = new LinkedHashMap<>(event.parameters().asMap());
    values.put(name, value);
    return Event.of(
        event.aggregateId(),
        event.timestamp(),
        event.type(),
        Parameters.of(values),
        event.characteristics());
  }

  @Test
  void aTextWithALoneSurrogateReadsBackAsItWasWrittenNotCombinedWithTheNextCharacter() {
    // found by EventJsonFuzzTest: "\ud800x" was written as U+10078, its 'x' swallowed
    for (String text :
        List.of("\ud800x", "\ud800\u0000", "a\udc00b", "\ud800\ud800\udc00", "😀\ud800 😀")) {
      Event event = packed(kit -> kit.shipped(StreamTimestamp.of("s", T), "k-1", text));

      Event read = JSON.read(JSON.write(event));

      assertThat(read.parameters().get("to"))
          .as("%s", text.chars().boxed().toList())
          .isEqualTo(text);
      assertThat(EventValidator.serialisedSize(event)).isEqualTo(JSON.write(event).length);
    }
  }

  @Test
  void aHugeValueThatCannotBeReadIsQuotedOnlyInPartInTheError() {
    // found by RowCodecFuzzTest: Jackson's reason quoted all of a 300,000-character text
    Event event = sample("x", new Random(3));
    EventSchema schema = REGISTRY.require(event.type());
    Map<String, String> texts =
        new LinkedHashMap<>(ParameterCodec.create().writeAll(schema, event));
    String part = "\"part\":" + texts.get("part");
    String huge = '"' + "x".repeat(300_000) + '"';
    texts.put("part", huge);
    String written = new String(JSON.write(event), StandardCharsets.UTF_8);
    assertThat(written).contains(part);
    byte[] envelope = written.replace(part, "\"part\":" + huge).getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> ParameterCodec.create().readAll(schema, texts, "kit/1"))
        .isInstanceOf(UnreadableEventException.class)
        .hasMessageStartingWith("kit/1: field 'part' cannot be read as")
        .hasMessageContaining("...(")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(1000));
    assertThatThrownBy(() -> JSON.read(envelope))
        .isInstanceOf(UnreadableEventException.class)
        .hasMessageContaining("field 'part' cannot be read as")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(1000));
  }

  @Test
  void aHugeUnknownEventTypeIsNamedInAShortMessage() {
    // found by EventJsonFuzzTest: the message quoted the aggregate type whole, twice
    Event event = packed(kit -> kit.shipped(StreamTimestamp.of("s", T), "k-1", "home"));
    String huge = "x".repeat(100_000);
    byte[] envelope =
        new String(JSON.write(event), StandardCharsets.UTF_8)
            .replace("\"aggregateType\":\"kit\"", "\"aggregateType\":\"" + huge + '"')
            .getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> JSON.read(envelope))
        .isInstanceOfSatisfying(
            UnreadableEventException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_EVENT_TYPE))
        .hasMessageStartingWith("xxxxx")
        .hasMessageContaining("...: unknown event type xxxxx")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
  }

  @Test
  void writingRefusesAnEnvelopeOverTheRegistrysLimitAsEmittingDoes() {
    // given: a limit the event is just over
    Event event = packed(kit -> kit.shipped(StreamTimestamp.of("s", T), "k-1", "home"));
    int size = JSON.write(event).length;
    EventTypeRegistry tight = REGISTRY.withMaxEventBytes(size - 1);

    // when / then: the codec refuses it with the message the validator gives
    assertThatThrownBy(() -> EventJson.using(tight).write(event))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(messageOf(() -> EventValidator.of(tight).check(event)))
        .hasMessageContaining("its serialised size is " + size + " bytes, over the limit of");
    assertThat(EventJson.using(REGISTRY.withMaxEventBytes(size)).write(event)).hasSize(size);
  }

  @Test
  void aReaderAcceptsEverythingAnEmitterOfTheSameRegistryMayWrite() {
    assertThat(JSON.maxBytes()).isEqualTo(EventJson.DEFAULT_MAX_BYTES);
    assertThat(EventJson.DEFAULT_MAX_BYTES).isGreaterThan(REGISTRY.maxEventBytes());
    assertThat(EventJson.using(REGISTRY.withMaxEventBytes(4 << 20)).maxBytes()).isEqualTo(4 << 20);
  }

  @Test
  void writingAParameterOfAnotherTypeNamesEventParameterAndBothTypesWithoutJacksonInternals() {
    Event wrong =
        Event.of(
            AggregateId.of("kit", "k-1"),
            StreamTimestamp.of("s", T),
            io.cursus.api.EventType.of("kit", "shipped"),
            Parameters.of("to", 12),
            Set.of(io.cursus.api.EventCharacteristic.TERMINAL));
    String expected =
        "event kit/shipped_1 of kit/k-1 at 2026-11-22T09:00:00Z@s: parameter 'to' is declared"
            + " java.lang.String but was given a java.lang.Integer: 12";

    assertThatThrownBy(() -> JSON.write(wrong))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(expected);
    assertThatThrownBy(
            () -> ParameterCodec.create().writeAll(REGISTRY.require(wrong.type()), wrong))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(expected);
  }

  @Test
  void aValueOfTheWrongKindIsRefusedOnReadWithoutJacksonsHints() {
    Event good = packed(kit -> kit.shipped(StreamTimestamp.of("s", T), "k-1", "home"));
    byte[] number = replace(JSON.write(good), "\"to\":\"home\"", "\"to\":12");

    assertThatThrownBy(() -> JSON.read(number))
        .isInstanceOfSatisfying(
            UnreadableEventException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.SCHEMA_MISMATCH))
        .hasMessage(
            "kit/k-1 kit/shipped_1: field 'to' cannot be read as java.lang.String from 12: a JSON"
                + " number is not a java.lang.String, and values are never converted");
  }

  @Test
  void aNullIsRefusedOnReadWhereTheDeclarationDoesNotAllowIt() {
    Event good = packed(kit -> kit.shipped(StreamTimestamp.of("s", T), "k-1", "home"));
    byte[] nulled = replace(JSON.write(good), "\"to\":\"home\"", "\"to\":null");

    assertThatThrownBy(() -> JSON.read(nulled))
        .isInstanceOfSatisfying(
            UnreadableEventException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.SCHEMA_MISMATCH))
        .hasMessage(
            "kit/k-1 kit/shipped_1: field 'to' is null, but java.lang.String is not declared"
                + " nullable");
  }

  private static byte[] replace(byte[] json, String from, String to) {
    String text = new String(json, StandardCharsets.UTF_8);
    assertThat(text).contains(from);
    return text.replace(from, to).getBytes(StandardCharsets.UTF_8);
  }

  private static String messageOf(Runnable refused) {
    try {
      refused.run();
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    throw new AssertionError("not refused");
  }
}
