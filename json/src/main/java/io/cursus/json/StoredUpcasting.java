package io.cursus.json;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.EventCharacteristic;
import io.cursus.api.EventType;
import io.cursus.api.Parameters;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.evolution.Upcasters;
import io.cursus.api.mapping.EventSchema;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.mapping.ParameterSchema;
import io.cursus.api.store.UnreadableEventException;
import io.cursus.api.store.UnreadableEventException.Reason;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The one place where stored JSON of an event type the registry no longer declares is read through
 * the registry's {@link Upcasters}: stores keeping parameters as JSON texts (Cassandra) and the
 * envelope reader both call it. The stored parameters are read in their plain form (strings,
 * numbers, booleans, lists, maps), upcast, and read back with the current declaration's types, so a
 * current event read this way is checked as one read directly. Thread-safe.
 */
public final class StoredUpcasting {

  private final EventTypeRegistry registry;
  private final ParameterCodec codec;
  private final ObjectMapper mapper;

  /** Reads an object's fields as plain values, leaving the parser after it; made once. */
  private final ObjectReader plainFields;

  /** Per stored type, the plan made for the parameter names its events were last read with. */
  private final ConcurrentMap<EventType, Plan> plans = new ConcurrentHashMap<>();

  private StoredUpcasting(EventTypeRegistry registry, ParameterCodec codec) {
    this.registry = requireNonNull(registry, "registry must not be null");
    this.codec = requireNonNull(codec, "codec must not be null");
    this.mapper = codec.mapper();
    this.plainFields =
        mapper
            .readerFor(new TypeReference<LinkedHashMap<String, Object>>() {})
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  ParameterCodec codec() {
    return codec;
  }

  /** The fields of the JSON object {@code parser} is at, as plain values, in order. */
  Map<String, Object> readPlain(JsonParser parser) throws IOException {
    return plainFields.readValue(parser);
  }

  /** Upcasting with {@code registry}'s upcasters, reading values with {@code codec}. */
  public static StoredUpcasting of(EventTypeRegistry registry, ParameterCodec codec) {
    return new StoredUpcasting(registry, codec);
  }

  /** Whether stored events of {@code type} are upcast (it is not declared, and has a step). */
  public boolean upcasts(EventType type) {
    return registry.upcasters().upcasts(type);
  }

  /**
   * The current events the stored event becomes: none if it is dropped, several if it is split.
   *
   * @throws UnreadableEventException naming the event (and the step, if one failed)
   */
  public List<Event> read(
      AggregateId aggregate,
      StreamTimestamp timestamp,
      EventType stored,
      Map<String, String> texts,
      Set<EventCharacteristic> characteristics,
      @Nullable UUID processingId) {
    Plan plan = plans.get(stored);
    if (plan == null || !plan.matches(texts.keySet())) {
      plan = learn(stored, List.copyOf(texts.keySet()));
    }
    if (plan.renaming != null) {
      Event renamed = renamed(plan, aggregate, timestamp, texts, characteristics, processingId);
      if (renamed != null) {
        return List.of(renamed);
      }
    }
    Map<String, Object> plain = new LinkedHashMap<>();
    for (Map.Entry<String, String> entry : texts.entrySet()) {
      try {
        plain.put(entry.getKey(), mapper.readValue(entry.getValue(), Object.class));
      } catch (JsonProcessingException e) {
        throw new UnreadableEventException(
            Reason.MALFORMED,
            aggregate
                + " "
                + stored
                + " at "
                + timestamp
                + ": parameter '"
                + entry.getKey()
                + "' is not JSON: "
                + e.getOriginalMessage(),
            e);
      }
    }
    return read(aggregate, timestamp, stored, Parameters.of(plain), characteristics, processingId);
  }

  /**
   * The stored event whose parameter texts are {@code texts} read in one pass through {@code plan}
   * (which must have a renaming and match the texts' names), or null if a value does not read as
   * its declared type or is null where that is not allowed: the upcasting path then names it.
   */
  private @Nullable Event renamed(
      Plan plan,
      AggregateId aggregate,
      StreamTimestamp timestamp,
      Map<String, String> texts,
      Set<EventCharacteristic> characteristics,
      @Nullable UUID processingId) {
    Object[] values = new Object[plan.parameters.length];
    Supplier<String> context = () -> aggregate + " " + plan.stored + " at " + timestamp;
    try {
      int k = 0;
      for (String text : texts.values()) {
        int i = plan.storedToCurrent[k++];
        if (i >= 0) {
          values[i] = codec.read(plan.parameters[i], text, context);
        }
      }
      for (int i : plan.constantSlots) {
        values[i] = plan.constant(i, codec, context);
      }
    } catch (UnreadableEventException e) {
      return null;
    }
    Parameters parameters = plan.parameters(values);
    if (parameters == null) {
      return null;
    }
    Event event = Event.of(aggregate, timestamp, plan.schema.type(), parameters, characteristics);
    return processingId == null ? event : event.withProcessingId(processingId);
  }

  /**
   * The plan last made for stored type {@code stored}, for a reader that reads the stored
   * parameters as they come and checks their names against the plan's; null if there is none yet.
   */
  @Nullable Plan lastPlan(EventType stored) {
    return plans.get(stored);
  }

  /**
   * The plan for events of stored type {@code stored} whose parameters are named {@code names}, in
   * that order, made now and kept as the type's last plan (if it differs from it).
   */
  Plan learn(EventType stored, List<String> names) {
    Plan last = plans.get(stored);
    if (last != null && last.storedNames.equals(names)) {
      return last;
    }
    Plan plan = Plan.of(stored, names, registry, mapper);
    plans.put(stored, plan);
    return plan;
  }

  /**
   * How events of one stored type with given parameter names are read in one pass, as a current
   * event's parameters are read: the stored names, and, if the registry's upcasters only rename,
   * add constants and remove on the way ({@link Upcasters#renaming}), which current parameter each
   * stored one becomes and the constants. A plan without a renaming says the events go through the
   * upcasters. Immutable.
   */
  static final class Plan {
    final EventType stored;
    final List<String> storedNames;
    final Upcasters.@Nullable Renaming renaming;
    final EventSchema schema;
    final ParameterSchema[] parameters;

    /** For stored parameter k, the position of the current parameter it becomes, or -1. */
    final int[] storedToCurrent;

    /** The positions of the current parameters that are constants. */
    final int[] constantSlots;

    /** Per current parameter, the constant as its declared type, if it is already exactly that. */
    private final Object[] exact;

    /** Per current parameter, the constant's JSON text, to be read as a stored value is. */
    private final String[] texts;

    private Plan(
        EventType stored,
        List<String> storedNames,
        Upcasters.@Nullable Renaming renaming,
        EventSchema schema,
        int[] storedToCurrent,
        int[] constantSlots,
        Object[] exact,
        String[] texts) {
      this.stored = stored;
      this.storedNames = storedNames;
      this.renaming = renaming;
      this.schema = schema;
      this.parameters = schema == null ? null : schema.parameters().toArray(new ParameterSchema[0]);
      this.storedToCurrent = storedToCurrent;
      this.constantSlots = constantSlots;
      this.exact = exact;
      this.texts = texts;
    }

    private static Plan none(EventType stored, List<String> names) {
      return new Plan(stored, names, null, null, null, null, null, null);
    }

    static Plan of(
        EventType stored, List<String> names, EventTypeRegistry registry, ObjectMapper mapper) {
      Upcasters.Renaming renaming = registry.upcasters().renaming(stored, names).orElse(null);
      if (renaming == null) {
        return none(stored, names);
      }
      EventSchema schema = registry.schema(renaming.target()).orElse(null);
      List<String> result = renaming.names();
      if (schema == null || schema.parameters().size() != result.size()) {
        return none(stored, names); // the upcasting path names what is missing or unknown
      }
      List<ParameterSchema> declared = schema.parameters();
      int[] storedToCurrent = new int[names.size()];
      java.util.Arrays.fill(storedToCurrent, -1);
      List<Integer> constants = new ArrayList<>();
      Object[] exact = new Object[declared.size()];
      String[] texts = new String[declared.size()];
      for (int i = 0; i < declared.size(); i++) {
        ParameterSchema parameter = declared.get(i);
        int r = result.indexOf(parameter.name());
        if (r < 0) {
          return none(stored, names);
        }
        int from = renaming.storedIndex(r);
        if (from >= 0) {
          storedToCurrent[from] = i;
          continue;
        }
        Object value = renaming.constant(r);
        Object typed = PlainValues.asDeclared(parameter.type(), value);
        if (typed != PlainValues.NOT_EXACT) {
          exact[i] = typed;
        } else {
          try {
            texts[i] = mapper.writeValueAsString(value);
          } catch (JsonProcessingException e) {
            return none(stored, names); // the upcasting path names it
          }
        }
        constants.add(i);
      }
      return new Plan(
          stored,
          names,
          renaming,
          schema,
          storedToCurrent,
          constants.stream().mapToInt(Integer::intValue).toArray(),
          exact,
          texts);
    }

    /** Whether {@code names}, in their order, are this plan's stored names. */
    boolean matches(Collection<String> names) {
      if (names.size() != storedNames.size()) {
        return false;
      }
      int k = 0;
      for (String name : names) {
        if (!name.equals(storedNames.get(k++))) {
          return false;
        }
      }
      return true;
    }

    /** The constant of current parameter {@code i}, as its declared type. */
    Object constant(int i, ParameterCodec codec, Supplier<String> context) {
      String text = texts[i];
      return text == null ? exact[i] : codec.read(parameters[i], text, context);
    }

    /**
     * {@code values}, one per current parameter, as parameters; null if one is null where its
     * declaration does not allow it.
     */
    @Nullable Parameters parameters(Object[] values) {
      Parameters.Builder built = Parameters.builder();
      for (int i = 0; i < values.length; i++) {
        if (values[i] == null && !parameters[i].nullable()) {
          return null;
        }
        built.add(parameters[i].name(), values[i]);
      }
      return built.build();
    }
  }

  /** As the other {@code read}, given the stored parameters already in their plain form. */
  public List<Event> read(
      AggregateId aggregate,
      StreamTimestamp timestamp,
      EventType stored,
      Parameters plain,
      Set<EventCharacteristic> characteristics,
      @Nullable UUID processingId) {
    Event raw = Event.of(aggregate, timestamp, stored, plain, characteristics);
    if (processingId != null) {
      raw = raw.withProcessingId(processingId);
    }
    List<Event> upcast = registry.upcasters().upcast(raw);
    List<Event> typed = new ArrayList<>(upcast.size());
    for (Event event : upcast) {
      typed.add(typed(event, stored));
    }
    return typed;
  }

  /**
   * {@code event}'s parameters, as the upcasters left them (plain values, or values of the current
   * types), read as the current declaration's types: a value whose form is already exactly the
   * declared type's (a string for a String, a whole number for a long, a canonical UUID text for a
   * UUID, ...) is taken as it is; any other is written as JSON and read as the declared type, as a
   * stored current event is read, with the same checks and errors.
   */
  private Event typed(Event event, EventType stored) {
    EventSchema schema = registry.require(event.type());
    Parameters given = event.parameters();
    Supplier<String> context =
        () ->
            event.aggregateId()
                + " "
                + schema.type()
                + " (upcast from "
                + stored
                + ") at "
                + event.timestamp();
    if (given.size() != schema.parameters().size()) {
      for (String name : given.names()) {
        if (schema.parameter(name).isEmpty()) {
          throw ParameterCodec.unknownField(schema, name, context);
        }
      }
    }
    Parameters.Builder parameters = Parameters.builder();
    for (ParameterSchema parameter : schema.parameters()) {
      String name = parameter.name();
      if (!given.contains(name)) {
        throw ParameterCodec.missingField(parameter, context);
      }
      Object value = given.get(name);
      Object typed = PlainValues.asDeclared(parameter.type(), value);
      if (typed == PlainValues.NOT_EXACT) {
        typed = codec.read(parameter, text(event, stored, name, value), context);
      }
      parameters.add(name, typed);
    }
    Event current =
        Event.of(
            event.aggregateId(),
            event.timestamp(),
            schema.type(),
            parameters.build(),
            event.characteristics());
    return event.processingId().map(current::withProcessingId).orElse(current);
  }

  private String text(Event event, EventType stored, String name, @Nullable Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UnreadableEventException(
          Reason.SCHEMA_MISMATCH,
          event.aggregateId()
              + " "
              + stored
              + " upcast to "
              + event.type()
              + ": parameter '"
              + name
              + "' cannot be written as JSON: "
              + e.getOriginalMessage(),
          e);
    }
  }
}
