package io.cursus.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.cursus.api.Event;
import io.cursus.api.HandlesEventsFor;
import io.cursus.api.Initial;
import io.cursus.api.ProcessingIds;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.Terminal;
import io.cursus.api.fixtures.Bounded;
import io.cursus.api.mapping.EventMapper;
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
import java.util.ArrayList;
import java.util.Arrays;
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
import org.junit.jupiter.api.Test;

/**
 * The envelope reader fed random bytes, random JSON and mutations of valid envelopes (property
 * based, with jqwik). Whatever it is given, {@link EventJson#read} returns an event or throws
 * {@link UnreadableEventException} with a reason: no other exception or error escapes, no read
 * hangs (each runs with a bound, see {@link Bounded}), a message over the size limit is refused
 * before it is parsed, and nesting deeper than the parser's limit is refused, not recursed into.
 *
 * <p>The numbers of tries keep the whole class to a few seconds; jqwik draws new inputs on every
 * run, and prints the seed of a failing one, to repeat it with {@code @Property(seed = "…")}.
 */
class EventJsonFuzzTest {

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
        String id,
        String label,
        int count,
        long big,
        double weight,
        boolean fragile,
        BigDecimal price,
        BigInteger serial,
        UUID ref,
        Instant due,
        LocalDate day,
        Duration took,
        Mode mode,
        Part part,
        List<String> lines,
        Map<String, Integer> counts,
        Optional<String> note,
        @Nullable String remark);

    @Terminal
    void shipped(StreamTimestamp ts, String id, String to);
  }

  private static final EventTypeRegistry REGISTRY = EventTypeRegistry.of(CrateEvents.class);
  private static final EventJson JSON = EventJson.using(REGISTRY);
  private static final ObjectMapper MAPPER = JsonMappers.strict();
  private static final Bounded BOUNDED = new Bounded();

  /** Jackson's default limit of nesting (StreamReadConstraints), which the reader relies on. */
  private static final int MAX_NESTING = 1000;

  /** The fields a mutation may hit: the envelope's, and parameters at several depths. */
  private static final List<String> PATHS =
      List.of(
          "envelope",
          "aggregateType",
          "aggregateId",
          "eventTime",
          "streamId",
          "name",
          "version",
          "characteristics",
          "processingId",
          "parameters",
          "parameters/id",
          "parameters/label",
          "parameters/to",
          "parameters/count",
          "parameters/big",
          "parameters/weight",
          "parameters/fragile",
          "parameters/price",
          "parameters/serial",
          "parameters/ref",
          "parameters/due",
          "parameters/day",
          "parameters/took",
          "parameters/mode",
          "parameters/part",
          "parameters/part/count",
          "parameters/part/parts",
          "parameters/lines",
          "parameters/counts",
          "parameters/note",
          "parameters/remark");

  /** Values that are out of range, or of an odd form, for some declared type or other. */
  private static final List<String> ODD_VALUES =
      List.of(
          "2147483648",
          "-2147483649",
          "9223372036854775808",
          "-9223372036854775809",
          "340282366920938463463374607431768211456",
          "1e400",
          "-1e400",
          "1e-400",
          "1E+2147483647",
          "1e-2147483648",
          "0.1e999999999",
          "123456789".repeat(120), // over Jackson's 1000 digits
          "-0",
          "-0.0",
          "0.0000000000000000000000000000000000001",
          "1.5",
          "true",
          "null",
          "\"\"",
          "\"NaN\"",
          "\"Infinity\"",
          "\"1\"",
          "\"+1000000000-12-31T23:59:59.999999999Z\"",
          "\"-1000000001-01-01T00:00:00Z\"",
          "\"2026-02-30T00:00:00Z\"",
          "\"PT9223372036854775807S\"",
          "\"P999999999999999999D\"",
          "\"+999999999-12-31\"",
          "\"java.net.URL\"",
          "[\"java.net.URL\",\"http://example.com\"]",
          "\"FAST \"",
          "\"fast\"",
          "\"00000000-0000-0000-0000-000000000000\"",
          "\"zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz\"",
          "[]",
          "{}",
          "[null]",
          "{\"\":null}",
          "\"\\ud800\"",
          "\"\\u0000\"");

  @AfterContainer
  static void stopTheWorker() {
    BOUNDED.close();
  }

  // ---- properties -------------------------------------------------------------------------------

  @Property(tries = 200)
  void everyEnvelopeWrittenIsReadBackAsTheSameEvent(@ForAll("events") Event event) {
    // the generator makes valid events: the mutations below start from real envelopes
    Bounded.Outcome<Event> outcome = read(JSON.write(event));

    assertThat(outcome.thrown()).isNull();
    assertThat(visible(outcome.value())).isEqualTo(visible(event));
    assertThat(outcome.value()).isEqualTo(event);
    assertThat(outcome.value().parameters()).isEqualTo(event.parameters());
  }

  @Property(tries = 300)
  void randomBytesAreRefusedAsMalformed(@ForAll("bytes") byte[] bytes) {
    Bounded.Outcome<Event> outcome = read(bytes);

    assertRefused(outcome, bytes);
    assertThat(((UnreadableEventException) outcome.thrown()).reason()).isEqualTo(Reason.MALFORMED);
  }

  @Property(tries = 400)
  void randomJsonIsReadOrRefusedWithAReason(@ForAll("envelopeLikeJson") String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);

    assertReadOrRefused(read(bytes), bytes);
  }

  @Property(tries = 500)
  void mutatedEnvelopesAreReadOrRefusedWithAReason(
      @ForAll("events") Event event, @ForAll("mutations") List<Mutation> mutations) {
    byte[] bytes = JSON.write(event);
    for (Mutation mutation : mutations) {
      bytes = mutation.apply(bytes);
    }

    assertReadOrRefused(read(bytes), bytes);
  }

  /**
   * Found by the mutation property: "1.5" mutated to "1.5E+2147483647" read, then failed to write.
   */
  @Test
  void aDecimalWhoseScaleCouldNotBeWrittenAgainIsRefusedWhenRead() {
    Event event = sample(new Random(7), "label");
    String price = JsonMappers.ExactNumbers.text((BigDecimal) event.parameters().get("price"));
    String envelope = new String(JSON.write(event), StandardCharsets.UTF_8);
    assertThat(envelope).contains(price);
    byte[] mutated = envelope.replace(price, "1.5E+2147483647").getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> JSON.read(mutated))
        .isInstanceOf(UnreadableEventException.class)
        .hasMessageContaining("price")
        .hasMessageContaining("is out of range: at most 9999 either way");
  }

  /**
   * Found by the mutation property: "1e400" read as 1E+400 (scale -400), written as 1 and 400
   * zeros, read back as another {@code BigDecimal} (scale 0), equal by {@code compareTo} only.
   */
  @Test
  void aDecimalOfNegativeScaleReadIsWrittenSoThatItReadsBackEqual() {
    Event event = sample(new Random(7), "label");
    String price = JsonMappers.ExactNumbers.text((BigDecimal) event.parameters().get("price"));
    String envelope = new String(JSON.write(event), StandardCharsets.UTF_8);
    byte[] mutated = envelope.replace(price, "1e400").getBytes(StandardCharsets.UTF_8);

    Event read = JSON.read(mutated);
    byte[] written = JSON.write(read);

    assertThat(read.parameters().get("price")).isEqualTo(new BigDecimal("1E+400"));
    assertThat(new String(written, StandardCharsets.UTF_8)).contains("\"price\":1E+400,");
    assertThat(JSON.read(written)).isEqualTo(read);
  }

  @Property(tries = 100)
  void messagesOverTheLimitAreRefusedBeforeTheyAreParsed(
      @ForAll("events") Event event, @ForAll("overLimit") byte[] tail) {
    // given: a valid envelope, then random bytes, beyond a 4 KiB limit
    EventJson small = JSON.withMaxBytes(4096);
    byte[] envelope = JSON.write(event);
    byte[] bytes = Arrays.copyOf(envelope, envelope.length + tail.length);
    System.arraycopy(tail, 0, bytes, envelope.length, tail.length);
    if (bytes.length <= 4096) {
      bytes = Arrays.copyOf(bytes, 4097); // zeros: still not JSON
    }
    byte[] message = bytes;

    // when
    Bounded.Outcome<Event> outcome = BOUNDED.run(() -> small.read(message), describe(message));

    // then: refused for its size, not for the garbage a parser would have found
    assertRefused(outcome, message);
    assertThat(outcome.thrown())
        .hasMessage("message of " + message.length + " bytes exceeds the limit of 4096 bytes")
        .hasNoCause();
  }

  @Property(tries = 60, shrinking = ShrinkingMode.OFF)
  void deepNestingIsRefusedWithoutOverflowingTheStack(
      @ForAll("nestingPlaces") String path,
      @ForAll("nestingDepths") int depth,
      @ForAll Nesting nesting) {
    // given: a valid envelope with a value nested `depth` levels deep in one place
    byte[] bytes =
        new Nest(path, depth, nesting).apply(JSON.write(sample(new Random(depth), "deep")));

    // when
    Bounded.Outcome<Event> outcome = read(bytes);

    // then
    if (bytes.length > JSON.maxBytes()) {
      assertRefused(outcome, bytes);
    } else if (depth > MAX_NESTING) {
      assertRefused(outcome, bytes);
      assertThat(((UnreadableEventException) outcome.thrown()).reason())
          .isEqualTo(Reason.MALFORMED);
      assertThat(outcome.thrown()).hasMessageContaining("nesting depth");
    } else {
      assertReadOrRefused(outcome, bytes);
    }
  }

  // ---- what the properties check
  // -----------------------------------------------------------------

  private static Bounded.Outcome<Event> read(byte[] bytes) {
    return BOUNDED.run(() -> JSON.read(bytes), describe(bytes));
  }

  /**
   * Read as an event (one that writes and reads back the same), or refused with a reason. A reader
   * accepts messages up to its limit, 1 MiB, above the 1,000,000 bytes of one event emitted: an
   * event read between the two is refused by the writer of the same registry, with the size
   * message, and written back by one whose limit is the reader's (as parking does).
   */
  private static void assertReadOrRefused(Bounded.Outcome<Event> outcome, byte[] bytes) {
    if (outcome.thrown() == null) {
      Event event = outcome.value();
      assertThat(event).as("read from %s", describe(bytes)).isNotNull();
      EventJson writer = JSON;
      if (EventValidator.serialisedSize(event) > REGISTRY.maxEventBytes()) {
        assertThatThrownBy(() -> JSON.write(event))
            .as("writing what was read from %s", describe(bytes))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("bytes for one event");
        writer = EventJson.using(REGISTRY.withMaxEventBytes(JSON.maxBytes()));
      }
      assertThat(JSON.read(writer.write(event)))
          .as("read from %s", describe(bytes))
          .isEqualTo(event);
    } else {
      assertRefused(outcome, bytes);
    }
  }

  /** Refused with the documented exception: a reason and a message, nothing else escaping. */
  private static void assertRefused(Bounded.Outcome<Event> outcome, byte[] bytes) {
    assertThat(outcome.thrown())
        .as("what reading %s threw", describe(bytes))
        .isInstanceOf(UnreadableEventException.class);
    UnreadableEventException refused = (UnreadableEventException) outcome.thrown();
    assertThat(refused.reason()).isNotNull();
    assertThat(refused.getMessage()).isNotBlank();
    // a message names what was wrong, and never quotes a whole (huge) message
    assertThat(refused.getMessage().length()).isLessThan(2000);
  }

  /** The event, its processing id and its parameters, with control and non-ASCII escaped. */
  private static String visible(Event event) {
    String text =
        event.aggregateId()
            + " "
            + event.timestamp()
            + " "
            + event.processingId()
            + " "
            + event.parameters()
            + " "
            + event.characteristics();
    StringBuilder visible = new StringBuilder();
    text.chars()
        .forEach(
            c -> {
              if (c < 0x20 || c > 0x7e) {
                visible.append(String.format("\\u%04x", c));
              } else {
                visible.append((char) c);
              }
            });
    return visible.toString();
  }

  private static String describe(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    return bytes.length
        + " bytes: "
        + (text.length() <= 300 ? text : text.substring(0, 300) + "...(" + text.length() + ")");
  }

  // ---- valid events
  // ------------------------------------------------------------------------------

  @Provide
  Arbitrary<Event> events() {
    return Combinators.combine(
            Arbitraries.strings().all().ofMaxLength(30), Arbitraries.longs(), Arbitraries.of(0, 1))
        .as((text, seed, kind) -> kind == 0 ? sample(new Random(seed), text) : shipped(text));
  }

  private static Event sample(Random random, String text) {
    CrateEvents.Part leaf = new CrateEvents.Part(text, random.nextInt(), List.of());
    CrateEvents.Part part = new CrateEvents.Part("box", -1, List.of(leaf, leaf));
    Map<String, Integer> counts = new LinkedHashMap<>();
    counts.put(text, random.nextInt());
    counts.put("", Integer.MIN_VALUE);
    return emitted(
        crate ->
            crate.packed(
                StreamTimestamp.of(text, Instant.ofEpochMilli(random.nextLong() >> 20)),
                text.isBlank() ? "c" + text : text,
                text,
                random.nextInt(),
                random.nextLong(),
                random.nextBoolean() ? random.nextGaussian() * 1e300 : Double.NaN,
                random.nextBoolean(),
                // negative scales too: 1E+3 is written 1E+3, so that it reads back equal
                new BigDecimal(BigInteger.valueOf(random.nextLong()), random.nextInt(60) - 30),
                BigInteger.valueOf(random.nextLong()).shiftLeft(random.nextInt(100)),
                new UUID(random.nextLong(), random.nextLong()),
                Instant.ofEpochSecond(random.nextInt(), random.nextInt(1_000_000_000)),
                LocalDate.ofEpochDay(random.nextInt(2_000_000) - 1_000_000),
                Duration.ofSeconds(random.nextLong() >> 2, random.nextInt(1_000_000_000)),
                random.nextBoolean() ? CrateEvents.Mode.FAST : CrateEvents.Mode.SLOW,
                part,
                List.of(text, ""),
                counts,
                random.nextBoolean() ? Optional.of(text) : Optional.empty(),
                random.nextBoolean() ? text : null));
  }

  private static Event shipped(String text) {
    Event event =
        emitted(
            crate ->
                crate.shipped(
                    StreamTimestamp.of("s", Instant.parse("2026-11-22T09:00:00.123Z")),
                    "c" + text,
                    text));
    return event.withProcessingId(ProcessingIds.next());
  }

  private static Event emitted(Consumer<CrateEvents> emit) {
    List<Event> out = new ArrayList<>(1);
    emit.accept(EventMapper.emitter(CrateEvents.class, out::add));
    return out.get(0);
  }

  // ---- random input
  // ------------------------------------------------------------------------------

  @Provide
  Arbitrary<byte[]> bytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(2000);
  }

  @Provide
  Arbitrary<byte[]> overLimit() {
    return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(20_000);
  }

  @Provide
  Arbitrary<String> nestingPlaces() {
    return Arbitraries.of(
        "", // the whole message
        "parameters",
        "parameters/part",
        "parameters/part/parts",
        "parameters/lines",
        "parameters/counts",
        "parameters/label",
        "name",
        "characteristics",
        "unknownField");
  }

  @Provide
  Arbitrary<Integer> nestingDepths() {
    return Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.integers().between(1, 50)),
        Tuple.of(2, Arbitraries.integers().between(MAX_NESTING - 5, MAX_NESTING + 5)),
        Tuple.of(2, Arbitraries.integers().between(MAX_NESTING, 200_000)),
        Tuple.of(1, Arbitraries.integers().between(500_000, 700_000))); // over 1 MiB of brackets
  }

  /** JSON that looks like an envelope more or less: plausible values mixed with random ones. */
  @Provide
  Arbitrary<String> envelopeLikeJson() {
    Map<String, Arbitrary<String>> plausible = new LinkedHashMap<>();
    plausible.put("envelope", Arbitraries.of("1", "2", "0", "1.0", "\"1\"", "-1", "2147483648"));
    plausible.put("aggregateType", Arbitraries.of("\"crate\"", "\"\"", "\" \"", "\"Crate\""));
    plausible.put("aggregateId", quotedStrings());
    plausible.put(
        "eventTime",
        Arbitraries.of(
            "\"2026-11-22T09:00:00Z\"",
            "\"2026-11-22T09:00:00.123456789Z\"",
            "\"+1000000000-12-31T23:59:59.999999999Z\"",
            "\"-1000000000-01-01T00:00:00Z\"",
            "\"+1000000001-01-01T00:00:00Z\"",
            "\"2026-13-01T00:00:00Z\"",
            "\"2026-11-22T09:00:00+01:00\"",
            "\"2026-11-22T09:00:00\"",
            "\"\"",
            "1764000000000"));
    plausible.put("streamId", quotedStrings());
    plausible.put("name", Arbitraries.of("\"packed\"", "\"shipped\"", "\"lost\"", "\"\""));
    plausible.put("version", Arbitraries.of("\"1\"", "\"2\"", "\"\"", "1"));
    plausible.put(
        "characteristics",
        Arbitraries.of("[]", "[\"INITIAL\"]", "[\"TERMINAL\",\"INITIAL\"]", "[\"x\"]", "null"));
    plausible.put(
        "processingId",
        Arbitraries.of(
            "\"" + ProcessingIds.next() + "\"",
            "\"" + UUID.randomUUID() + "\"",
            "\"1-1-1-1-1\"",
            "null",
            "7"));
    plausible.put("parameters", parameterObjects());
    List<Arbitrary<String>> fields = new ArrayList<>();
    plausible.forEach(
        (name, values) ->
            fields.add(
                Arbitraries.frequencyOf(
                    Tuple.of(6, values.map(v -> quote(name) + ":" + v)),
                    Tuple.of(1, jsonValues(2).map(v -> quote(name) + ":" + v)),
                    Tuple.of(1, Arbitraries.just("")))));
    fields.add(
        Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.just("")),
            Tuple.of(
                1,
                Combinators.combine(Arbitraries.strings().ofMaxLength(8), jsonValues(2))
                    .as((key, value) -> quote(key) + ":" + value))));
    return Combinators.combine(fields)
        .as(List::copyOf)
        .flatMap(list -> Arbitraries.shuffle(list))
        .map(
            list ->
                "{"
                    + String.join(",", list.stream().filter(field -> !field.isEmpty()).toList())
                    + "}");
  }

  private static Arbitrary<String> parameterObjects() {
    Arbitrary<String> names =
        Arbitraries.of(
            "id", "to", "label", "count", "big", "weight", "fragile", "price", "serial", "ref",
            "due", "day", "took", "mode", "part", "lines", "counts", "note", "remark", "other");
    Arbitrary<String> values =
        Arbitraries.oneOf(
            Arbitraries.of(ODD_VALUES),
            quotedStrings(),
            Arbitraries.integers().map(String::valueOf),
            jsonValues(3));
    return Combinators.combine(names, values)
        .as((name, value) -> quote(name) + ":" + value)
        .list()
        .ofMaxSize(22)
        .map(fields -> "{" + String.join(",", fields) + "}");
  }

  /** Any JSON value, nested at most {@code depth} levels. */
  private static Arbitrary<String> jsonValues(int depth) {
    Arbitrary<String> scalars =
        Arbitraries.oneOf(
            Arbitraries.of(ODD_VALUES),
            Arbitraries.integers().map(String::valueOf),
            Arbitraries.doubles().map(String::valueOf).filter(v -> !v.contains("N")),
            quotedStrings());
    if (depth == 0) {
      return scalars;
    }
    Arbitrary<String> deeper = jsonValues(depth - 1);
    return Arbitraries.frequencyOf(
        Tuple.of(4, scalars),
        Tuple.of(1, deeper.list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]")),
        Tuple.of(
            1,
            Combinators.combine(Arbitraries.strings().ofMaxLength(6), deeper)
                .as((key, value) -> quote(key) + ":" + value)
                .list()
                .ofMaxSize(4)
                .map(l -> "{" + String.join(",", l) + "}")));
  }

  private static Arbitrary<String> quotedStrings() {
    return Arbitraries.strings().all().ofMaxLength(20).map(EventJsonFuzzTest::quote);
  }

  private static String quote(String text) {
    try {
      return MAPPER.writeValueAsString(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot quote " + text, e);
    }
  }

  // ---- mutations of valid envelopes
  // --------------------------------------------------------------

  @Provide
  Arbitrary<List<Mutation>> mutations() {
    Arbitrary<String> paths = Arbitraries.of(PATHS);
    Arbitrary<Mutation> mutation =
        Arbitraries.oneOf(
            paths.map(Remove::new),
            Combinators.combine(
                    paths,
                    Arbitraries.oneOf(
                        Arbitraries.strings().ofMaxLength(12),
                        Arbitraries.of("Envelope", "NAME", "parameter", "aggregate_id", "")))
                .as(Rename::new),
            Combinators.combine(paths, Arbitraries.oneOf(Arbitraries.of(ODD_VALUES), jsonValues(3)))
                .as(Replace::new),
            Combinators.combine(
                    paths,
                    Arbitraries.frequencyOf(
                        Tuple.of(3, Arbitraries.integers().between(1_000, 100_000)),
                        Tuple.of(1, Arbitraries.integers().between(1_000_000, 1_200_000))),
                    Arbitraries.of('x', 'é', '"', '\\', '\u0001', '€'))
                .as(HugeString::new),
            Combinators.combine(
                    paths, Arbitraries.integers().between(1, 3_000), Arbitraries.of(Nesting.class))
                .as(Nest::new),
            Arbitraries.oneOf(
                    Arbitraries.of("0", "2", "-1", "1.0", "1e0", "\"1\"", "true", "null", "[1]"),
                    Arbitraries.of(ODD_VALUES))
                .map(version -> new Replace("envelope", version)),
            Combinators.combine(Arbitraries.of("aggregateType", "name", "version"), quotedStrings())
                .as(Replace::new),
            Combinators.combine(
                    Arbitraries.of(
                        "parameters/count",
                        "parameters/big",
                        "parameters/weight",
                        "parameters/price",
                        "parameters/serial",
                        "parameters/took",
                        "parameters/part/count",
                        "parameters/counts"),
                    Arbitraries.of(ODD_VALUES))
                .as(Replace::new),
            Arbitraries.doubles().between(0, 1).map(Truncate::new),
            Combinators.combine(
                    Arbitraries.doubles().between(0, 1),
                    Arbitraries.integers().between(1, 255),
                    Arbitraries.integers().between(1, 5))
                .as(Flip::new),
            Combinators.combine(
                    Arbitraries.doubles().between(0, 1),
                    Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(8))
                .as(Splice::new));
    return mutation.list().ofMinSize(1).ofMaxSize(3);
  }

  /** A change to an envelope's bytes. */
  interface Mutation {
    byte[] apply(byte[] envelope);
  }

  /**
   * A change to one field of the envelope, found by its path; when an earlier mutation has made the
   * envelope unreadable or removed the field's parent, the envelope is left as it is.
   */
  abstract static class FieldMutation implements Mutation {
    final String path;

    FieldMutation(String path) {
      this.path = path;
    }

    @Override
    public byte[] apply(byte[] envelope) {
      JsonNode root;
      try {
        root = MAPPER.readTree(envelope);
      } catch (java.io.IOException | RuntimeException e) {
        return envelope; // an earlier mutation made it unreadable to a tree (1e-2147483648)
      }
      if (path.isEmpty()) {
        return envelope;
      }
      String[] steps = path.split("/", -1);
      JsonNode parent = root;
      for (int i = 0; i < steps.length - 1 && parent != null; i++) {
        parent = parent.get(steps[i]);
      }
      if (!(parent instanceof ObjectNode object)) {
        return envelope;
      }
      change(object, steps[steps.length - 1]);
      try {
        // as text first: a lone surrogate in a mutated name becomes '?' instead of failing
        return MAPPER.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
      } catch (JsonProcessingException e) {
        // a value an earlier mutation set that Jackson reads but will not write (1E+2147483647)
        return envelope;
      }
    }

    abstract void change(ObjectNode parent, String field);
  }

  static final class Remove extends FieldMutation {
    Remove(String path) {
      super(path);
    }

    @Override
    void change(ObjectNode parent, String field) {
      parent.remove(field);
    }

    @Override
    public String toString() {
      return "remove " + path;
    }
  }

  static final class Rename extends FieldMutation {
    final String to;

    Rename(String path, String to) {
      super(path);
      this.to = to;
    }

    @Override
    void change(ObjectNode parent, String field) {
      JsonNode value = parent.remove(field);
      if (value != null) {
        parent.set(to, value);
      }
    }

    @Override
    public String toString() {
      return "rename " + path + " to '" + to + "'";
    }
  }

  /** Sets a field to raw JSON text, written as it is (so numbers keep every digit). */
  static class Replace extends FieldMutation {
    final String json;

    Replace(String path, String json) {
      super(path);
      this.json = json;
    }

    String value() {
      return json;
    }

    @Override
    void change(ObjectNode parent, String field) {
      parent.putRawValue(field, new RawValue(value()));
    }

    @Override
    public String toString() {
      return "set " + path + " to " + json;
    }
  }

  static final class HugeString extends Replace {
    final int length;
    final char c;

    HugeString(String path, int length, char c) {
      super(path, "");
      this.length = length;
      this.c = c;
    }

    @Override
    String value() {
      return quote(String.valueOf(c).repeat(length));
    }

    @Override
    public String toString() {
      return "set " + path + " to a string of " + length + " '" + c + "'";
    }
  }

  /** How a deeply nested value is built. */
  enum Nesting {
    ARRAYS,
    OBJECTS,
    /** A {@code Part} whose only part has one part, and so on: valid, as deep as it goes. */
    PARTS
  }

  /** Sets a field (or, for the empty path, the whole message) to a value nested deep. */
  static final class Nest extends Replace {
    final int depth;
    final Nesting nesting;

    Nest(String path, int depth, Nesting nesting) {
      super(path, "");
      this.depth = depth;
      this.nesting = nesting;
    }

    /** A value {@code depth} levels of JSON deep. */
    @Override
    String value() {
      return switch (nesting) {
        case ARRAYS -> "[".repeat(depth) + "]".repeat(depth);
        case OBJECTS -> "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
        case PARTS ->
            "{\"name\":\"n\",\"count\":1,\"parts\":[".repeat((depth - 1) / 2)
                + "{\"name\":\"n\",\"count\":1,\"parts\":[]}"
                + "]}".repeat((depth - 1) / 2);
      };
    }

    @Override
    public byte[] apply(byte[] envelope) {
      return path.isEmpty() ? value().getBytes(StandardCharsets.UTF_8) : super.apply(envelope);
    }

    @Override
    public String toString() {
      return "set " + path + " to " + nesting + " nested " + depth + " deep";
    }
  }

  record Truncate(double at) implements Mutation {
    @Override
    public byte[] apply(byte[] envelope) {
      return Arrays.copyOf(envelope, (int) (envelope.length * at));
    }
  }

  record Flip(double at, int mask, int count) implements Mutation {
    @Override
    public byte[] apply(byte[] envelope) {
      byte[] flipped = envelope.clone();
      for (int i = 0; i < count && flipped.length > 0; i++) {
        int position = Math.min(flipped.length - 1, (int) (flipped.length * at) + i * 7);
        flipped[position] = (byte) (flipped[position] ^ mask);
      }
      return flipped;
    }
  }

  static final class Splice implements Mutation {
    final double at;
    final byte[] inserted;

    Splice(double at, byte[] inserted) {
      this.at = at;
      this.inserted = inserted;
    }

    @Override
    public byte[] apply(byte[] envelope) {
      int position = (int) (envelope.length * at);
      byte[] spliced = new byte[envelope.length + inserted.length];
      System.arraycopy(envelope, 0, spliced, 0, position);
      System.arraycopy(inserted, 0, spliced, position, inserted.length);
      System.arraycopy(
          envelope, position, spliced, position + inserted.length, envelope.length - position);
      return spliced;
    }

    @Override
    public String toString() {
      return "insert " + Arrays.toString(inserted) + " at " + at;
    }
  }
}
