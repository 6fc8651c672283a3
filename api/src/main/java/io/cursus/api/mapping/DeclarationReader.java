package io.cursus.api.mapping;

import io.cursus.api.EventCharacteristic;
import io.cursus.api.EventType;
import io.cursus.api.HandlesEventsFor;
import io.cursus.api.Initial;
import io.cursus.api.Name;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.Terminal;
import io.cursus.api.Version;
import io.cursus.api.mapping.spi.EventFamilyIntrospector;
import io.cursus.api.mapping.spi.EventShape;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads a declaration class into an {@link EventDeclaration}, checking every rule. */
final class DeclarationReader {

  private DeclarationReader() {}

  static EventDeclaration read(Class<?> type) {
    String aggregateType = aggregateType(type);
    Optional<EventFamilyIntrospector> introspector = Introspectors.forFamily(type);
    if (introspector.isPresent()) {
      return readFamily(type, aggregateType, introspector.get());
    }
    if (type.isInterface() && type.isSealed()) {
      return readFamily(type, aggregateType, null);
    }
    if (type.isInterface()) {
      return readInterface(type, aggregateType);
    }
    throw new DeclarationException(
        type.getName()
            + ": an event declaration must be an interface whose methods are events, or a sealed"
            + " interface of records (Kotlin sealed classes need the cursus-kotlin module); it is a "
            + (type.isRecord() ? "record" : "class"));
  }

  private static String aggregateType(Class<?> type) {
    HandlesEventsFor annotation = type.getAnnotation(HandlesEventsFor.class);
    if (annotation == null) {
      throw new DeclarationException(
          type.getName() + ": an event declaration must be annotated @HandlesEventsFor(\"type\")");
    }
    if (annotation.value().isBlank()) {
      throw new DeclarationException(
          type.getName() + ": @HandlesEventsFor must name an aggregate type, was blank");
    }
    return annotation.value();
  }

  private static EventDeclaration readInterface(Class<?> type, String aggregateType) {
    Method[] methods = type.getMethods();
    // getMethods() has no stable order; name order makes the declaration (and messages) stable.
    Arrays.sort(methods, Comparator.comparing(Method::getName).thenComparing(Method::toString));
    List<Definition> definitions = new ArrayList<>();
    Map<Method, Definition> byMethod = new HashMap<>();
    for (Method method : methods) {
      if (method.isDefault()
          || Modifier.isStatic(method.getModifiers())
          || method.getDeclaringClass() == Object.class) {
        continue;
      }
      Definition definition = readMethod(type, aggregateType, method);
      definitions.add(definition);
      byMethod.put(method, definition);
    }
    if (definitions.isEmpty()) {
      throw new DeclarationException(type.getName() + ": declares no events (no abstract methods)");
    }
    return new EventDeclaration(
        type,
        aggregateType,
        EventDeclaration.Kind.INTERFACE,
        definitions,
        indexByType(definitions),
        byMethod,
        Map.of());
  }

