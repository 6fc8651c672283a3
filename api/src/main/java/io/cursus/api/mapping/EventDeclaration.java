package io.cursus.api.mapping;

import io.cursus.api.Event;
import io.cursus.api.EventType;
import io.cursus.api.internal.EventDecoder;
import io.cursus.api.internal.EventReader;
import io.cursus.api.internal.MappingAccess;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A class mapped to events: a Java interface whose methods are events, or a family (a sealed
 * interface of records, a Kotlin sealed class) whose members are events.
 *
 * <p>Every rule is checked by {@link #of}; a declaration that breaks one is rejected with a {@link
 * DeclarationException} naming the method or member and the rule. Mapped declarations are cached
 * per class, immutable and thread-safe.
 */
public final class EventDeclaration {

  /** What kind of class a declaration is. */
  public enum Kind {
    /** A Java interface whose abstract methods are events. */
    INTERFACE,
    /** A sealed type whose members (records, Kotlin classes) are events. */
    FAMILY
  }

  static {
    MappingAccess.install(
        new MappingAccess.Provider() {
          @Override
          public Optional<EventReader> reader(EventDeclaration declaration, EventType type) {
            return declaration.reader(type);
          }

          @Override
          public <E> Optional<EventDecoder<E>> decoder(EventCodec<E> codec, EventType type) {
            return codec.decoder(type);
          }
        });
  }

  private static final ClassValue<EventDeclaration> CACHE =
      new ClassValue<>() {
        @Override
        protected EventDeclaration computeValue(Class<?> type) {
          return DeclarationReader.read(type);
        }
      };

  private final Class<?> declaringClass;
  private final String aggregateType;
  private final Kind kind;
  private final List<Definition> definitions;
  private final Map<EventType, Definition> byType;
  private final Map<Method, Definition> byMethod;
  private final Map<Class<?>, Definition> byClass;

  EventDeclaration(
      Class<?> declaringClass,
      String aggregateType,
      Kind kind,
      List<Definition> definitions,
      Map<EventType, Definition> byType,
      Map<Method, Definition> byMethod,
      Map<Class<?>, Definition> byClass) {
    this.declaringClass = declaringClass;
    this.aggregateType = aggregateType;
    this.kind = kind;
    this.definitions = List.copyOf(definitions);
    this.byType = Lookups.copyOf(byType);
    this.byMethod = Lookups.copyOf(byMethod);
    this.byClass = Lookups.copyOf(byClass);
  }

  /**
   * The mapping of {@code declaration}, checked the first time it is asked for.
   *
   * @throws DeclarationException if the declaration breaks a rule
   */
  public static EventDeclaration of(Class<?> declaration) {
    return CACHE.get(declaration);
  }

  public Class<?> declaringClass() {
    return declaringClass;
  }

  public String aggregateType() {
    return aggregateType;
  }

  public Kind kind() {
    return kind;
  }

  /** The declared events in declaration order. */
  public List<EventSchema> events() {
    return definitions.stream().map(Definition::schema).toList();
  }

  /** The schema of {@code type}, if this declaration declares it. */
  public Optional<EventSchema> schema(EventType type) {
    return Optional.ofNullable(byType.get(type)).map(Definition::schema);
  }

  /**
   * The values of {@code event}'s parameters in the order of its schema, each checked against its
   * declared type; an absent {@code Optional} parameter reads as empty.
   *
   * @throws IllegalArgumentException if this declaration does not declare the event's type, or a
   *     parameter is missing or of another type (the message names the aggregate, event and field)
   */
  public Object[] parameterValues(Event event) {
    Definition definition = byType.get(event.type());
    if (definition == null) {
      throw new IllegalArgumentException(
          declaringClass.getSimpleName() + " does not declare event " + event.type());
    }
    return Values.fromParameters(definition, event);
  }

  /** The reader of events of {@code type}, or empty; see {@link MappingAccess#reader}. */
  Optional<EventReader> reader(EventType type) {
    return Optional.ofNullable(byType.get(type)).map(Reader::new);
  }

  /** Reads the parameter values of one declared event type. Immutable and thread-safe. */
  private static final class Reader implements EventReader {
    private final Definition definition;

    private Reader(Definition definition) {
      this.definition = definition;
    }

    @Override
    public EventSchema schema() {
      return definition.schema();
    }

    @Override
    public int size() {
      return definition.slots().size();
    }

    @Override
    public void read(Event event, Object[] into, int offset) {
      Values.fromParameters(definition, event, into, offset);
    }

    @Override
    public Object value(Event event, int index) {
      return Values.value(definition, event, index);
    }

    @Override
    public Object uncheckedValue(Event event, int index) {
      return Values.rawValue(definition, event, index);
    }
  }

  List<Definition> definitions() {
    return definitions;
  }

  Definition definition(EventType type) {
    return byType.get(type);
  }

  Definition definition(Method method) {
    return byMethod.get(method);
  }

  Definition definition(Class<?> eventClass) {
    return byClass.get(eventClass);
  }

  @Override
  public String toString() {
    return declaringClass.getSimpleName()
        + " ("
        + aggregateType
        + ", "
        + events().size()
        + " events)";
  }
}
