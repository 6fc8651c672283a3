package io.cursus.api.mapping;

import io.cursus.api.EventType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The event types an application knows, from its declarations: what stores and serialisers consult
 * to read parameters back with their declared types.
 *
 * <p>Two declarations may declare the same event type (a Java interface and a Kotlin sealed class
 * for the same events); they must then agree on its parameters, or {@link #of} fails naming both.
 * Immutable and thread-safe.
 */
public final class EventTypeRegistry {

  private final List<EventDeclaration> declarations;
  private final Map<EventType, EventSchema> schemas;

  private EventTypeRegistry(
      List<EventDeclaration> declarations, Map<EventType, EventSchema> schemas) {
    this.declarations = List.copyOf(declarations);
    this.schemas = Lookups.copyOf(schemas);
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
    return new EventTypeRegistry(mapped, schemas);
  }

  /** This registry and {@code more} declarations. */
  public EventTypeRegistry with(Class<?>... more) {
    List<Class<?>> all = new ArrayList<>();
    declarations.forEach(d -> all.add(d.declaringClass()));
    all.addAll(List.of(more));
    return of(all);
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

  public Collection<EventSchema> schemas() {
    return schemas.values();
  }

  public List<EventDeclaration> declarations() {
    return declarations;
  }
}
