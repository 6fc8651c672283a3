package io.cursus.cassandra.internal;

import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.type.codec.TypeCodec;
import com.datastax.oss.driver.api.core.type.codec.TypeCodecs;
import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.EventCharacteristic;
import io.cursus.api.EventType;
import io.cursus.api.Parameters;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.mapping.EventSchema;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.store.UnreadableEventException;
import io.cursus.api.store.UnreadableEventException.Reason;
import io.cursus.json.ParameterCodec;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Turns event rows into events, with the schemas of the registry. Thread-safe. */
public final class RowCodec {

  /** The columns every event query selects, in this order. */
  public static final String COLUMNS =
      "event_timestamp, stream_id, processing_id, name, version, parameters, characteristics";

  /**
   * The codec of the parameters column, {@code frozen<map<text, text>>} (ADR 6): bound and read
   * with it, the driver does not look a codec up, or inspect the map, per row. A table created with
   * a non-frozen {@code map<text, text>} column is written and read the same way (the two encode
   * alike on the wire).
   */
  public static final TypeCodec<Map<String, String>> PARAMETERS =
      TypeCodecs.mapOf(TypeCodecs.TEXT, TypeCodecs.TEXT);

  private final EventTypeRegistry registry;
  private final ParameterCodec codec;

  public RowCodec(EventTypeRegistry registry, ParameterCodec codec) {
    this.registry = registry;
    this.codec = codec;
  }

  public EventSchema schemaFor(Event event) {
    return registry.require(event.type());
  }

  public Map<String, String> parameters(EventSchema schema, Event event) {
    return codec.writeAll(schema, event);
  }

  /**
   * The event in {@code row} of aggregate {@code aggregate}, whose {@link #COLUMNS} start at column
   * {@code offset}.
   *
   * @throws UnreadableEventException naming the aggregate, event and field if the row no longer
   *     matches the declared schema
   */
  public Event read(AggregateId aggregate, Row row, int offset) {
    Instant time = row.getInstant(offset + 0);
    String stream = row.getString(offset + 1);
    UUID processingId = row.getUuid(offset + 2);
    String name = row.getString(offset + 3);
    String version = row.getString(offset + 4);
    if (time == null || stream == null || name == null || version == null) {
      throw new UnreadableEventException(
          Reason.MALFORMED,
          aggregate + ": event row at " + time + "@" + stream + " lacks its time, stream or type",
          null);
    }
    EventType type = EventType.of(aggregate.type(), name, version);
    StreamTimestamp timestamp = StreamTimestamp.of(stream, time);
    Optional<EventSchema> schema = registry.schema(type);
    if (schema.isEmpty()) {
      throw new UnreadableEventException(
          Reason.UNKNOWN_EVENT_TYPE,
          aggregate
              + " at "
              + timestamp
              + ": stored event type "
              + type
              + " is not declared by any registered declaration",
          null);
    }
    Map<String, String> texts = row.get(offset + 5, PARAMETERS);
    Parameters parameters =
        codec.readAll(
            schema.get(),
            texts == null ? Map.of() : texts,
            () -> aggregate + " " + type + " at " + timestamp);
    Event event =
        Event.of(
            aggregate,
            timestamp,
            schema.get().type(), // equal to type; the declaration's instance, shared by every row
            parameters,
            EventCharacteristic.fromMask(row.getInt(offset + 6)));
    return processingId == null ? event : event.withProcessingId(processingId);
  }
}
