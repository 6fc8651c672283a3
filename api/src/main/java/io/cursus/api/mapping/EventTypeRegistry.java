package io.cursus.api.mapping;

import io.cursus.api.EventType;
import io.cursus.api.evolution.Upcasters;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The event types an application knows, from its declarations: what stores and serialisers consult
 * to read parameters back with their declared types, and what {@link EventValidator} checks events
 * against, including the {@linkplain #maxEventBytes() size limit} of one event.
 *
 * <p>Two declarations may declare the same event type (a Java interface and a Kotlin sealed class
 * for the same events); they must then agree on its parameters (names, types, order and whether
 * each may be null), or {@link #of} fails naming both. Immutable and thread-safe.
 */
public final class EventTypeRegistry {

  /**
   * The default {@linkplain #maxEventBytes() size limit} of one event: 1,000,000 bytes of JSON
   * envelope, which leaves room under Kafka's default {@code max.request.size} (1 MiB, 1,048,576
   * bytes) for the record's key and Kafka's own overhead.
   */
  public static final int DEFAULT_MAX_EVENT_BYTES = 1_000_000;

  private final List<EventDeclaration> declarations;
  private final Map<EventType, EventSchema> schemas;
  private final int maxEventBytes;
  private final Upcasters upcasters;

  private EventTypeRegistry(
      List<EventDeclaration> declarations,
      Map<EventType, EventSchema> schemas,
      int maxEventBytes,
      Upcasters upcasters) {
    this.declarations = List.copyOf(declarations);
    this.schemas = Lookups.copyOf(schemas);
    if (maxEventBytes <= 0) {
      throw new IllegalArgumentException("max event bytes must be positive, was " + maxEventBytes);
    }
    this.maxEventBytes = maxEventBytes;
    this.upcasters = upcasters;
  }

  /**
   * This registry with the upcasters {@code upcasters} builds for it: the stores and readers given
   * the returned registry read events stored under older versions through them (see {@link
   * Upcasters}). Replaces any upcasters this registry had.
   *
   * @throws IllegalArgumentException if the upcasters leave a gap (see {@link
   *     Upcasters.Builder#build})
   */
  public EventTypeRegistry withUpcasters(Upcasters.Builder upcasters) {
    EventTypeRegistry plain =
        new EventTypeRegistry(declarations, schemas, maxEventBytes, Upcasters.none());
    return new EventTypeRegistry(declarations, schemas, maxEventBytes, upcasters.build(plain));
  }

  /** The upcasters stores apply to stored types this registry does not declare; none by default. */
  public Upcasters upcasters() {
    return upcasters;
  }

  /**
   * The registry of {@code declarations} (event interfaces and families).
   *
   * @throws DeclarationException if a declaration breaks a rule or two disagree on an event type
   */
  public static EventTypeRegistry of(Class<?>... declarations) {
    return of(List.of(declarations));
  }

  /** As {@link #of(Class[])}. */
  public static EventTypeRegistry of(Collection<Class<?>> declarations) {
    List<EventDeclaration> mapped = new ArrayList<>();
    Map<EventType, EventSchema> schemas = new LinkedHashMap<>();
    Map<EventType, Class<?>> declaredBy = new LinkedHashMap<>();
    for (Class<?> type : declarations) {
      EventDeclaration declaration = EventDeclaration.of(type);
      mapped.add(declaration);
      for (EventSchema schema : declaration.events()) {
        EventSchema known = schemas.putIfAbsent(schema.type(), schema);
        if (known != null && !known.sameShapeAs(schema)) {
          throw new DeclarationException(
              "event "
                  + schema.type()
                  + " is declared differently by "
                  + declaredBy.get(schema.type()).getSimpleName()
                  + " "
                  + known.parameters()
                  + known.characteristics()
                  + " and by "
                  + type.getSimpleName()
                  + " "
                  + schema.parameters()
                  + schema.characteristics());
        }
        declaredBy.putIfAbsent(schema.type(), type);
      }
    }
    return new EventTypeRegistry(mapped, schemas, DEFAULT_MAX_EVENT_BYTES, Upcasters.none());
  }

  /** This registry and {@code more} declarations, with the same size limit and no upcasters. */
  public EventTypeRegistry with(Class<?>... more) {
    List<Class<?>> all = new ArrayList<>();
    declarations.forEach(d -> all.add(d.declaringClass()));
    all.addAll(List.of(more));
    return of(all).withMaxEventBytes(maxEventBytes);
  }

  /**
   * The most bytes one event may take serialised: the UTF-8 bytes of its JSON envelope as {@code
   * cursus-json} writes it, metadata and processing id included. Default {@value
   * #DEFAULT_MAX_EVENT_BYTES}. Every stack checks it when an event is emitted ({@link
   * EventValidator}); an envelope reader built from this registry accepts at least this much.
   */
  public int maxEventBytes() {
    return maxEventBytes;
  }

  /**
   * This registry with a different {@linkplain #maxEventBytes() size limit} of one event. Over
   * Kafka, raise the producer's {@code max.request.size} and the topic's {@code max.message.bytes}
   * to match before raising it past the default.
   *
   * @throws IllegalArgumentException if {@code maxEventBytes} is not positive
   */
  public EventTypeRegistry withMaxEventBytes(int maxEventBytes) {
    return new EventTypeRegistry(declarations, schemas, maxEventBytes, upcasters);
  }

  public Optional<EventSchema> schema(EventType type) {
    return Optional.ofNullable(schemas.get(type));
  }

  /**
   * The schema of {@code type}.
   *
   * @throws IllegalArgumentException naming the type and the known versions if it is unknown
   */
  public EventSchema require(EventType type) {
    EventSchema schema = schemas.get(type);
    if (schema == null) {
      List<String> versions =
          schemas.keySet().stream()
              .filter(
                  t ->
                      t.aggregateType().equals(type.aggregateType())
                          && t.name().equals(type.name()))
              .map(EventType::version)
              .toList();
      throw new IllegalArgumentException(
          "unknown event type "
              + type
              + (versions.isEmpty() ? "" : "; known versions of it: " + versions));
    }
    return schema;
  }

  /**
   * Checks that every type in {@code storedTypes} (the types a store has recorded) is declared or
   * has a path through {@link #upcasters()} to a current declaration: a start-up check.
   *
   * @throws IllegalStateException listing every type without a path
   */
  public void checkReadable(Collection<EventType> storedTypes) {
    Set<String> gaps = new TreeSet<>();
    for (EventType type : storedTypes) {
      if (!schemas.containsKey(type) && !upcasters.upcasts(type)) {
        gaps.add(type.toString());
      }
    }
    if (!gaps.isEmpty()) {
      throw new IllegalStateException(
          "stored event types with neither a declaration nor an upcaster: "
              + gaps
              + "; declare them or add upcasters from them to a current version");
    }
  }

  public Collection<EventSchema> schemas() {
    return schemas.values();
  }

  public List<EventDeclaration> declarations() {
    return declarations;
  }
}
