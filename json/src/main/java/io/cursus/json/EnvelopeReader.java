package io.cursus.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.EventCharacteristic;
import io.cursus.api.EventType;
import io.cursus.api.Parameters;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.store.UnreadableEventException;
import io.cursus.api.store.UnreadableEventException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * Reads one envelope for {@link EventJson}, in one pass over its fields, which may come in any
 * order. The metadata is checked, always in the same order, as soon as the parameters are reached
 * with all of it seen, as in every envelope {@link EventJson} writes: the schema is then known, and
 * the parameters are read straight from the parser. Otherwise they are buffered, and read at the
 * end. Each reader reads one envelope.
 */
final class EnvelopeReader {

  // Bits of the envelope's fields, for what has been seen.
  private static final int ENVELOPE_FIELD = 1;
  private static final int AGGREGATE_TYPE_FIELD = 1 << 1;
  private static final int AGGREGATE_ID_FIELD = 1 << 2;
  private static final int EVENT_TIME_FIELD = 1 << 3;
  private static final int STREAM_ID_FIELD = 1 << 4;
  private static final int NAME_FIELD = 1 << 5;
  private static final int VERSION_FIELD = 1 << 6;
  private static final int CHARACTERISTICS_FIELD = 1 << 7;
  private static final int PROCESSING_ID_FIELD = 1 << 8;
  private static final int PARAMETERS_FIELD = 1 << 9;
  private static final int METADATA =
      ENVELOPE_FIELD
          | AGGREGATE_TYPE_FIELD
          | AGGREGATE_ID_FIELD
          | EVENT_TIME_FIELD
          | STREAM_ID_FIELD
          | NAME_FIELD
          | VERSION_FIELD;

  /** A parameter not given, as opposed to one given as JSON null. */
  private static final Object ABSENT = new Object();

  private static final EventCharacteristic[] ALL_CHARACTERISTICS = EventCharacteristic.values();

  private final JsonParser json;
  private final byte[] bytes;
  private final EventShape.Cache shapes;
  private final StoredUpcasting upcasting;
  // Whether the envelope's type is not declared but upcast: its parameters are then read plain,
  // or, through the type's last plan if it has a renaming and this reader may use it, renamed.
  private boolean upcast;
  private final boolean mayRename;
  private StoredUpcasting.Plan plan;
  // The shape of the current type a plan renames the parameters to, once they are read so.
  private EventShape renamedTo;

  private int seen;
  // Of the metadata's text fields, those that were not text: the field then holds the JSON kind.
  private int notText;
  private String badVersion;
  private String aggregateType;
  private String aggregateId;
  private String eventTime;
  private Instant eventInstant;
  private String streamId;
  private String name;
  private String version;
  private Set<EventCharacteristic> characteristics = Set.of();
  private String badCharacteristics; // what is wrong with them, for the error message
  private String processingId;
  private String badProcessingId;
  private TokenBuffer bufferedParameters;

  // Once the metadata has been checked:
  private AggregateId id;
  private EventType type;
  private StreamTimestamp timestamp;
  private EventShape shape;

  /** A reader of the envelope in {@code bytes}, which {@code json} reads from the start. */
  EnvelopeReader(
      JsonParser json, byte[] bytes, EventShape.Cache shapes, StoredUpcasting upcasting) {
    this(json, bytes, shapes, upcasting, true);
  }

  private EnvelopeReader(
      JsonParser json,
      byte[] bytes,
      EventShape.Cache shapes,
      StoredUpcasting upcasting,
      boolean mayRename) {
    this.json = json;
    this.bytes = bytes;
    this.shapes = shapes;
    this.upcasting = upcasting;
    this.mayRename = mayRename;
  }

  /**
   * Thrown when the parameters of an upcast event do not read as its type's last plan expects: the
   * envelope is then read again the upcasters' way. No stack trace: it is not an error.
   */
  private static final class NotAsPlanned extends RuntimeException {
    private NotAsPlanned() {
      super(null, null, false, false);
    }
  }

  /**
   * The events of the envelope at the current declarations: the one it holds, or, for a type that
   * is upcast, what the upcasters make of it (none if dropped, several if split).
   */
  List<Event> readAll() throws IOException {
    Event event;
    try {
      event = read();
    } catch (NotAsPlanned e) {
      try (JsonParser again = shapes.mapper().createParser(bytes)) {
        return new EnvelopeReader(again, bytes, shapes, upcasting, false).readAll();
      }
    }
    if (!upcast || renamedTo != null) {
      return List.of(event);
    }
    // Read plain: the next envelopes of the type with these parameter names are read in one pass
    // if the upcasters only rename, add constants and remove on their way.
    upcasting.learn(type, List.copyOf(event.parameters().names()));
    return upcasting.read(
        event.aggregateId(),
        event.timestamp(),
        event.type(),
        event.parameters(),
        event.characteristics(),
        event.processingId().orElse(null));
  }

