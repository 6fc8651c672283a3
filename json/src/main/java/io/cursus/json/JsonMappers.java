package io.cursus.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.cursus.api.mapping.EventValidator;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** The Jackson configuration Cursus reads and writes parameters with. */
public final class JsonMappers {

  /** Registered when found: Kotlin data classes and objects as parameters (cursus-kotlin). */
  static final String KOTLIN_MODULE = "com.fasterxml.jackson.module.kotlin.KotlinModule";

  private JsonMappers() {}

  /**
   * A new mapper for event parameters: java.time as ISO-8601 text, Optional, records, and Kotlin
   * classes when jackson-module-kotlin is on the class path. It is strict: unknown properties,
   * trailing tokens, nulls for primitives and coercions between text, numbers and booleans all
   * fail. Default typing is never enabled, so a message can never name a class to instantiate;
   * every value is read as the type its event's schema declares.
   *
   * <p>The mapper registers exactly these modules: {@code Jdk8Module}, {@code JavaTimeModule} and,
   * when the class path offers it to Jackson's module lookup ({@code META-INF/services}), {@code
   * KotlinModule} with its default settings. It never registers the other modules a class path
   * offers: a Jackson module added to an application (for its own REST layer, say) cannot change
   * the wire format of events.
   */
  public static ObjectMapper strict() {
    JsonMapper mapper =
        JsonMapper.builder()
            .addModules(modules())
            .addModule(numberLimits())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            // Trees keep decimals exactly (12.50 stays 12.50), so values read from them are exact.
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();
    mapper
        .coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    return mapper;
  }

  /**
   * The largest scale, either way, of a {@code BigDecimal} the mapper reads: the writer writes a
   * decimal of scale 0 or more plainly ({@code 12.50}, never {@code 1.250E+1}), which Jackson
   * allows up to this scale, so a value read beyond it could never be written again (to the store,
   * a dead-letter topic, a parked event). It is refused when read, as a value that does not match
   * its declaration.
   */
  static final int MAX_DECIMAL_SCALE = EventValidator.MAX_DECIMAL_SCALE;

  /**
   * Reading limits that the writer's settings need (see {@link #MAX_DECIMAL_SCALE}), and the
   * writing of decimals that reads back {@linkplain BigDecimal#equals equal}, scale included.
   */
  private static Module numberLimits() {
    SimpleModule limits = new SimpleModule("cursus-number-limits");
    limits.addDeserializer(BigDecimal.class, new LimitedDecimals());
    ExactNumbers numbers = new ExactNumbers();
    limits.addSerializer(BigDecimal.class, numbers);
    limits.addSerializer(BigInteger.class, numbers);
    return limits;
  }

  /**
   * Writes a {@code BigDecimal} of scale 0 or more plainly ({@code 12.50}), and one of negative
   * scale in exponent form ({@code 1E+3}): written plainly it would be {@code 1000}, read back with
   * scale 0, a different {@code BigDecimal} by {@code equals} (and by an index's key). Refuses a
   * {@code BigDecimal} or {@code BigInteger} a reader would refuse (see {@link
   * EventValidator#MAX_NUMBER_CHARACTERS}, {@link #MAX_DECIMAL_SCALE}).
   */
  static final class ExactNumbers extends StdSerializer<Number> {
    private static final long serialVersionUID = 1L;

    ExactNumbers() {
      super(Number.class);
    }

    @Override
    public void serialize(Number value, JsonGenerator generator, SerializerProvider provider)
        throws IOException {
      generator.writeNumber(text(value));
    }

    /** The text {@link #serialize} writes. */
    static String text(Number value) {
      String text;
      String what;
      if (value instanceof BigDecimal decimal) {
        if (Math.abs((long) decimal.scale()) > MAX_DECIMAL_SCALE) {
          throw new IllegalArgumentException(
              "decimal of scale "
                  + decimal.scale()
                  + " is beyond the "
                  + MAX_DECIMAL_SCALE
                  + " either way that a reader accepts");
        }
        text = decimal.scale() < 0 ? decimal.toString() : decimal.toPlainString();
        what = "decimal";
      } else {
        text = value.toString();
        what = "integer";
      }
      if (text.length() > EventValidator.MAX_NUMBER_CHARACTERS) {
        throw new IllegalArgumentException(
            what
                + " written with "
                + text.length()
                + " characters is over the "
                + EventValidator.MAX_NUMBER_CHARACTERS
                + " that a reader accepts");
      }
      return text;
    }
  }

  /** Jackson's {@code BigDecimal} reading, refusing a scale the writer could not write. */
  private static final class LimitedDecimals extends NumberDeserializers.BigDecimalDeserializer {
    private static final long serialVersionUID = 1L;

    @Override
    public BigDecimal deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      BigDecimal value = super.deserialize(parser, context);
      if (value != null && Math.abs((long) value.scale()) > MAX_DECIMAL_SCALE) {
        throw InvalidFormatException.from(
            parser,
            "decimal with scale "
                + value.scale()
                + " is out of range: at most "
                + MAX_DECIMAL_SCALE
                + " either way",
            parser.getText().length() > 40
                ? parser.getText().substring(0, 40) + "..."
                : parser.getText(),
            BigDecimal.class);
      }
      return value;
    }
  }

  /**
   * The modules {@link #strict()} registers, in order: {@code Jdk8Module} ({@code Optional}),
   * {@code JavaTimeModule} ({@code java.time}) and {@code KotlinModule} of jackson-module-kotlin
   * (brought by cursus-kotlin) when the module lookup offers it. Other modules the lookup offers
   * are neither registered nor created.
   */
  static List<Module> modules() {
    List<Module> modules = new ArrayList<>(3);
    modules.add(new Jdk8Module());
    modules.add(new JavaTimeModule());
    ServiceLoader.load(Module.class).stream()
        .filter(offered -> offered.type().getName().equals(KOTLIN_MODULE))
        .findFirst()
        .ifPresent(kotlin -> modules.add(kotlin.get()));
    return List.copyOf(modules);
  }
}
