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
import io.cursus.api.internal.CharacteristicBits;
import io.cursus.api.mapping.EventSchema;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.store.UnreadableEventException;
import io.cursus.api.store.UnreadableEventException.Reason;
import io.cursus.json.ParameterCodec;
import io.cursus.json.StoredUpcasting;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/** Turns event rows into events, with the schemas of the registry. Thread-safe. */
public final class RowCodec {

  /**
   * The codec of the parameters column, {@code frozen<map<text, text>>} (ADR 6): bound and read
   * with it, the driver does not look a codec up, or inspect the map, per row. A table created with
   * a non-frozen {@code map<text, text>} column is written and read the same way (the two encode
   * alike on the wire).
   */
  public static final TypeCodec<Map<String, String>> PARAMETERS =
      TypeCodecs.mapOf(TypeCodecs.TEXT, TypeCodecs.TEXT);

  /** Slots of recently read stored types. */
  private static final int RECENT_TYPES = 8;

  private final EventTypeRegistry registry;
  private final AtomicReferenceArray<Known> recent = new AtomicReferenceArray<>(RECENT_TYPES);
  private final AtomicInteger nextSlot = new AtomicInteger();
  private final ParameterCodec codec;
  private final StoredUpcasting upcasting;

  public RowCodec(EventTypeRegistry registry, ParameterCodec codec) {
    this.registry = registry;
    this.codec = codec;
    this.upcasting = StoredUpcasting.of(registry, codec);
  }

  /**
   * The schema of the stored type, or null if no declaration has it. The types read last are kept
   * in a few slots and compared by their strings: rows of one history mostly have a few types, and
   * comparing the strings costs less than hashing the driver's new strings for a look-up per row.
   */
  private EventSchema schemaOf(String aggregateType, String name, String version) {
    for (int i = 0; i < RECENT_TYPES; i++) {
      Known known = recent.get(i);
      if (known != null
          && known.name.equals(name)
          && known.version.equals(version)
          && known.aggregateType.equals(aggregateType)) {
        return known.schema;
      }
    }
    Optional<EventSchema> schema = registry.schema(EventType.of(aggregateType, name, version));
    if (schema.isEmpty()) {
      return null;
    }
    recent.set(
        Math.floorMod(nextSlot.getAndIncrement(), RECENT_TYPES),
        new Known(aggregateType, name, version, schema.get()));
    return schema.get();
  }

  /** A stored type's strings and its schema. */
  private record Known(String aggregateType, String name, String version, EventSchema schema) {}

  /**
   * Whether rows of stored type ({@code aggregateType}, {@code name}, {@code version}) are read
   * through the upcasters: no declaration has the type, and a step starts from it.
   */
  public boolean isUpcast(String aggregateType, String name, String version) {
    return schemaOf(aggregateType, name, version) == null
        && upcasting.upcasts(EventType.of(aggregateType, name, version));
  }

  public EventSchema schemaFor(Event event) {
    return registry.require(event.type());
  }

  public Map<String, String> parameters(EventSchema schema, Event event) {
    return codec.writeAll(schema, event);
  }

