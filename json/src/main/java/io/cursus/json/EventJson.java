package io.cursus.json;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cursus.api.Event;
import io.cursus.api.EventCharacteristic;
import io.cursus.api.EventType;
import io.cursus.api.Parameters;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.mapping.EventValidator;
import io.cursus.api.store.UnreadableEventException;
import io.cursus.api.store.UnreadableEventException.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Events as JSON envelopes: the event's metadata plus its parameters, each typed by the event's
 * declared schema.
 *
 * <pre>{@code
 * {"envelope":1,"aggregateType":"parcel","aggregateId":"69016fb5-…",
 *  "eventTime":"2026-11-22T09:00:00Z","streamId":"depot-1","name":"delivered","version":"1",
 *  "characteristics":["TERMINAL"],"processingId":"…","parameters":{"destinationId":"home"}}
 * }</pre>
 *
 * <p>Reading never trusts the wire with types: the event type picks the schema from the registry,
 * and the schema says what each parameter is read as. {@code "envelope"} is the format's version,
 * for evolution. Messages over {@link #maxBytes()} are refused before they are parsed. Thread-safe.
 *
 * <p>Envelopes are written and read in one streaming pass, each parameter by a Jackson writer or
 * reader for its declared type that is resolved once per event type. The envelope's fields may come
 * in any order; envelope fields this version does not know are ignored, while a field given twice
 * and a parameter the schema does not declare are refused. A message with several faults is refused
 * for one of them, but text that is not JSON is always refused as {@link Reason#MALFORMED}.
 */
public final class EventJson {

  /** The envelope format this class writes. */
  public static final int ENVELOPE_VERSION = 1;

  /**
   * The default size limit of one message read, 1 MiB, or the registry's {@linkplain
   * EventTypeRegistry#maxEventBytes() limit of one event} if that is larger: a reader always
   * accepts what an emitter of the same registry may write.
   */
  public static final int DEFAULT_MAX_BYTES = 1 << 20;

  private static final SerializableString ENVELOPE = new SerializedString("envelope");
  private static final SerializableString AGGREGATE_TYPE = new SerializedString("aggregateType");
  private static final SerializableString AGGREGATE_ID = new SerializedString("aggregateId");
  private static final SerializableString EVENT_TIME = new SerializedString("eventTime");
  private static final SerializableString STREAM_ID = new SerializedString("streamId");
  private static final SerializableString NAME = new SerializedString("name");
  private static final SerializableString VERSION = new SerializedString("version");
  private static final SerializableString CHARACTERISTICS = new SerializedString("characteristics");
  private static final SerializableString PROCESSING_ID = new SerializedString("processingId");
  private static final SerializableString PARAMETERS = new SerializedString("parameters");

  private final EventShape.Cache shapes;
  private final ObjectMapper mapper;
  private final EventValidator sizes;
  private final int maxBytes;
  private final StoredUpcasting upcasting;

  private EventJson(EventShape.Cache shapes, EventValidator sizes, int maxBytes) {
    this.shapes = shapes;
    this.mapper = shapes.mapper();
    this.sizes = sizes;
    this.upcasting = StoredUpcasting.of(shapes.registry(), ParameterCodec.using(shapes.mapper()));
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("max bytes must be positive, was " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  /**
   * Envelopes for the events {@code registry} declares, with the default mapper and size limit.
   * Writing needs the declarations as much as reading: each parameter is written as JSON of its
   * declared Java type, and an event of a type the registry does not declare is refused when it is
   * written, naming the type, instead of sent as an envelope no consumer could read.
   */
  public static EventJson using(EventTypeRegistry registry) {
    requireNonNull(registry, "registry must not be null");
    return new EventJson(
        new EventShape.Cache(registry, JsonMappers.strict()),
        EventValidator.of(registry),
        Math.max(DEFAULT_MAX_BYTES, registry.maxEventBytes()));
  }

  /**
   * This codec with a different size limit for one message read. Keep it at least the registry's
   * {@linkplain EventTypeRegistry#maxEventBytes() limit of one event}, or a reader refuses events
   * that emitters were allowed to write. What {@link #write} accepts does not change.
   */
  public EventJson withMaxBytes(int maxBytes) {
    return new EventJson(shapes, sizes, maxBytes);
  }

  /** The size limit of one message read. */
  public int maxBytes() {
    return maxBytes;
  }

  public EventTypeRegistry registry() {
    return shapes.registry();
  }

  /**
   * {@code event} as a JSON envelope in UTF-8.
   *
   * @throws IllegalArgumentException if the registry does not know the event's type, a parameter is
   *     not of its declared type (naming the event, the parameter, the declared and the given
   *     type), or the envelope is over the registry's {@linkplain EventTypeRegistry#maxEventBytes()
   *     limit of one event} (the message {@link EventValidator} gives)
   * @throws UnreadableEventException if the event's parameters do not match its schema
   */
  public byte[] write(Event event) {
    requireNonNull(event, "event must not be null");
    EventType type = event.type();
    EventShape shape = shapes.require(type);
    Parameters parameters = event.parameters();
    if (!shape.declaresExactly(parameters)) {
      ParameterCodec.checkNames(shape.schema(), event); // throws, naming the parameter
    }
    // As ObjectMapper.writeValueAsBytes does: the output's first buffer is a recycled one.
    try (ByteArrayBuilder bytes = new ByteArrayBuilder(mapper.getFactory()._getBufferRecycler())) {
      try (JsonGenerator json = mapper.createGenerator(bytes, JsonEncoding.UTF8)) {
        json.writeStartObject();
        json.writeFieldName(ENVELOPE);
        json.writeNumber(ENVELOPE_VERSION);
        json.writeFieldName(AGGREGATE_TYPE);
        json.writeString(type.aggregateType());
        json.writeFieldName(AGGREGATE_ID);
        json.writeString(event.aggregateId().id());
        json.writeFieldName(EVENT_TIME);
        writeInstant(json, event.eventTime());
        json.writeFieldName(STREAM_ID);
        json.writeString(event.timestamp().streamId());
        json.writeFieldName(NAME);
        json.writeString(type.name());
        json.writeFieldName(VERSION);
        json.writeString(type.version());
        json.writeFieldName(CHARACTERISTICS);
        json.writeStartArray();
        for (EventCharacteristic characteristic : event.characteristics()) {
          json.writeString(characteristic.name());
        }
        json.writeEndArray();
        UUID processingId = event.processingId().orElse(null);
        if (processingId != null) {
          json.writeFieldName(PROCESSING_ID);
          json.writeString(processingId.toString());
        }
        json.writeFieldName(PARAMETERS);
        json.writeStartObject();
        // Parameters used to be written as text and embedded as it was, which kept characters
        // outside the BMP as UTF-8 rather than escaping them: the same bytes still. A text with
        // a lone surrogate is escaped instead, which Jackson's combining would have changed.
        json.enable(JsonGenerator.Feature.COMBINE_UNICODE_SURROGATES_IN_UTF8);
        JsonGenerator parametersJson = new PairsOnlyGenerator(json);
        for (int i = 0; i < shape.size(); i++) {
          json.writeFieldName(shape.key(i));
          try {
            shape.write(parametersJson, i, parameters.get(shape.name(i)));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                ParameterCodec.describe(event) + ": " + e.getMessage(), e);
          }
        }
        json.writeEndObject();
        json.writeEndObject();
      }
      byte[] envelope = bytes.toByteArray();
      bytes.release();
      sizes.checkSerialisedSize(event, envelope.length);
      return envelope;
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the envelope of " + event, e);
    }
  }

  private static void writeInstant(JsonGenerator json, Instant instant) throws IOException {
    char[] text = new char[InstantText.MAX_LENGTH];
    int length = InstantText.format(instant, text);
    if (length < 0) {
      json.writeString(instant.toString());
    } else {
      json.writeString(text, 0, length);
    }
  }

  /**
   * The event in a JSON envelope.
   *
   * @throws UnreadableEventException saying why (malformed, unknown event type, schema mismatch)
   *     and naming the aggregate, event and field where they could be read
   */
  public Event read(byte[] bytes) {
    List<Event> events = readAll(bytes);
    if (events.size() != 1) {
      throw new UnreadableEventException(
          Reason.UNKNOWN_EVENT_TYPE,
          "the envelope's event was upcast to "
              + events.size()
              + " events "
              + events
              + "; read it with readAll",
          null);
    }
    return events.get(0);
  }

  /**
   * The events of a JSON envelope at the current declarations: the one it holds, or, if its type is
   * an older version the registry's {@linkplain EventTypeRegistry#upcasters() upcasters} take
   * further, what they make of it: none if a step drops it, several if one splits it. {@link #read}
   * is this for the usual single event.
   *
   * @throws UnreadableEventException as {@link #read} does, and naming the step if one fails
   */
  public List<Event> readAll(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      throw new UnreadableEventException(Reason.MALFORMED, "empty message", null);
    }
    if (bytes.length > maxBytes) {
      throw new UnreadableEventException(
          Reason.MALFORMED,
          "message of " + bytes.length + " bytes exceeds the limit of " + maxBytes + " bytes",
          null);
    }
    try (JsonParser json = mapper.createParser(bytes)) {
      return new EnvelopeReader(json, bytes, shapes, upcasting).readAll();
    } catch (IOException | UnreadableEventException e) {
      throw refusal(bytes, e);
    }
  }

  /**
   * Why {@code bytes} are refused, given the first problem the streaming read met. Whatever that
   * was, text that is not JSON is refused as such, as when envelopes were read as whole trees.
   */
  private UnreadableEventException refusal(byte[] bytes, Exception problem) {
    JsonProcessingException syntaxError = syntaxError(bytes);
    if (syntaxError != null) {
      return malformed("not valid JSON", bytes, syntaxError);
    }
    return problem instanceof UnreadableEventException unreadable
        ? unreadable
        : malformed("unreadable envelope", bytes, problem);
  }

  /**
   * The first syntax error in {@code bytes}, or null if they are one JSON value, or only
   * whitespace. Texts are decoded, as reading them would, but numbers are not converted.
   */
  private JsonProcessingException syntaxError(byte[] bytes) {
    try (JsonParser json = mapper.createParser(bytes)) {
      int depth = 0;
      JsonToken token = json.nextToken();
      while (token != null) {
        switch (token) {
          case START_OBJECT, START_ARRAY -> depth++;
          case END_OBJECT, END_ARRAY -> depth--;
          case VALUE_STRING -> json.getText();
          default -> {}
        }
        token = json.nextToken();
        if (depth == 0 && token != null) {
          return new JsonParseException(json, "content after the first value");
        }
      }
      return null;
    } catch (JsonProcessingException e) {
      return e;
    } catch (IOException e) {
      throw new UncheckedIOException(e); // reading an array, cannot happen
    }
  }

  private static UnreadableEventException malformed(String what, byte[] bytes, Exception e) {
    return new UnreadableEventException(
        Reason.MALFORMED,
        what
            + " ("
            + ParameterCodec.shorten(
                e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.toString())
            + "): "
            + ParameterCodec.abbreviate(new String(bytes, StandardCharsets.UTF_8)),
        e);
  }
}
