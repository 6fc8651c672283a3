package io.cursus.cassandra.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.ProtocolVersion;
import com.datastax.oss.driver.api.core.type.codec.TypeCodecs;
import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.HandlesEventsFor;
import io.cursus.api.Initial;
import io.cursus.api.ProcessingIds;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.Terminal;
import io.cursus.api.fixtures.Bounded;
import io.cursus.api.internal.CharacteristicBits;
import io.cursus.api.mapping.EventMapper;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.store.UnreadableEventException;
import io.cursus.api.store.UnreadableEventException.Reason;
import io.cursus.json.ParameterCodec;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import org.jspecify.annotations.Nullable;

/**
 * The row decoder fed rows with any values their columns can hold, and event rows whose parameter
 * texts are random or mutated (property based, with jqwik). Rows are encoded as Cassandra sends
 * them and read through the driver's own getters and codecs ({@link EncodedRow}), then by {@link
 * RowCodec#read}, the one entry point of every read path (history, replay, index checks). Whatever
 * the row holds, the decoder returns an event or throws {@link UnreadableEventException} with a
 * reason: no other exception or error escapes, no read hangs, and a parameter text nested deeper
 * than the parser's limit is refused, not recursed into.
 */
class RowCodecFuzzTest {

  @HandlesEventsFor("crate")
  interface CrateEvents {
    enum Mode {
      FAST,
      SLOW
    }

    record Part(String name, int count, List<Part> parts) {}

    @Initial
    @SuppressWarnings("TooManyParameters") // one of many kinds of parameter
    void packed(
        StreamTimestamp ts,
        UUID id,
        String label,
        int count,
        long big,
        double weight,
        BigDecimal price,
        Instant due,
        Mode mode,
        Part part,
        List<String> lines,
        Map<String, Integer> counts,
        Optional<String> note,
        @Nullable String remark);

    void moved(StreamTimestamp ts, UUID id, String to);

    @Terminal
    void delivered(StreamTimestamp ts, UUID id);
  }

  private static final RowCodec ROWS =
      new RowCodec(EventTypeRegistry.of(CrateEvents.class), ParameterCodec.create());
  private static final Bounded BOUNDED = new Bounded();

  /** Jackson's default limit of nesting (StreamReadConstraints), which the decoder relies on. */
  private static final int MAX_NESTING = 1000;

  private static final List<String> PARAMETER_NAMES =
      List.of(
          "label", "count", "big", "weight", "price", "due", "mode", "part", "lines", "counts",
          "note", "remark", "to");

  /** Parameter texts that are out of range, or of an odd form, for some declared type. */
  private static final List<String> ODD_TEXTS =
      List.of(
          "",
          " ",
          "2147483648",
          "-9223372036854775809",
          "1e400",
          "1e-400",
          "1E+2147483647",
          "1e-2147483648",
          "123456789".repeat(120),
          "-0",
          "NaN",
          "\"NaN\"",
          "true",
          "null",
          "\"\"",
          "\"",
          "\"\\",
          "\"\\u12\"",
          "\"\\ud800\"",
          "\"+1000000001-01-01T00:00:00Z\"",
          "\"fast\"",
          "[\"java.net.URL\",\"http://example.com\"]",
          "{\"@class\":\"java.net.URL\"}",
          "[]",
          "{}",
          "{\"name\":\"n\",\"count\":1}",
          "{\"name\":\"n\",\"count\":1,\"parts\":null}",
          "{\"name\":\"n\",\"count\":1,\"parts\":[],\"extra\":1}",
          "1 2",
          "\"a\" \"b\"",
          "{} []");

  @AfterContainer
  static void stopTheWorker() {
    BOUNDED.close();
  }

  // ---- properties -------------------------------------------------------------------------------

  @Property(tries = 200)
  void everyRowWrittenIsReadBackAsTheSameEvent(@ForAll("events") Event event) {
    Bounded.Outcome<Event> outcome = read(event.aggregateId(), columns(event));

    assertThat(outcome.thrown()).isNull();
    assertThat(outcome.value()).isEqualTo(event);
    assertThat(outcome.value().parameters()).isEqualTo(event.parameters());
  }

  @Property(tries = 500)
  void rowsHoldingAnyValuesTheirColumnsAllowAreReadOrRefusedWithAReason(
      @ForAll("events") Event event, @ForAll("columnChanges") List<ColumnChange> changes) {
    Map<String, @Nullable ByteBuffer> columns = columns(event);
    for (ColumnChange change : changes) {
      change.apply(columns);
    }

    assertReadOrRefused(read(event.aggregateId(), columns), columns);
  }