  Event read() throws IOException {
    JsonToken start = json.nextToken();
    if (start != JsonToken.START_OBJECT) {
      throw new UnreadableEventException(
          Reason.MALFORMED, "an envelope must be a JSON object, was " + kind(start), null);
    }
    Parameters parameters = null;
    for (String field = json.nextFieldName(); field != null; field = json.nextFieldName()) {
      JsonToken value = json.nextToken();
      switch (field) {
        case "envelope" -> readVersion(value);
        case "aggregateType" -> aggregateType = text(AGGREGATE_TYPE_FIELD, field, value);
        case "aggregateId" -> aggregateId = text(AGGREGATE_ID_FIELD, field, value);
        case "eventTime" -> readEventTime(value);
        case "streamId" -> streamId = text(STREAM_ID_FIELD, field, value);
        case "name" -> name = text(NAME_FIELD, field, value);
        case "version" -> version = text(VERSION_FIELD, field, value);
        case "characteristics" -> readCharacteristics(value);
        case "processingId" -> readProcessingId(value);
        case "parameters" -> {
          see(PARAMETERS_FIELD, field);
          if ((seen & METADATA) == METADATA) {
            checkMetadata();
            parameters = readParameters(json);
          } else {
            bufferedParameters = new TokenBuffer(json);
            bufferedParameters.copyCurrentStructure(json);
          }
        }
        default -> json.skipChildren(); // a field of a later version of the envelope
      }
    }
    if (json.nextToken() != null) {
      throw new UnreadableEventException(Reason.MALFORMED, "content after the envelope", null);
    }
    if (type == null) {
      checkMetadata();
    }
    if (parameters == null) {
      if (bufferedParameters == null) {
        throw new UnreadableEventException(
            Reason.MALFORMED, context() + ": 'parameters' must be an object", null);
      }
      try (JsonParser buffered = bufferedParameters.asParserOnFirstToken()) {
        parameters = readParameters(buffered);
      }
    }
    checkCharacteristics(); // again, in case they came after the parameters
    Event event =
        Event.of(
            id,
            timestamp,
            renamedTo != null ? renamedTo.schema().type() : type,
            parameters,
            characteristics);
    if (badProcessingId != null) {
      throw badProcessingId(badProcessingId, null);
    }
    if (processingId != null) {
      try {
        event = event.withProcessingId(UUID.fromString(processingId));
      } catch (IllegalArgumentException e) {
        throw badProcessingId('"' + ParameterCodec.abbreviate(processingId) + '"', e);
      }
    }
    return event;
  }

  private UnreadableEventException badProcessingId(String text, Exception e) {
    return new UnreadableEventException(
        Reason.MALFORMED, context() + ": bad processing id " + text, e);
  }

  private void see(int bit, String field) {
    if ((seen & bit) != 0) {
      throw new UnreadableEventException(
          Reason.MALFORMED, "envelope field '" + field + "' is given twice", null);
    }
    seen |= bit;
  }

  private void readVersion(JsonToken value) throws IOException {
    see(ENVELOPE_FIELD, "envelope");
    if (value != JsonToken.VALUE_NUMBER_INT
        || json.getNumberType() != JsonParser.NumberType.INT
        || json.getIntValue() != EventJson.ENVELOPE_VERSION) {
      badVersion = describe();
    }
  }

  /** The text at {@code value}, or if it is not text, its kind, noted in {@link #notText}. */
  private String text(int bit, String field, JsonToken value) throws IOException {
    see(bit, field);
    if (value == JsonToken.VALUE_STRING) {
      return json.getText();
    }
    notText |= bit;
    json.skipChildren();
    return kind(value);
  }