  private static Definition readMethod(Class<?> type, String aggregateType, Method method) {
    String where = type.getSimpleName() + "." + method.getName();
    if (method.getReturnType() != void.class) {
      throw new DeclarationException(
          where + ": an event method must return void, was " + method.getReturnType().getName());
    }
    if (method.getTypeParameters().length > 0) {
      throw new DeclarationException(where + ": an event method must not be generic");
    }
    Parameter[] parameters = method.getParameters();
    if (parameters.length < 2) {
      throw new DeclarationException(
          where
              + ": an event method needs a StreamTimestamp and an aggregate id as its first two"
              + " parameters, has "
              + parameters.length
              + " parameter(s)");
    }
    if (parameters[0].getType() != StreamTimestamp.class) {
      throw new DeclarationException(
          where
              + ": first parameter must be StreamTimestamp, was "
              + parameters[0].getType().getSimpleName());
    }
    Class<?> idType = parameters[1].getType();
    if (!IdTypes.supported(idType)) {
      throw new DeclarationException(
          where
              + ": second parameter is the aggregate id and must be String, UUID, long or int, was "
              + idType.getName());
    }
    List<ParameterSchema> schema = new ArrayList<>();
    List<Boolean> nullable = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 2; i < parameters.length; i++) {
      Parameter parameter = parameters[i];
      String name = parameterName(where, parameter, i);
      if (!names.add(name)) {
        throw new DeclarationException(where + ": parameter name '" + name + "' is used twice");
      }
      checkType(where, name, parameter.getParameterizedType());
      boolean mayBeNull = Nullness.declared(parameter);
      checkNullable(where, name, parameter.getType(), mayBeNull);
      schema.add(new ParameterSchema(name, parameter.getParameterizedType(), mayBeNull));
      nullable.add(mayBeNull);
    }
    EventType eventType =
        interned(aggregateType, eventName(where, method, method.getName()), version(where, method));
    // Lets handlers of package-private interfaces be called; where a module forbids it, calls
    // fail later with a message naming the method.
    method.trySetAccessible();
    return new Definition(
        new EventSchema(eventType, characteristics(method), schema),
        where,
        nullable,
        method,
        idType,
        null,
        null,
        null);
  }

  /**
   * A declared type with interned texts: an event whose type was built from literals (or from
   * another declaration) then equals it by comparing references, once per event on read paths.
   */
  private static EventType interned(String aggregateType, String name, String version) {
    return EventType.of(aggregateType.intern(), name.intern(), version.intern());
  }

  private static String parameterName(String where, Parameter parameter, int index) {
    Name name = parameter.getAnnotation(Name.class);
    if (name != null) {
      if (name.value().isBlank()) {
        throw new DeclarationException(where + ": @Name of parameter " + index + " is blank");
      }
      return name.value();
    }
    if (!parameter.isNamePresent()) {
      throw new DeclarationException(
          where
              + ": the name of parameter "
              + index
              + " is unknown; compile with javac -parameters or annotate it with @Name");
    }
    return parameter.getName();
  }

  private static EventDeclaration readFamily(
      Class<?> root, String aggregateType, EventFamilyIntrospector introspector) {
    List<Class<?>> members =
        introspector != null ? introspector.members(root) : recordMembers(root, root);
    if (members.isEmpty()) {
      throw new DeclarationException(root.getName() + ": declares no events (no members)");
    }
    List<Definition> definitions = new ArrayList<>();
    Map<Class<?>, Definition> byClass = new HashMap<>();
    for (Class<?> member : members) {
      String where = root.getSimpleName() + "." + member.getSimpleName();
      EventShape shape =
          introspector != null ? introspector.shape(member) : Introspectors.recordShape(member);
      List<ParameterSchema> schema = new ArrayList<>();
      List<Boolean> nullable = new ArrayList<>();
      Set<String> names = new HashSet<>();
      for (EventShape.Property property : shape.properties()) {
        if (!names.add(property.name())) {
          throw new DeclarationException(
              where + ": parameter name '" + property.name() + "' is used twice");
        }
        checkType(where, property.name(), property.type());
        checkNullable(
            where,
            property.name(),
            property.type() instanceof Class<?> c ? c : TypeRules.rawClass(property.type()),
            property.nullable());
        schema.add(new ParameterSchema(property.name(), property.type(), property.nullable()));
        nullable.add(property.nullable());
      }
      EventType eventType =
          interned(
              aggregateType,
              eventName(where, member, decapitalise(member.getSimpleName())),
              version(where, member));
      Definition definition =
          new Definition(
              new EventSchema(eventType, characteristics(member), schema),
              where,
              nullable,
              null,
              null,
              member,
              shape,
              // Only the built-in shape of a record has the canonical constructor's order.
              introspector == null ? RecordConstructor.of(member) : null);
      definitions.add(definition);
      byClass.put(member, definition);
    }
    return new EventDeclaration(
        root,
        aggregateType,
        EventDeclaration.Kind.FAMILY,
        definitions,
        indexByType(definitions),
        Map.of(),
        byClass);
  }

  private static List<Class<?>> recordMembers(Class<?> root, Class<?> type) {
    List<Class<?>> members = new ArrayList<>();
    for (Class<?> permitted : type.getPermittedSubclasses()) {
      if (permitted.isRecord()) {
        members.add(permitted);
      } else if (permitted.isInterface() && permitted.isSealed()) {
        members.addAll(recordMembers(root, permitted));
      } else {
        throw new DeclarationException(
            root.getSimpleName()
                + "."
                + permitted.getSimpleName()
                + ": every permitted subtype of a sealed event interface must be a record (or a"
                + " sealed interface of records), was "
                + (permitted.isInterface() ? "a non-sealed interface" : "a class"));
      }
    }
    return members;
  }

  private static void checkType(String where, String name, java.lang.reflect.Type type) {
    TypeRules.problem(type)
        .ifPresent(
            why -> {
              throw new DeclarationException(where + ": parameter '" + name + "' " + why);
            });
  }

  /** A parameter declared nullable must be able to hold null, and an Optional never is null. */
  private static void checkNullable(String where, String name, Class<?> type, boolean nullable) {
    if (!nullable) {
      return;
    }
    if (type.isPrimitive()) {
      throw new DeclarationException(
          where
              + ": parameter '"
              + name
              + "' is declared @Nullable but its type "
              + type
              + " cannot be null; declare it "
              + TypeRules.box(type).getSimpleName()
              + " to allow null");
    }
    if (type == Optional.class) {
      throw new DeclarationException(
          where
              + ": parameter '"
              + name
              + "' is an Optional declared @Nullable; an Optional parameter is never null (an"
              + " absent value is Optional.empty()), so drop @Nullable");
    }
  }

  private static String eventName(String where, AnnotatedElement element, String fallback) {
    Name name = element.getAnnotation(Name.class);
    if (name == null) {
      return fallback;
    }
    if (name.value().isBlank()) {
      throw new DeclarationException(where + ": @Name of an event must not be blank");
    }
    return name.value();
  }

  private static String version(String where, AnnotatedElement element) {
    Version version = element.getAnnotation(Version.class);
    if (version == null) {
      return EventType.DEFAULT_VERSION;
    }
    if (version.value().isBlank()) {
      throw new DeclarationException(where + ": @Version must not be blank");
    }
    return version.value();
  }

  private static Set<EventCharacteristic> characteristics(AnnotatedElement element) {
    EnumSet<EventCharacteristic> set = EnumSet.noneOf(EventCharacteristic.class);
    if (element.isAnnotationPresent(Initial.class)) {
      set.add(EventCharacteristic.INITIAL);
    }
    if (element.isAnnotationPresent(Terminal.class)) {
      set.add(EventCharacteristic.TERMINAL);
    }
    return set;
  }

  private static Map<EventType, Definition> indexByType(List<Definition> definitions) {
    Map<EventType, Definition> byType = new LinkedHashMap<>();
    for (Definition definition : definitions) {
      Definition clash = byType.putIfAbsent(definition.schema().type(), definition);
      if (clash != null) {
        throw new DeclarationException(
            definition.where()
                + ": event '"
                + definition.schema().type().name()
                + "' version "
                + definition.schema().type().version()
                + " is already declared by "
                + clash.where()
                + "; give one a different @Name or @Version");
      }
    }
    return byType;
  }

  static String decapitalise(String name) {
    if (name.isEmpty() || Character.isLowerCase(name.charAt(0))) {
      return name;
    }
    return Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }
}
