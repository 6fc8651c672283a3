package io.cursus.json;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.cursus.api.Event;
import io.cursus.api.Parameters;
import io.cursus.api.mapping.EventSchema;
import io.cursus.api.mapping.ParameterSchema;
import io.cursus.api.store.UnreadableEventException;
import io.cursus.api.store.UnreadableEventException.Reason;
import java.lang.invoke.MethodType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Writes event parameters as JSON and reads them back as the types their schema declares.
 *
 * <p>Thread-safe. The JSON never carries type names: what a value is read as comes only from the
 * declaration, so data can never make Cursus instantiate a class it did not declare.
 */
public final class ParameterCodec {

  private final ObjectMapper mapper;
  private final Map<Type, ObjectReader> readers = new ConcurrentHashMap<>();
  private final Map<Type, ObjectWriter> writers = new ConcurrentHashMap<>();

  /**
   * Whether {@link String} parameters that need no escaping are written and read without Jackson:
   * only with {@link JsonMappers#strict()}, whose strings are Jackson's defaults (a mapper given by
   * the caller may handle strings its own way). Same text, same value; a string with a quote, a
   * backslash, a control character or a surrogate still goes through Jackson.
   */
  private final boolean plainStrings;

  private ParameterCodec(ObjectMapper mapper, boolean plainStrings) {
    this.mapper = requireNonNull(mapper, "mapper must not be null");
    this.plainStrings = plainStrings;
  }

  /** The mapper values are read and written with. */
  ObjectMapper mapper() {
    return mapper;
  }

  /** A codec using {@link JsonMappers#strict()}. */
  public static ParameterCodec create() {
    return new ParameterCodec(JsonMappers.strict(), true);
  }

  /** A codec using {@code mapper}; it must not enable default typing. */
  public static ParameterCodec using(ObjectMapper mapper) {
    return new ParameterCodec(mapper, false);
  }