  @Property(tries = 500)
  void mutatedParameterTextsAreReadOrRefusedWithAReason(
      @ForAll("events") Event event, @ForAll("textChanges") List<TextChange> changes) {
    Map<String, String> texts = new LinkedHashMap<>(ROWS.parameters(ROWS.schemaFor(event), event));
    for (TextChange change : changes) {
      change.apply(texts);
    }
    Map<String, @Nullable ByteBuffer> columns = columns(event);
    columns.put("parameters", parametersColumn(texts));

    assertReadOrRefused(read(event.aggregateId(), columns), texts);
  }

  @Property(tries = 40, shrinking = ShrinkingMode.OFF)
  void deeplyNestedParameterTextsAreRefusedWithoutOverflowingTheStack(
      @ForAll("nestingDepths") int depth, @ForAll boolean arrays, @ForAll long seed) {
    // given: the `part` parameter (a record of parts) nested `depth` levels deep
    Event event = packed(new Random(seed), "deep");
    Map<String, String> texts = new LinkedHashMap<>(ROWS.parameters(ROWS.schemaFor(event), event));
    texts.put(
        "part",
        arrays
            ? "[".repeat(depth) + "]".repeat(depth)
            : "{\"name\":\"n\",\"count\":1,\"parts\":[".repeat((depth - 1) / 2)
                + "{\"name\":\"n\",\"count\":1,\"parts\":[]}"
                + "]}".repeat((depth - 1) / 2));
    Map<String, @Nullable ByteBuffer> columns = columns(event);
    columns.put("parameters", parametersColumn(texts));

    // when
    Bounded.Outcome<Event> outcome = read(event.aggregateId(), columns);

    // then
    if (depth > MAX_NESTING) {
      assertRefused(outcome, "part nested " + depth);
      assertThat(((UnreadableEventException) outcome.thrown()).reason())
          .isEqualTo(Reason.SCHEMA_MISMATCH);
      assertThat(outcome.thrown()).hasMessageContaining("field 'part'");
      if (!arrays) { // arrays are refused at the first, as no Part is an array
        assertThat(outcome.thrown()).hasMessageContaining("nesting depth");
      }
    } else {
      assertReadOrRefused(outcome, "part nested " + depth);
    }
  }

  // ---- what the properties check
  // -----------------------------------------------------------------

  private static Bounded.Outcome<Event> read(
      AggregateId aggregate, Map<String, @Nullable ByteBuffer> columns) {
    EncodedRow row = EncodedRow.of(columns);
    return BOUNDED.run(() -> ROWS.read(aggregate, row, 0), describe(columns));
  }

  private static void assertReadOrRefused(Bounded.Outcome<Event> outcome, Object input) {
    if (outcome.thrown() == null) {
      assertThat(outcome.value()).as("read from %s", input).isNotNull();
    } else {
      assertRefused(outcome, input);
    }
  }

  /** Refused with the documented exception: a reason and a message, nothing else escaping. */
  private static void assertRefused(Bounded.Outcome<Event> outcome, Object input) {
    assertThat(outcome.thrown())
        .as("what reading %s threw", abbreviate(String.valueOf(input)))
        .isInstanceOf(UnreadableEventException.class);
    UnreadableEventException refused = (UnreadableEventException) outcome.thrown();
    assertThat(refused.reason()).isNotNull();
    assertThat(refused.getMessage()).isNotBlank();
    // a message names what was wrong, and quotes a huge text only in part (Jackson cuts it too)
    assertThat(refused.getMessage().length()).as(refused.getMessage()).isLessThan(4000);
  }

  private static String describe(Map<String, @Nullable ByteBuffer> columns) {
    Map<String, Object> decoded = new LinkedHashMap<>();
    columns.forEach(
        (name, bytes) ->
            decoded.put(
                name,
                bytes == null
                    ? "null"
                    : name.equals("parameters")
                        ? abbreviate(
                            String.valueOf(
                                RowCodec.PARAMETERS.decode(
                                    bytes.duplicate(), ProtocolVersion.DEFAULT)))
                        : bytes.remaining() + " bytes"));
    return decoded.toString();
  }

  private static String abbreviate(String text) {
    return text.length() <= 500 ? text : text.substring(0, 500) + "...(" + text.length() + ")";
  }

  // ---- events and their rows
  // ---------------------------------------------------------------------

  @Provide
  Arbitrary<Event> events() {
    return Combinators.combine(
            // valid Unicode: a text column holds UTF-8, in which a lone surrogate has no encoding
            // (the driver refuses to write one)
            Arbitraries.strings().all().ofMaxLength(30).map(RowCodecFuzzTest::utf8),
            Arbitraries.longs(),
            Arbitraries.of(0, 1, 2))
        .as(
            (text, seed, kind) ->
                switch (kind) {
                  case 0 -> packed(new Random(seed), text);
                  case 1 ->
                      emitted(c -> c.moved(at(seed), new UUID(seed, seed), text))
                          .withProcessingId(ProcessingIds.next());
                  default -> emitted(c -> c.delivered(at(seed), new UUID(seed, 1)));
                });
  }

