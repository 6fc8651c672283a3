package io.cursus.json;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.EventCharacteristic;
import io.cursus.api.EventType;
import io.cursus.api.Parameters;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.mapping.EventSchema;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.mapping.ParameterSchema;
import io.cursus.api.store.UnreadableEventException;
import io.cursus.api.store.UnreadableEventException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
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
 */
public final class EventJson {

  /** The envelope format this class writes. */
  public static final int ENVELOPE_VERSION = 1;

  /** The default size limit of one message. */
  public static final int DEFAULT_MAX_BYTES = 1 << 20;

  private final EventTypeRegistry registry;
  private final ParameterCodec codec;
  private final ObjectMapper mapper;
  private final int maxBytes;

  private EventJson(EventTypeRegistry registry, ParameterCodec codec, int maxBytes) {
    this.registry = requireNonNull(registry, "registry must not be null");
    this.codec = requireNonNull(codec, "codec must not be null");
    this.mapper = codec.mapper();
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("max bytes must be positive, was " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  /** Envelopes for the events {@code registry} declares, with the default mapper and size limit. */
  public static EventJson using(EventTypeRegistry registry) {
    return new EventJson(registry, ParameterCodec.create(), DEFAULT_MAX_BYTES);
  }

  /** This codec with a different size limit for one message. */
  public EventJson withMaxBytes(int maxBytes) {
    return new EventJson(registry, codec, maxBytes);
  }

  public int maxBytes() {
    return maxBytes;
  }

  public EventTypeRegistry registry() {
    return registry;
  }

  /**
   * {@code event} as a JSON envelope in UTF-8.
   *
   * @throws IllegalArgumentException if the registry does not know the event's type
   * @throws UnreadableEventException if the event's parameters do not match its schema
   */
  public byte[] write(Event event) {
    requireNonNull(event, "event must not be null");
    EventSchema schema = registry.require(event.type());
    ObjectNode root = mapper.createObjectNode();
    root.put("envelope", ENVELOPE_VERSION);
    root.put("aggregateType", event.aggregateId().type());
    root.put("aggregateId", event.aggregateId().id());
    root.put("eventTime", event.eventTime().toString());
    root.put("streamId", event.timestamp().streamId());
    root.put("name", event.type().name());
    root.put("version", event.type().version());
    ArrayNode characteristics = root.putArray("characteristics");
    event.characteristics().forEach(c -> characteristics.add(c.name()));
    event.processingId().ifPresent(id -> root.put("processingId", id.toString()));
    ObjectNode parameters = root.putObject("parameters");
    // writeAll checks the parameters against the schema; its texts go into the envelope as they
    // are, so each value is serialised once.
    Map<String, String> texts = codec.writeAll(schema, event);
    for (ParameterSchema parameter : schema.parameters()) {
      parameters.putRawValue(parameter.name(), new RawValue(texts.get(parameter.name())));
    }
    try {
      return mapper.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the envelope of " + event, e);
    }
  }

  /**
   * The event in a JSON envelope.
   *
   * @throws UnreadableEventException saying why (malformed, unknown event type, schema mismatch)
   *     and naming the aggregate, event and field where they could be read
   */
  public Event read(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      throw new UnreadableEventException(Reason.MALFORMED, "empty message", null);
    }
    if (bytes.length > maxBytes) {
      throw new UnreadableEventException(
          Reason.MALFORMED,
          "message of " + bytes.length + " bytes exceeds the limit of " + maxBytes + " bytes",
          null);
    }
    JsonNode root;
    try {
      root = mapper.readTree(bytes);
    } catch (IOException e) {
      throw new UnreadableEventException(
          Reason.MALFORMED,
          "not valid JSON ("
              + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.toString())
              + "): "
              + ParameterCodec.abbreviate(new String(bytes, StandardCharsets.UTF_8)),
          e);
    }
    if (root == null || !root.isObject()) {
      throw new UnreadableEventException(
          Reason.MALFORMED, "an envelope must be a JSON object, was " + kind(root), null);
    }
    int envelope = root.path("envelope").asInt(-1);
    if (envelope != ENVELOPE_VERSION) {
      throw new UnreadableEventException(
          Reason.MALFORMED,
          "unsupported envelope version "
              + root.path("envelope")
              + "; this reader understands "
              + ENVELOPE_VERSION,
          null);
    }
    String aggregateType = text(root, "aggregateType");
    String aggregateId = text(root, "aggregateId");
    String context = aggregateType + "/" + aggregateId;
    EventType type;
    AggregateId id;
    StreamTimestamp timestamp;
    try {
      id = AggregateId.of(aggregateType, aggregateId);
      type = EventType.of(aggregateType, text(root, "name"), text(root, "version"));
      timestamp =
          StreamTimestamp.of(text(root, "streamId"), Instant.parse(text(root, "eventTime")));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new UnreadableEventException(
          Reason.MALFORMED, context + ": bad envelope metadata: " + e.getMessage(), e);
    }
    context = id + " " + type;
    EventSchema schema =
        registry
            .schema(type)
            .orElseThrow(
                () ->
                    new UnreadableEventException(
                        Reason.UNKNOWN_EVENT_TYPE,
                        id + ": unknown event type " + type + "; no declaration declares it",
                        null));
    Set<EventCharacteristic> characteristics = EnumSet.noneOf(EventCharacteristic.class);
    for (JsonNode c : root.path("characteristics")) {
      try {
        characteristics.add(EventCharacteristic.valueOf(c.asText()));
      } catch (IllegalArgumentException e) {
        throw new UnreadableEventException(
            Reason.MALFORMED, context + ": unknown characteristic " + c, e);
      }
    }
    JsonNode parametersNode = root.path("parameters");
    if (!parametersNode.isObject()) {
      throw new UnreadableEventException(
          Reason.MALFORMED, context + ": 'parameters' must be an object", null);
    }
    String where = context;
    Parameters parameters = codec.readTree(schema, parametersNode, () -> where);
    Event event = Event.of(id, timestamp, type, parameters, characteristics);
    JsonNode processingId = root.get("processingId");
    if (processingId != null && !processingId.isNull()) {
      try {
        event = event.withProcessingId(UUID.fromString(processingId.asText()));
      } catch (IllegalArgumentException e) {
        throw new UnreadableEventException(
            Reason.MALFORMED, context + ": bad processing id " + processingId, e);
      }
    }
    return event;
  }

  private static String text(JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (node == null || !node.isTextual()) {
      throw new UnreadableEventException(
          Reason.MALFORMED, "envelope field '" + field + "' must be text, was " + kind(node), null);
    }
    return node.asText();
  }

  private static String kind(JsonNode node) {
    return node == null || node.isMissingNode()
        ? "missing"
        : node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
  }
}
