package io.cursus.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cursus.api.EventType;
import io.cursus.api.Parameters;
import io.cursus.api.mapping.EventSchema;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.mapping.ParameterSchema;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * What writing and reading the parameters of one event type in an envelope needs, resolved once
 * from its schema: their names, and a Jackson writer and reader for each declared type. Immutable.
 */
final class EventShape {

  private final EventSchema schema;
  private final ParameterSchema[] parameters;
  private final String[] names;
  private final SerializableString[] keys;
  private final ObjectWriter[] writers;
  private final ObjectReader[] readers;

  private EventShape(EventSchema schema, ObjectMapper mapper) {
    this.schema = schema;
    this.parameters = schema.parameters().toArray(new ParameterSchema[0]);
    int size = parameters.length;
    this.names = new String[size];
    this.keys = new SerializableString[size];
    this.writers = new ObjectWriter[size];
    this.readers = new ObjectReader[size];
    for (int i = 0; i < size; i++) {
      JavaType type = mapper.getTypeFactory().constructType(parameters[i].type());
      names[i] = parameters[i].name();
      keys[i] = new SerializedString(names[i]);
      // The envelope's generator is flushed once, when it is complete.
      writers[i] = mapper.writerFor(type).without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
      // A parameter is read from the middle of the envelope: more of it follows.
      readers[i] = mapper.readerFor(type).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }
  }

  EventSchema schema() {
    return schema;
  }

  int size() {
    return names.length;
  }

  ParameterSchema parameter(int i) {
    return parameters[i];
  }

  String name(int i) {
    return names[i];
  }

  /** The name of parameter {@code i} as a JSON field name, encoded once. */
  SerializableString key(int i) {
    return keys[i];
  }

  /** The position of parameter {@code name} in the schema, or -1 if it declares no such. */
  int indexOf(String name) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /** Whether {@code given} has the declared parameters, no more, no fewer. */
  boolean declaresExactly(Parameters given) {
    if (given.size() != names.length) {
      return false;
    }
    for (String name : names) {
      if (!given.contains(name)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Writes {@code value} as parameter {@code i}.
   *
   * @throws IllegalArgumentException if Jackson cannot write it as its declared type, naming the
   *     parameter, the declared type and the given one
   */
  void write(JsonGenerator json, int i, Object value) throws IOException {
    try {
      writers[i].writeValue(json, value);
    } catch (JsonProcessingException e) {
      throw ParameterCodec.unwritable(parameters[i], value, e);
    }
  }

  /** Parameter {@code i}, read as its declared type from the value {@code json} is at. */
  Object read(JsonParser json, int i) throws IOException {
    return readers[i].readValue(json);
  }

  /**
   * The shapes of the event types of a registry, each resolved when it is first needed; there are
   * never more than the registry declares. Thread-safe.
   */
  static final class Cache {
    private final EventTypeRegistry registry;
    private final ObjectMapper mapper;
    private final ConcurrentMap<EventType, EventShape> shapes = new ConcurrentHashMap<>();

    Cache(EventTypeRegistry registry, ObjectMapper mapper) {
      this.registry = registry;
      this.mapper = mapper;
    }

    EventTypeRegistry registry() {
      return registry;
    }

    ObjectMapper mapper() {
      return mapper;
    }

    /**
     * The shape of {@code type}.
     *
     * @throws IllegalArgumentException naming the type and the known versions if it is unknown
     */
    EventShape require(EventType type) {
      EventShape shape = shapes.get(type);
      return shape != null ? shape : resolve(registry.require(type));
    }

    /** The shape of {@code type}, or null if the registry does not declare it. */
    EventShape find(EventType type) {
      EventShape shape = shapes.get(type);
      if (shape == null) {
        EventSchema schema = registry.schema(type).orElse(null);
        shape = schema == null ? null : resolve(schema);
      }
      return shape;
    }

    private EventShape resolve(EventSchema schema) {
      return shapes.computeIfAbsent(schema.type(), type -> new EventShape(schema, mapper));
    }
  }
}