  /**
   * {@code value}, of the declared {@code type}, as JSON text.
   *
   * @throws IllegalArgumentException if it cannot be written as {@code type}, naming the declared
   *     and the given type
   */
  public String write(Type type, Object value) {
    if (plainStrings
        && type == String.class
        && value instanceof String text
        && isPlain(text, 0, text.length())) {
      return '"' + text + '"';
    }
    try {
      return writer(type).writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          mismatch(type, value)
              ? "a value declared " + type.getTypeName() + " " + given(value)
              : "a " + type.getTypeName() + " " + cannotWrite(e),
          e);
    }
  }

  /**
   * The parameters of {@code event} as JSON texts by name, in the order of {@code schema}.
   *
   * @throws UnreadableEventException if the event's parameters do not match the schema
   * @throws IllegalArgumentException if a parameter cannot be written as its declared type, naming
   *     the event, the parameter, the declared and the given type
   */
  public Map<String, String> writeAll(EventSchema schema, Event event) {
    checkNames(schema, event);
    Map<String, String> texts = new LinkedHashMap<>();
    for (ParameterSchema parameter : schema.parameters()) {
      Object value = event.parameters().get(parameter.name());
      String text;
      try {
        text = write(parameter.type(), value);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            describe(event) + ": " + unwritable(parameter, value, e.getCause()).getMessage(), e);
      }
      texts.put(parameter.name(), text);
    }
    return texts;
  }

  /** For messages: {@code event parcel/receivedAtDepot_1 of parcel/69016fb5-… at …@depot-1}. */
  static String describe(Event event) {
    return "event " + event.type() + " of " + event.aggregateId() + " at " + event.timestamp();
  }

  /**
   * Why {@code value} cannot be written as {@code parameter}: it is of another type than the
   * declared one (naming both), or Jackson could not write it (its reason, without its internals).
   */
  static IllegalArgumentException unwritable(
      ParameterSchema parameter, Object value, Throwable cause) {
    String why =
        mismatch(parameter.type(), value)
            ? "is declared " + parameter.type().getTypeName() + " but " + given(value)
            : "(declared " + parameter.type().getTypeName() + ") " + cannotWrite(cause);
    return new IllegalArgumentException("parameter '" + parameter.name() + "' " + why, cause);
  }

  /** Whether {@code value} is not null and not an instance of the class {@code type} declares. */
  private static boolean mismatch(Type type, Object value) {
    return value != null && !boxed(type).isInstance(value);
  }

  /** "was given a java.lang.Integer: 12". */
  private static String given(Object value) {
    return "was given a " + value.getClass().getName() + ": " + abbreviate(String.valueOf(value));
  }

  private static String cannotWrite(Throwable cause) {
    return "cannot be written as JSON: "
        + (cause instanceof JsonProcessingException j ? readable(j.getOriginalMessage()) : cause);
  }

  /** The class a value of {@code type} must be an instance of: the raw class, primitives boxed. */
  private static Class<?> boxed(Type type) {
    if (type instanceof Class<?> c) {
      return c.isPrimitive() ? MethodType.methodType(c).wrap().returnType() : c;
    }
    if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
      return raw;
    }
    return Object.class;
  }

  /**
   * Jackson's message without what only a Jackson user could act on: the backticks around type
   * names and the hints at configuration ("but could if coercion was enabled using CoercionConfig",
   * "set DeserializationFeature... to allow"), since Cursus reads every value strictly as its
   * declared type, by design.
   */
  static String readable(String jacksonMessage) {
    if (jacksonMessage == null) {
      return "no reason given";
    }
    return JACKSON_HINT.matcher(jacksonMessage.replace("`", "")).replaceAll("").trim();
  }

  private static final Pattern JACKSON_HINT =
      Pattern.compile("\\s*\\((?:but could if|set |enable |to allow)[^)]*\\)");

  /**
   * Parameters read from JSON texts by name, each as the type {@code schema} declares.
   *
   * @param context names what is being read in error messages: "parcel/123 delivered_1"
   * @throws UnreadableEventException naming {@code context} and the field, if a parameter is
   *     missing, unknown to the schema, or not readable as its declared type
   */
  public Parameters readAll(EventSchema schema, Map<String, String> texts, String context) {
    requireNonNull(context, "context must not be null");
    return readAll(schema, texts, () -> context);
  }

  /**
   * Like {@link #readAll(EventSchema, Map, String)}, but builds the context of an error message
   * only when there is an error: reading many rows then costs no string building.
   */
  public Parameters readAll(
      EventSchema schema, Map<String, String> texts, Supplier<String> context) {
    if (!hasExactly(schema, texts.keySet())) {
      for (String name : texts.keySet()) {
        if (schema.parameter(name).isEmpty()) {
          throw unknownField(schema, name, context);
        }
      }
    }
    Parameters.Builder builder = Parameters.builder();
    for (ParameterSchema parameter : schema.parameters()) {
      String text = texts.get(parameter.name());
      if (text == null) {
        throw missingField(parameter, context);
      }
      builder.add(parameter.name(), read(parameter, text, context));
    }
    return builder.build();
  }

  static UnreadableEventException unknownField(
      EventSchema schema, String name, Supplier<String> context) {
    return new UnreadableEventException(
        Reason.SCHEMA_MISMATCH,
        context.get()
            + ": field '"
            + name
            + "' is not a parameter of the declared event; it declares "
            + schema.parameters(),
        null);
  }

  static UnreadableEventException missingField(
      ParameterSchema parameter, Supplier<String> context) {
    return new UnreadableEventException(
        Reason.SCHEMA_MISMATCH,
        context.get()
            + ": field '"
            + parameter.name()
            + "' is missing; it is declared "
            + parameter,
        null);
  }

  Object read(ParameterSchema parameter, String text, Supplier<String> context) {
    if (plainStrings && parameter.type() == String.class) {
      int end = text.length() - 1;
      if (end > 0 && text.charAt(0) == '"' && text.charAt(end) == '"' && isPlain(text, 1, end)) {
        return text.substring(1, end);
      }
    }
    try {
      return reader(parameter.type()).readValue(text);
    } catch (JsonProcessingException | RuntimeException e) {
      throw unreadable(parameter, text, context, e);
    }
  }

  /**
   * Why {@code text} cannot be read as {@code parameter}: for a value of another kind (a number for
   * a String, a string for an int), says which kind it is; otherwise Jackson's reason, {@linkplain
   * #readable made readable}.
   */
  private static String reason(JsonProcessingException e, String text, ParameterSchema parameter) {
    String message = e.getOriginalMessage();
    if (message != null && message.startsWith("Cannot coerce ")) {
      return "a JSON "
          + kind(text)
          + " is not a "
          + parameter.type().getTypeName()
          + ", and values are never converted";
    }
    return readable(message);
  }

  /** The kind of JSON value {@code text} is, from its first character. */
  private static String kind(String text) {
    String value = text.strip();
    if (value.isEmpty()) {
      return "value";
    }
    return switch (value.charAt(0)) {
      case '"' -> "string";
      case '{' -> "object";
      case '[' -> "array";
      case 't', 'f' -> "boolean";
      case 'n' -> "null";
      default -> "number";
    };
  }

  /**
   * True if {@code text} from {@code from} to {@code to} (exclusive) is written inside a JSON
   * string as it is: no quote, backslash or control character, which Jackson escapes, and no
   * surrogate, which it checks.
   */
  static boolean isPlain(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\' || Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  static UnreadableEventException unreadable(
      ParameterSchema parameter, String text, Supplier<String> context, Exception e) {
    String why =
        shorten(e instanceof JsonProcessingException j ? reason(j, text, parameter) : e.toString());
    return new UnreadableEventException(
        Reason.SCHEMA_MISMATCH,
        context.get()
            + ": field '"
            + parameter.name()
            + "' cannot be read as "
            + parameter.type().getTypeName()
            + " from "
            + abbreviate(text)
            + ": "
            + why,
        e);
  }

  /**
   * Checks that {@code event} has exactly the parameters {@code schema} declares.
   *
   * @throws UnreadableEventException naming the first parameter that is undeclared or missing
   */
  static void checkNames(EventSchema schema, Event event) {
    if (hasExactly(schema, event.parameters().names())) {
      return;
    }
    for (String name : event.parameters().names()) {
      if (schema.parameter(name).isEmpty()) {
        throw new UnreadableEventException(
            Reason.SCHEMA_MISMATCH,
            event.aggregateId()
                + " "
                + event.type()
                + ": parameter '"
                + name
                + "' is not declared; the declaration has "
                + schema.parameters(),
            null);
      }
    }
    for (ParameterSchema parameter : schema.parameters()) {
      if (!event.parameters().contains(parameter.name())) {
        throw new UnreadableEventException(
            Reason.SCHEMA_MISMATCH,
            event.aggregateId()
                + " "
                + event.type()
                + ": declared parameter '"
                + parameter.name()
                + "' is missing",
            null);
      }
    }
  }

  /** As many names as declared, each declared one present: names are unique, so exactly those. */
  private static boolean hasExactly(EventSchema schema, Set<String> names) {
    if (names.size() != schema.parameters().size()) {
      return false;
    }
    for (ParameterSchema parameter : schema.parameters()) {
      if (!names.contains(parameter.name())) {
        return false;
      }
    }
    return true;
  }

  // ObjectReader and ObjectWriter are immutable and thread-safe; making one per value is not free.
  private ObjectReader reader(Type type) {
    return readers.computeIfAbsent(
        type, t -> mapper.readerFor(mapper.getTypeFactory().constructType(t)));
  }

  private ObjectWriter writer(Type type) {
    return writers.computeIfAbsent(
        type, t -> mapper.writerFor(mapper.getTypeFactory().constructType(t)));
  }

  /**
   * For an error message: Jackson's reason, which may quote the whole value it could not read (a
   * text of a MiB, say), cut in the middle to a few hundred characters; its end, where Jackson says
   * where in the input the problem is, is kept.
   */
  static String shorten(String reason) {
    if (reason == null || reason.length() <= 400) {
      return String.valueOf(reason);
    }
    return reason.substring(0, 200)
        + "...("
        + reason.length()
        + " chars)..."
        + reason.substring(reason.length() - 150);
  }

  static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }
}