  /**
   * The events at the current declarations of the row of aggregate {@code aggregate} whose {@link
   * Cql#EVENT_COLUMNS} start at column {@code offset}: the stored event, or what the registry's
   * upcasters make of it if its version is no longer declared (none if dropped, several if split).
   *
   * <p>{@code descending} says whether the rows are read newest first.
   *
   * @throws UnreadableEventException as {@link #read} does, and naming the step if one fails
   */
  public List<Event> readAll(AggregateId aggregate, Row row, int offset, boolean descending) {
    String name = row.getString(offset + 3);
    String version = row.getString(offset + 4);
    // A declared type (the slots answer without a look-up) is read as it is, with no upcasting.
    if (name == null
        || version == null
        || schemaOf(aggregate.type(), name, version) != null
        || !upcasting.upcasts(EventType.of(aggregate.type(), name, version))) {
      return List.of(read(aggregate, row, offset));
    }
    Instant time = row.getInstant(offset + 0);
    String stream = row.getString(offset + 1);
    if (time == null || stream == null) {
      return List.of(read(aggregate, row, offset)); // refuses it, naming what is missing
    }
    Map<String, String> texts = row.get(offset + 5, PARAMETERS);
    List<Event> events =
        upcasting.read(
            aggregate,
            StreamTimestamp.of(stream, time),
            EventType.of(aggregate.type(), name, version),
            texts == null ? Map.of() : texts,
            CharacteristicBits.fromMask(row.getInt(offset + 6)),
            row.getUuid(offset + 2));
    if (events.size() < 2) {
      return events;
    }
    // The parts of a split share the row's time: they are given as rows of one instant come, in
    // the opposite of the read's stream order, which SameTimeReversed puts right as for the rows.
    List<Event> parts = new ArrayList<>(events);
    Comparator<Event> streams = Comparator.comparing(Event::timestamp);
    parts.sort(descending ? streams : streams.reversed());
    return parts;
  }

  /**
   * The event in {@code row} of aggregate {@code aggregate}, whose {@link Cql#EVENT_COLUMNS} start
   * at column {@code offset}, which must be of a declared type: {@link #readAll} also reads older
   * versions.
   *
   * @throws UnreadableEventException naming the aggregate, event and field if the row no longer
   *     matches the declared schema ({@code SCHEMA_MISMATCH}), its type is not declared ({@code
   *     UNKNOWN_EVENT_TYPE}), or it lacks its time, stream or type, has a blank name or version,
   *     characteristic bits no characteristic uses or a processing id that is not time-based
   *     ({@code MALFORMED}); whatever the row holds, nothing else is thrown (RowCodecFuzzTest)
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
    StreamTimestamp timestamp = StreamTimestamp.of(stream, time);
    if (name.isBlank() || version.isBlank()) {
      throw new UnreadableEventException(
          Reason.MALFORMED,
          aggregate
              + " at "
              + timestamp
              + ": event row has a blank event "
              + (name.isBlank() ? "name '" + name + "'" : "version '" + version + "'"),
          null);
    }
    EventSchema schema = schemaOf(aggregate.type(), name, version);
    if (schema == null) {
      throw new UnreadableEventException(
          Reason.UNKNOWN_EVENT_TYPE,
          aggregate
              + " at "
              + timestamp
              + ": stored event type "
              + EventType.of(aggregate.type(), name, version)
              + " is not declared by any registered declaration",
          null);
    }
    EventType type = schema.type(); // the declaration's instance, shared by every row
    Map<String, String> texts = row.get(offset + 5, PARAMETERS);
    Parameters parameters =
        codec.readAll(
            schema,
            texts == null ? Map.of() : texts,
            () -> aggregate + " " + type + " at " + timestamp);
    int mask = row.getInt(offset + 6);
    Set<EventCharacteristic> characteristics;
    try {
      characteristics = CharacteristicBits.fromMask(mask);
    } catch (IllegalArgumentException e) {
      throw new UnreadableEventException(
          Reason.MALFORMED,
          aggregate
              + " "
              + type
              + " at "
              + timestamp
              + ": characteristics column "
              + mask
              + " has bits no characteristic uses (INITIAL is 1, TERMINAL 2)",
          e);
    }
    Event event = Event.of(aggregate, timestamp, type, parameters, characteristics);
    if (processingId == null) {
      return event;
    }
    if (processingId.version() != 1) {
      throw new UnreadableEventException(
          Reason.MALFORMED,
          aggregate
              + " "
              + type
              + " at "
              + timestamp
              + ": processing id "
              + processingId
              + " is not a time-based (version 1) UUID but version "
              + processingId.version(),
          null);
    }
    return event.withProcessingId(processingId);
  }
}