  private static StreamTimestamp at(long seed) {
    return StreamTimestamp.of("s" + (seed & 3), Instant.ofEpochMilli(seed >> 22));
  }

  private static Event packed(Random random, String text) {
    CrateEvents.Part leaf = new CrateEvents.Part(text, random.nextInt(), List.of());
    Map<String, Integer> counts = new LinkedHashMap<>();
    counts.put(text, random.nextInt());
    return emitted(
        crate ->
            crate.packed(
                StreamTimestamp.of(text, Instant.ofEpochMilli(random.nextLong() >> 20)),
                new UUID(random.nextLong(), random.nextLong()),
                text,
                random.nextInt(),
                random.nextLong(),
                random.nextGaussian() * 1e200,
                new BigDecimal(BigInteger.valueOf(random.nextLong()), random.nextInt(40) - 20),
                Instant.ofEpochSecond(random.nextInt(), random.nextInt(1_000_000_000)),
                random.nextBoolean() ? CrateEvents.Mode.FAST : CrateEvents.Mode.SLOW,
                new CrateEvents.Part("box", -1, List.of(leaf)),
                List.of(text, ""),
                counts,
                random.nextBoolean() ? Optional.of(text) : Optional.empty(),
                random.nextBoolean() ? text : null));
  }

  private static Event emitted(Consumer<CrateEvents> emit) {
    List<Event> out = new ArrayList<>(1);
    emit.accept(EventMapper.emitter(CrateEvents.class, out::add));
    return out.get(0);
  }

