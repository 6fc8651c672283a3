package io.cursus.api.mapping;

import static java.util.Objects.requireNonNull;

import io.cursus.api.Event;
import io.cursus.api.EventType;
import io.cursus.api.Parameters;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks events against the declarations of a registry before they are written: what {@link
 * io.cursus.api.bus.EventBus#writingTo} and the middleware's validate stage refuse at emit.
 *
 * <p>An event passes if its type is declared; its characteristics are the declared ones; it has
 * exactly the declared parameters; each value is of the declared type (the elements of lists, sets
 * and maps and the content of an Optional too, the components of a record not: the compiler typed
 * those); no value is null unless the parameter is declared nullable; and its {@linkplain
 * #serialisedSize serialised size} is within the registry's {@linkplain
 * EventTypeRegistry#maxEventBytes() limit}, every {@code BigDecimal} and {@code BigInteger} in it
 * (in records and collections too) within what a reader reads back: {@link #MAX_NUMBER_CHARACTERS}
 * characters, and a scale of at most {@link #MAX_DECIMAL_SCALE} either way. A refusal is an {@link
 * IllegalArgumentException} naming the event, the parameter, and what was declared and given.
 *
 * <p>The work per event: one look-up of its type, one type test per parameter (and per element of a
 * collection), and a size bound that reads the length of each text; only an event that the bound
 * puts over the limit has its texts read character by character. Immutable and thread-safe.
 */
public final class EventValidator {

  /**
   * The most characters of a {@code BigDecimal} or {@code BigInteger} value as written, sign, point
   * and exponent included: Jackson's default limit when reading a number, which the readers keep. A
   * longer number is refused when emitted, not stored where no reader could read it.
   */
  public static final int MAX_NUMBER_CHARACTERS = 1_000;

  /**
   * The largest scale, either way, of a {@code BigDecimal} value: a decimal of scale 0 or more is
   * written plainly ({@code 12.50}), which Jackson allows up to this scale, and readers refuse a
   * scale beyond it either way.
   */
  public static final int MAX_DECIMAL_SCALE = 9_999;

  private final EventTypeRegistry registry;
  private final Map<EventType, Rules> rules;

  private EventValidator(EventTypeRegistry registry) {
    this.registry = registry;
    Map<EventType, Rules> byType = new HashMap<>();
    for (EventDeclaration declaration : registry.declarations()) {
      for (Definition definition : declaration.definitions()) {
        // The registry checked that two declarations of one type agree; the first one speaks.
        byType.putIfAbsent(definition.schema().type(), new Rules(definition));
      }
    }
    this.rules = Lookups.copyOf(byType);
  }

  /** A validator of the events {@code registry} declares, with its size limit. */
  public static EventValidator of(EventTypeRegistry registry) {
    return new EventValidator(requireNonNull(registry, "registry must not be null"));
  }

  public EventTypeRegistry registry() {
    return registry;
  }

  /** Whether the registry declares events of {@code type}. */
  public boolean declares(EventType type) {
    return rules.containsKey(type);
  }

  /**
   * Checks {@code event}.
   *
   * @throws IllegalArgumentException naming the event and what is wrong with it
   */
  public void check(Event event) {
    requireNonNull(event, "event must not be null");
    Rules rules = this.rules.get(event.type());
    if (rules == null) {
      throw new IllegalArgumentException(
          describe(event)
              + ": no declaration declares event type "
              + event.type()
              + "; the registry knows "
              + knownDeclarations()
              + knownVersions(event.type()));
    }
    rules.check(event);
    checkSize(event);
  }

  /**
   * Checks every event of {@code events}, stopping at the first that fails.
   *
   * @throws IllegalArgumentException naming the event, its place in the batch, and what is wrong
   */
  public void check(List<Event> events) {
    for (int i = 0; i < events.size(); i++) {
      try {
        check(events.get(i));
      } catch (IllegalArgumentException e) {
        if (events.size() == 1) {
          throw e;
        }
        throw new IllegalArgumentException(
            "event " + i + " of a batch of " + events.size() + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * Checks that {@code event}, whose serialised form has {@code bytes} bytes, is within the size
   * limit: for a serialiser that has the bytes at hand, refusing with the same message as {@link
   * #check}.
   *
   * @throws IllegalArgumentException if {@code bytes} is over the limit
   */
  public void checkSerialisedSize(Event event, long bytes) {
    if (bytes > registry.maxEventBytes()) {
      throw tooLarge(event, bytes);
    }
  }

  /**
   * The UTF-8 bytes of {@code event}'s JSON envelope as {@code cursus-json} writes it, metadata and
   * processing id included, the measure of {@linkplain EventTypeRegistry#maxEventBytes() the size
   * limit}. Exact for parameters of the types the mapping core supports in their standard JSON
   * form; a value type that changes its own JSON form (Jackson annotations on a record or an enum)
   * may make the written envelope a few bytes longer or shorter, which a serialiser then checks
   * with {@link #checkSerialisedSize}. Reads every character of the event's texts.
   */
  public static long serialisedSize(Event event) {
    return SerialisedSize.exact(requireNonNull(event, "event must not be null"));
  }

  private void checkSize(Event event) {
    int limit = registry.maxEventBytes();
    long bound;
    try {
      bound = SerialisedSize.bound(event);
    } catch (SerialisedSize.NumberOutOfRange e) {
      throw new IllegalArgumentException(describe(event) + ": " + e.getMessage(), e);
    }
    if (bound > limit) {
      long size = SerialisedSize.exact(event);
      if (size > limit) {
        throw tooLarge(event, size);
      }
    }
  }

  private IllegalArgumentException tooLarge(Event event, long size) {
    String largest = null;
    long largestSize = -1;
    for (Map.Entry<String, Object> parameter : event.parameters().asMap().entrySet()) {
      long parameterSize = SerialisedSize.exact(parameter.getValue());
      if (parameterSize > largestSize) {
        largest = parameter.getKey();
        largestSize = parameterSize;
      }
    }
    return new IllegalArgumentException(
        describe(event)
            + ": its serialised size is "
            + size
            + " bytes, over the limit of "
            + registry.maxEventBytes()
            + " bytes for one event"
            + (largest == null
                ? ""
                : "; its largest parameter is '" + largest + "' (" + largestSize + " bytes)")
            + ". Keep large content outside the event (store it elsewhere and refer to it), or"
            + " raise the limit with EventTypeRegistry.withMaxEventBytes (over Kafka, with the"
            + " producer's max.request.size and the topic's max.message.bytes)");
  }

  /** {@code parcel/receivedAtDepot_1 of parcel/69016fb5-… at 2026-…Z@depot-1}. */
  static String describe(Event event) {
    return "event " + event.type() + " of " + event.aggregateId() + " at " + event.timestamp();
  }

  private String knownDeclarations() {
    if (registry.declarations().isEmpty()) {
      return "no declarations";
    }
    return registry.declarations().stream()
        .map(d -> d.declaringClass().getSimpleName())
        .toList()
        .toString();
  }

  private String knownVersions(EventType type) {
    List<String> versions =
        rules.keySet().stream()
            .filter(
                t -> t.aggregateType().equals(type.aggregateType()) && t.name().equals(type.name()))
            .map(EventType::version)
            .sorted()
            .toList();
    return versions.isEmpty() ? "" : ", which declare versions " + versions + " of it";
  }

  /** What one declared event type allows, resolved once. */
  private static final class Rules {
    private final Definition definition;
    private final Definition.Slots slots;
    private final Check[] checks;

    Rules(Definition definition) {
      this.definition = definition;
      this.slots = definition.slots();
      List<ParameterSchema> parameters = definition.schema().parameters();
      this.checks = new Check[parameters.size()];
      for (int i = 0; i < checks.length; i++) {
        checks[i] = Check.of(parameters.get(i).type());
      }
    }

    void check(Event event) {
      Parameters parameters = event.parameters();
      for (int i = 0; i < checks.length; i++) {
        Object value = parameters.get(slots.names[i]);
        if (value == null) {
          if (!parameters.contains(slots.names[i])) {
            throw refusal(
                event,
                "parameter '"
                    + slots.names[i]
                    + "' is declared but missing; the event has "
                    + parameters.names());
          }
          if (!slots.nullable[i]) {
            throw refusal(
                event,
                "parameter '"
                    + slots.names[i]
                    + "' is null, but "
                    + declared(i)
                    + " is not declared nullable; "
                    + Values.NULLABLE_HINT);
          }
          continue;
        }
        Problem problem = checks[i].problem(value);
        if (problem != null) {
          throw refusal(
              event,
              "parameter '"
                  + slots.names[i]
                  + "' is declared "
                  + declared(i)
                  + " but "
                  + problem.describe());
        }
      }
      if (parameters.size() != checks.length) {
        for (String name : parameters.names()) {
          if (definition.schema().parameter(name).isEmpty()) {
            throw refusal(
                event,
                "parameter '"
                    + name
                    + "' is not declared; "
                    + definition.where()
                    + " declares "
                    + definition.schema().parameters());
          }
        }
      }
      if (!event.characteristics().equals(definition.schema().characteristics())) {
        throw refusal(
            event,
            "its characteristics "
                + event.characteristics()
                + " are not the declared "
                + definition.schema().characteristics());
      }
    }

    private String declared(int i) {
      return definition.schema().parameters().get(i).type().getTypeName();
    }

    private IllegalArgumentException refusal(Event event, String why) {
      return new IllegalArgumentException(
          describe(event) + " (declared by " + definition.where() + "): " + why);
    }
  }

  /**
   * A value that is not of its declared type, and where it sits in the parameter: empty for the
   * parameter's value itself, else a path such as {@code element 2} or {@code value at key a,
   * element 0}.
   */
  private record Problem(String path, Object value) {

    Problem in(String step) {
      return new Problem(path.isEmpty() ? step : step + ", " + path, value);
    }

    /** "was given a java.lang.Integer: 12", or "its element 2 is a java.lang.String: x". */
    String describe() {
      String text = String.valueOf(value);
      if (text.length() > 100) {
        text = text.substring(0, 100) + "...(" + text.length() + " chars)";
      }
      String what = "a " + value.getClass().getName() + ": " + text;
      return path.isEmpty() ? "was given " + what : "its " + path + " is " + what;
    }
  }

  /** A check of a value against a declared type; {@link #problem} is null if it passes. */
  private abstract static class Check {

    abstract Problem problem(Object value);

    static Check of(Type type) {
      if (type instanceof ParameterizedType parameterized) {
        Class<?> raw = (Class<?>) parameterized.getRawType();
        Type[] arguments = parameterized.getActualTypeArguments();
        if (raw == Map.class) {
          return new MapCheck(of(arguments[0]), of(arguments[1]));
        }
        if (raw == Optional.class) {
          return new OptionalCheck(of(arguments[0]));
        }
        return new CollectionCheck(raw, of(arguments[0])); // List or Set
      }
      return new ClassCheck(TypeRules.rawClass(type));
    }
  }

  private static final class ClassCheck extends Check {
    private final Class<?> type;

    ClassCheck(Class<?> type) {
      this.type = type;
    }

    @Override
    Problem problem(Object value) {
      return type.isInstance(value) ? null : new Problem("", value);
    }
  }

  /** Null elements are not refused: only a parameter's own value is checked for null. */
  private static final class CollectionCheck extends Check {
    private final Class<?> raw;
    private final Check element;

    CollectionCheck(Class<?> raw, Check element) {
      this.raw = raw;
      this.element = element;
    }

    @Override
    Problem problem(Object value) {
      if (!raw.isInstance(value)) {
        return new Problem("", value);
      }
      int i = 0;
      for (Object item : (Collection<?>) value) {
        Problem problem = item == null ? null : element.problem(item);
        if (problem != null) {
          return problem.in("element " + i);
        }
        i++;
      }
      return null;
    }
  }

  private static final class OptionalCheck extends Check {
    private final Check content;

    OptionalCheck(Check content) {
      this.content = content;
    }

    @Override
    Problem problem(Object value) {
      if (!(value instanceof Optional<?> optional)) {
        return new Problem("", value);
      }
      Problem problem = optional.map(content::problem).orElse(null);
      return problem == null ? null : problem.in("content");
    }
  }

  private static final class MapCheck extends Check {
    private final Check key;
    private final Check value;

    MapCheck(Check key, Check value) {
      this.key = key;
      this.value = value;
    }

    @Override
    Problem problem(Object map) {
      if (!(map instanceof Map<?, ?> entries)) {
        return new Problem("", map);
      }
      for (Map.Entry<?, ?> entry : entries.entrySet()) {
        Problem problem = entry.getKey() == null ? null : key.problem(entry.getKey());
        if (problem != null) {
          return problem.in("key " + entry.getKey());
        }
        problem = entry.getValue() == null ? null : value.problem(entry.getValue());
        if (problem != null) {
          return problem.in("value at key " + entry.getKey());
        }
      }
      return null;
    }
  }
}