  private void readEventTime(JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_STRING) {
      see(EVENT_TIME_FIELD, "eventTime");
      eventInstant =
          InstantText.parse(json.getTextCharacters(), json.getTextOffset(), json.getTextLength());
      if (eventInstant == null) {
        eventTime = json.getText(); // for Instant.parse, which reads or refuses any other form
      }
    } else {
      eventTime = text(EVENT_TIME_FIELD, "eventTime", value);
    }
  }

  private void readCharacteristics(JsonToken value) throws IOException {
    see(CHARACTERISTICS_FIELD, "characteristics");
    if (value == JsonToken.VALUE_NULL) {
      return;
    }
    if (value != JsonToken.START_ARRAY) {
      badCharacteristics = "'characteristics' must be an array, was " + describe();
      return;
    }
    for (JsonToken element = json.nextToken();
        element != JsonToken.END_ARRAY;
        element = json.nextToken()) {
      if (element == null) { // the parser refuses this first; but never loop on it
        throw new UnreadableEventException(Reason.MALFORMED, "unclosed array", null);
      }
      EventCharacteristic characteristic =
          element == JsonToken.VALUE_STRING ? characteristic(json.getText()) : null;
      if (characteristic != null) {
        if (characteristics.isEmpty()) {
          characteristics = EnumSet.noneOf(EventCharacteristic.class);
        }
        characteristics.add(characteristic);
      } else if (badCharacteristics == null) {
        badCharacteristics = "unknown characteristic " + describe();
      } else {
        json.skipChildren();
      }
    }
  }

  private void readProcessingId(JsonToken value) throws IOException {
    see(PROCESSING_ID_FIELD, "processingId");
    if (value == JsonToken.VALUE_STRING) {
      processingId = json.getText();
    } else if (value != JsonToken.VALUE_NULL) {
      badProcessingId = describe();
    }
  }

  /**
   * Checks the metadata, the envelope's version first and the characteristics last, and finds the
   * shape of the event.
   */
  private void checkMetadata() {
    if ((seen & ENVELOPE_FIELD) == 0 || badVersion != null) {
      throw new UnreadableEventException(
          Reason.MALFORMED,
          "unsupported envelope version "
              + (badVersion != null ? badVersion : "(missing)")
              + "; this reader understands "
              + EventJson.ENVELOPE_VERSION,
          null);
    }
    String aggregateType = requireText(AGGREGATE_TYPE_FIELD, "aggregateType", this.aggregateType);
    String aggregateId = requireText(AGGREGATE_ID_FIELD, "aggregateId", this.aggregateId);
    try {
      id = AggregateId.of(aggregateType, aggregateId);
      type =
          EventType.of(
              aggregateType,
              requireText(NAME_FIELD, "name", name),
              requireText(VERSION_FIELD, "version", version));
      String streamId = requireText(STREAM_ID_FIELD, "streamId", this.streamId);
      Instant at =
          eventInstant != null
              ? eventInstant
              : Instant.parse(requireText(EVENT_TIME_FIELD, "eventTime", eventTime));
      timestamp = StreamTimestamp.of(streamId, at);
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new UnreadableEventException(
          Reason.MALFORMED,
          ParameterCodec.abbreviate(aggregateType + "/" + aggregateId)
              + ": bad envelope metadata: "
              + ParameterCodec.shorten(e.getMessage()),
          e);
    }
    shape = shapes.find(type);
    if (shape == null && upcasting.upcasts(type)) {
      upcast = true;
      if (mayRename) {
        StoredUpcasting.Plan last = upcasting.lastPlan(type);
        plan = last != null && last.renaming != null ? last : null;
      }
      return;
    }
    if (shape == null) {
      throw new UnreadableEventException(
          Reason.UNKNOWN_EVENT_TYPE,
          ParameterCodec.abbreviate(id.toString())
              + ": unknown event type "
              + ParameterCodec.abbreviate(type.toString())
              + "; no declaration declares it",
          null);
    }
    checkCharacteristics();
  }

  private String requireText(int bit, String field, String value) {
    if ((seen & bit) == 0 || (notText & bit) != 0) {
      throw new UnreadableEventException(
          Reason.MALFORMED,
          "envelope field '"
              + field
              + "' must be text, was "
              + ((seen & bit) == 0 ? "missing" : value),
          null);
    }
    return value;
  }

  private void checkCharacteristics() {
    if (badCharacteristics != null) {
      throw new UnreadableEventException(
          Reason.MALFORMED, context() + ": " + badCharacteristics, null);
    }
  }

  /** The parameters, from the object {@code parser} is at, each as its declared type. */
  private Parameters readParameters(JsonParser parser) throws IOException {
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      throw new UnreadableEventException(
          Reason.MALFORMED, context() + ": 'parameters' must be an object", null);
    }
    if (upcast) {
      if (plan != null) {
        return readRenamed(parser);
      }
      // The stored version has no declaration: its values are read plain, for the upcasters.
      return Parameters.of(upcasting.readPlain(parser));
    }
    Object[] values = new Object[shape.size()];
    Arrays.fill(values, ABSENT);
    for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
      int i = shape.indexOf(field);
      if (i < 0) {
        throw ParameterCodec.unknownField(shape.schema(), field, this::context);
      }
      if (values[i] != ABSENT) {
        throw new UnreadableEventException(
            Reason.MALFORMED, context() + ": field '" + field + "' is given twice", null);
      }
      parser.nextToken();
      try {
        values[i] = shape.read(parser, i);
      } catch (IOException | RuntimeException e) {
        throw ParameterCodec.unreadable(shape.parameter(i), parameterText(field), this::context, e);
      }
      if (values[i] == null && !shape.parameter(i).nullable()) {
        // what an emitter refuses: the store would keep an event no typed read accepts
        throw new UnreadableEventException(
            Reason.SCHEMA_MISMATCH,
            context()
                + ": field '"
                + field
                + "' is null, but "
                + shape.parameter(i).type().getTypeName()
                + " is not declared nullable",
            null);
      }
    }
    Parameters.Builder parameters = Parameters.builder();
    for (int i = 0; i < values.length; i++) {
      if (values[i] == ABSENT) {
        throw ParameterCodec.missingField(shape.parameter(i), this::context);
      }
      parameters.add(shape.name(i), values[i]);
    }
    return parameters.build();
  }

  /**
   * The parameters of an upcast event, from the object {@code parser} is at, read in one pass
   * through the type's last {@link #plan}: each stored parameter as the current one it becomes (or
   * skipped if a step removes it), and the constants the steps add.
   *
   * @throws NotAsPlanned if the stored names are not the plan's, in its order, or a value does not
   *     read as its current type or is a null it does not allow
   */
  private Parameters readRenamed(JsonParser parser) throws IOException {
    EventShape current = shapes.require(plan.schema.type());
    List<String> names = plan.storedNames;
    Object[] values = new Object[current.size()];
    int k = 0;
    for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
      if (k == names.size() || !names.get(k).equals(field)) {
        throw new NotAsPlanned();
      }
      parser.nextToken();
      int i = plan.storedToCurrent[k++];
      if (i < 0) {
        parser.skipChildren();
        continue;
      }
      try {
        values[i] = current.read(parser, i);
      } catch (IOException | RuntimeException e) {
        throw new NotAsPlanned();
      }
    }
    if (k != names.size()) {
      throw new NotAsPlanned();
    }
    try {
      for (int i : plan.constantSlots) {
        values[i] = plan.constant(i, upcasting.codec(), this::context);
      }
    } catch (UnreadableEventException e) {
      throw new NotAsPlanned();
    }
    Parameters parameters = plan.parameters(values);
    if (parameters == null) {
      throw new NotAsPlanned();
    }
    renamedTo = current;
    return parameters;
  }

  /**
   * For an error message, once the metadata has been checked: the aggregate and the event, each cut
   * short if it is long (an envelope may hold an id of a MiB).
   */
  private String context() {
    return ParameterCodec.abbreviate(id.toString())
        + " "
        + ParameterCodec.abbreviate(type.toString());
  }

  /** For an error message: the JSON text of parameter {@code name}, found again. */
  private String parameterText(String name) {
    try (JsonParser again = shapes.mapper().createParser(bytes)) {
      again.nextToken();
      for (String field = again.nextFieldName(); field != null; field = again.nextFieldName()) {
        if (again.nextToken() == JsonToken.START_OBJECT && field.equals("parameters")) {
          for (String parameter = again.nextFieldName();
              parameter != null;
              parameter = again.nextFieldName()) {
            again.nextToken();
            if (parameter.equals(name)) {
              return jsonText(again, bytes);
            }
            again.skipChildren();
          }
        } else {
          again.skipChildren();
        }
      }
    } catch (IOException e) {
      // not JSON: refusal() refuses it as such
    }
    return "?";
  }

  /** For an error message: the value the parser is at, consumed. */
  private String describe() throws IOException {
    return jsonText(json, bytes);
  }

  /**
   * For an error message: the JSON text of the value {@code parser}, reading {@code bytes}, is at,
   * consumed. It is not converted: a JSON number can be too big for Java.
   */
  private static String jsonText(JsonParser parser, byte[] bytes) throws IOException {
    int start = (int) parser.currentTokenLocation().getByteOffset();
    parser.skipChildren();
    parser.finishToken(); // reads a text to its end
    int end = (int) parser.currentLocation().getByteOffset();
    return ParameterCodec.abbreviate(new String(bytes, start, end - start, StandardCharsets.UTF_8));
  }

  /** The characteristic named {@code name}, or null if there is none. */
  private static EventCharacteristic characteristic(String name) {
    for (EventCharacteristic characteristic : ALL_CHARACTERISTICS) {
      if (characteristic.name().equals(name)) {
        return characteristic;
      }
    }
    return null;
  }

  /** The kind of value {@code token} starts, as {@link JsonNode#getNodeType()} says it. */
  private static String kind(JsonToken token) {
    if (token == null) {
      return "missing";
    }
    return switch (token) {
      case START_OBJECT -> "object";
      case START_ARRAY -> "array";
      case VALUE_STRING -> "string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
      case VALUE_TRUE, VALUE_FALSE -> "boolean";
      case VALUE_NULL -> "null";
      default -> token.name().toLowerCase(Locale.ROOT);
    };
  }
}