  /** The event columns of {@code event}'s row, encoded as the store writes them. */
  private static Map<String, @Nullable ByteBuffer> columns(Event event) {
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
            ROWS.parameters(ROWS.schemaFor(event), event), ProtocolVersion.DEFAULT));
    columns.put(
        "characteristics",
        TypeCodecs.INT.encode(
            CharacteristicBits.toMask(event.characteristics()), ProtocolVersion.DEFAULT));
    return columns;
  }

  private static @Nullable ByteBuffer text(@Nullable String value) {
    return TypeCodecs.TEXT.encode(value == null ? null : utf8(value), ProtocolVersion.DEFAULT);
  }

  /** A parameters column holding {@code texts}, as far as UTF-8 can hold them. */
  private static @Nullable ByteBuffer parametersColumn(Map<String, String> texts) {
    Map<String, String> column = new LinkedHashMap<>();
    texts.forEach((name, text) -> column.put(utf8(name), utf8(text)));
    return RowCodec.PARAMETERS.encode(column, ProtocolVersion.DEFAULT);
  }

  /**
   * {@code text} as a text column gives it back: a lone surrogate, which UTF-8 cannot encode (the
   * driver refuses to write it), becomes '?'. Cassandra's text columns can hold nothing else.
   */
  private static String utf8(String text) {
    return new String(text.getBytes(UTF_8), UTF_8);
  }

  // ---- changes to a row's columns
  // ----------------------------------------------------------------

  /** A value a column of the event table can hold, put in place of the written one. */
  record ColumnChange(String column, @Nullable Object value) {
    void apply(Map<String, @Nullable ByteBuffer> columns) {
      columns.put(column, encode());
    }

    @SuppressWarnings("unchecked")
    private @Nullable ByteBuffer encode() {
      if (value == null) {
        return null;
      }
      return switch (column) {
        case "event_timestamp" ->
            TypeCodecs.TIMESTAMP.encode((Instant) value, ProtocolVersion.DEFAULT);
        // a timeuuid is a uuid on the wire; the TIMEUUID codec would refuse other versions here
        case "processing_id" -> TypeCodecs.UUID.encode((UUID) value, ProtocolVersion.DEFAULT);
        case "characteristics" -> TypeCodecs.INT.encode((Integer) value, ProtocolVersion.DEFAULT);
        case "parameters" -> parametersColumn((Map<String, String>) value);
        default -> text((String) value);
      };
    }
  }

  @Provide
  Arbitrary<List<ColumnChange>> columnChanges() {
    Arbitrary<String> texts =
        Arbitraries.oneOf(
            Arbitraries.strings().all().ofMaxLength(20),
            Arbitraries.of("", " ", "\t", "packed", "moved", "delivered", "1", "2", "01"));
    Arbitrary<ColumnChange> change =
        Arbitraries.oneOf(
            Arbitraries.of(
                    "event_timestamp",
                    "stream_id",
                    "processing_id",
                    "name",
                    "version",
                    "parameters",
                    "characteristics")
                .map(column -> new ColumnChange(column, null)),
            Arbitraries.longs()
                .between(-8_000_000_000_000_000L, 8_000_000_000_000_000L)
                .map(millis -> new ColumnChange("event_timestamp", Instant.ofEpochMilli(millis))),
            texts.map(text -> new ColumnChange("stream_id", text)),
            texts.map(text -> new ColumnChange("name", text)),
            texts.map(text -> new ColumnChange("version", text)),
            Combinators.combine(Arbitraries.longs(), Arbitraries.longs())
                .as((high, low) -> new ColumnChange("processing_id", new UUID(high, low))),
            Arbitraries.frequencyOf(
                    Tuple.of(4, Arbitraries.integers().between(-1, 4)),
                    Tuple.of(1, Arbitraries.integers()))
                .map(bits -> new ColumnChange("characteristics", bits)),
            Combinators.combine(
                    Arbitraries.of(PARAMETER_NAMES).injectDuplicates(0.1),
                    Arbitraries.oneOf(
                        Arbitraries.of(ODD_TEXTS), Arbitraries.strings().all().ofMaxLength(20)))
                .as(Map::entry)
                .list()
                .ofMaxSize(14)
                .map(
                    entries -> {
                      Map<String, String> map = new LinkedHashMap<>();
                      entries.forEach(e -> map.put(e.getKey(), e.getValue()));
                      return new ColumnChange("parameters", map);
                    }));
    return change.list().ofMinSize(1).ofMaxSize(3);
  }

  // ---- changes to a row's parameter texts
  // --------------------------------------------------------

  /** A change to the parameters map of a row, before it is encoded. */
  interface TextChange {
    void apply(Map<String, String> texts);
  }

  record Remove(String name) implements TextChange {
    @Override
    public void apply(Map<String, String> texts) {
      texts.remove(name);
    }
  }

  record Rename(String name, String to) implements TextChange {
    @Override
    public void apply(Map<String, String> texts) {
      String text = texts.remove(name);
      if (text != null) {
        texts.put(to, text);
      }
    }
  }

  record Replace(String name, String text) implements TextChange {
    @Override
    public void apply(Map<String, String> texts) {
      texts.put(name, text);
    }

    @Override
    public String toString() {
      return "Replace[" + name + ", " + abbreviate(text) + "]";
    }
  }

  /** Cuts a text at a fraction of its length. */
  record Truncate(String name, double at) implements TextChange {
    @Override
    public void apply(Map<String, String> texts) {
      texts.computeIfPresent(name, (key, text) -> text.substring(0, (int) (text.length() * at)));
    }
  }

  /** Changes one character of a text. */
  record Flip(String name, double at, char to) implements TextChange {
    @Override
    public void apply(Map<String, String> texts) {
      texts.computeIfPresent(
          name,
          (key, text) -> {
            if (text.isEmpty()) {
              return String.valueOf(to);
            }
            int position = Math.min(text.length() - 1, (int) (text.length() * at));
            return text.substring(0, position) + to + text.substring(position + 1);
          });
    }
  }

  /** Sets a text to a JSON string of {@code length} characters. */
  record Huge(String name, int length, char c) implements TextChange {
    @Override
    public void apply(Map<String, String> texts) {
      texts.put(name, '"' + String.valueOf(c).repeat(length) + '"');
    }
  }

  @Provide
  Arbitrary<List<TextChange>> textChanges() {
    Arbitrary<String> names =
        Arbitraries.oneOf(Arbitraries.of(PARAMETER_NAMES), Arbitraries.strings().ofMaxLength(6));
    Arbitrary<TextChange> change =
        Arbitraries.oneOf(
            names.map(Remove::new),
            Combinators.combine(names, names).as(Rename::new),
            Combinators.combine(
                    names,
                    Arbitraries.oneOf(
                        Arbitraries.of(ODD_TEXTS), Arbitraries.strings().all().ofMaxLength(30)))
                .as(Replace::new),
            Combinators.combine(names, Arbitraries.doubles().between(0, 1)).as(Truncate::new),
            Combinators.combine(
                    names,
                    Arbitraries.doubles().between(0, 1),
                    Arbitraries.oneOf(
                        Arbitraries.of('"', '\\', '{', '}', '[', ']', ',', ':', '\u0000', '\ud800'),
                        Arbitraries.chars()))
                .as(Flip::new),
            Combinators.combine(
                    names,
                    Arbitraries.integers().between(1_000, 300_000),
                    Arbitraries.of('x', 'é', '€', '\u0001', '"'))
                .as(Huge::new));
    return change.list().ofMinSize(1).ofMaxSize(4);
  }

  @Provide
  Arbitrary<Integer> nestingDepths() {
    return Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.integers().between(1, 50)),
        Tuple.of(2, Arbitraries.integers().between(MAX_NESTING - 5, MAX_NESTING + 5)),
        Tuple.of(2, Arbitraries.integers().between(MAX_NESTING, 400_000)));
  }
}
