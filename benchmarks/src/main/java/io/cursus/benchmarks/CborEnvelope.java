package io.cursus.benchmarks;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.EventType;
import io.cursus.api.Parameters;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.internal.CharacteristicBits;
import io.cursus.api.mapping.EventSchema;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.mapping.ParameterSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A compact envelope, as an engineer would write one with Jackson's CBOR format: the fields of
 * Cursus's JSON envelope ({@link io.cursus.json.EventJson}), with the event time as seconds and
 * nanoseconds, the processing id as 16 bytes, the characteristics as a bit mask, and each parameter
 * as CBOR of its declared type, read back as that type. For measuring the "compact envelope
 * on the Kafka leg" against JSON (B13); Cursus's envelope stays JSON. Thread-safe.
 */
final class CborEnvelope {

  private final ObjectMapper mapper = CBORMapper.builder().findAndAddModules().build();
  private final EventTypeRegistry registry;
  private final Map<ParameterSchema, JavaType> types = new ConcurrentHashMap<>();

  CborEnvelope(EventTypeRegistry registry) {
    this.registry = requireNonNull(registry, "registry must not be null");
  }

  byte[] write(Event event) {
    EventType type = event.type();
    EventSchema schema = registry.require(type);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    try (JsonGenerator out = mapper.createGenerator(bytes)) {
      out.writeStartObject();
      out.writeNumberField("cursus", 1);
      out.writeStringField("aggregateType", type.aggregateType());
      out.writeStringField("aggregateId", event.aggregateId().id());
      Instant time = event.eventTime();
      out.writeNumberField("eventSeconds", time.getEpochSecond());
      out.writeNumberField("eventNanos", time.getNano());
      out.writeStringField("streamId", event.timestamp().streamId());
      out.writeStringField("name", type.name());
      out.writeStringField("version", type.version());
      out.writeNumberField("characteristics", CharacteristicBits.toMask(event.characteristics()));
      UUID processingId = event.processingId().orElse(null);
      if (processingId != null) {
        ByteBuffer id = ByteBuffer.allocate(16);
        id.putLong(processingId.getMostSignificantBits());
        id.putLong(processingId.getLeastSignificantBits());
        out.writeBinaryField("processingId", id.array());
      }
      out.writeObjectFieldStart("parameters");
      for (ParameterSchema parameter : schema.parameters()) {
        out.writeFieldName(parameter.name());
        mapper.writeValue(out, event.parameters().get(parameter.name()));
      }
      out.writeEndObject();
      out.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + event, e);
    }
    return bytes.toByteArray();
  }

  Event read(byte[] bytes) {
    try (JsonParser in = mapper.createParser(bytes)) {
      expect(in.nextToken(), JsonToken.START_OBJECT);
      String aggregateType = null;
      String aggregateId = null;
      long seconds = 0;
      int nanos = 0;
      String stream = null;
      String name = null;
      String version = null;
      int mask = 0;
      UUID processingId = null;
      Parameters parameters = null;
      while (in.nextToken() == JsonToken.FIELD_NAME) {
        String field = in.currentName();
        JsonToken value = in.nextToken();
        switch (field) {
          case "cursus" -> in.getIntValue();
          case "aggregateType" -> aggregateType = in.getText();
          case "aggregateId" -> aggregateId = in.getText();
          case "eventSeconds" -> seconds = in.getLongValue();
          case "eventNanos" -> nanos = in.getIntValue();
          case "streamId" -> stream = in.getText();
          case "name" -> name = in.getText();
          case "version" -> version = in.getText();
          case "characteristics" -> mask = in.getIntValue();
          case "processingId" -> {
            ByteBuffer id = ByteBuffer.wrap(in.getBinaryValue());
            processingId = new UUID(id.getLong(), id.getLong());
          }
          case "parameters" -> {
            expect(value, JsonToken.START_OBJECT);
            EventSchema schema =
                registry.require(
                    EventType.of(requireNonNull(aggregateType), requireNonNull(name), version));
            Parameters.Builder builder = Parameters.builder();
            while (in.nextToken() == JsonToken.FIELD_NAME) {
              String parameter = in.currentName();
              in.nextToken();
              ParameterSchema declared =
                  schema
                      .parameter(parameter)
                      .orElseThrow(() -> new IllegalArgumentException("no " + parameter));
              JavaType javaType =
                  types.computeIfAbsent(
                      declared, p -> mapper.getTypeFactory().constructType(p.type()));
              builder.add(parameter, mapper.readValue(in, javaType));
            }
            parameters = builder.build();
          }
          default -> in.skipChildren();
        }
      }
      Event event =
          Event.of(
              AggregateId.of(requireNonNull(aggregateType), requireNonNull(aggregateId)),
              StreamTimestamp.of(requireNonNull(stream), Instant.ofEpochSecond(seconds, nanos)),
              EventType.of(aggregateType, requireNonNull(name), requireNonNull(version)),
              requireNonNull(parameters),
              CharacteristicBits.fromMask(mask));
      return processingId == null ? event : event.withProcessingId(processingId);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read a CBOR envelope", e);
    }
  }

  private static void expect(JsonToken token, JsonToken expected) {
    if (token != expected) {
      throw new IllegalArgumentException("expected " + expected + ", found " + token);
    }
  }
}
