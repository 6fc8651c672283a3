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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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

  private StoredUpcasting(EventTypeRegistry registry, ParameterCodec codec) {
    this.registry = requireNonNull(registry, "registry must not be null");
    this.codec = requireNonNull(codec, "codec must not be null");
    this.mapper = codec.mapper();
    this.plainFields =
        mapper
            .readerFor(new TypeReference<LinkedHashMap<String, Object>>() {})
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
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
