package io.cursus.api.mapping;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Which Java types an event parameter may have: those every store and serialiser can write and read
 * back exactly.
 */
final class TypeRules {

  static final String SUPPORTED =
      "String, primitives and their boxes, UUID, Instant, LocalDate, LocalDateTime, Duration,"
          + " BigDecimal, BigInteger, enums, records, and List/Set/Map/Optional of these";

  private static final Set<Class<?>> SCALARS =
      Set.of(
          String.class,
          Boolean.class,
          Byte.class,
          Short.class,
          Integer.class,
          Long.class,
          Float.class,
          Double.class,
          Character.class,
          UUID.class,
          Instant.class,
          LocalDate.class,
          LocalDateTime.class,
          Duration.class,
          BigDecimal.class,
          BigInteger.class);

  private static final Set<Class<?>> KEYS =
      Set.of(
          String.class,
          Integer.class,
          Long.class,
          Short.class,
          Byte.class,
          Character.class,
          Boolean.class,
          UUID.class,
          LocalDate.class);

  private TypeRules() {}

  /** What is wrong with {@code type} as a parameter type, or empty if nothing is. */
  static Optional<String> problem(Type type) {
    return problem(type, new HashSet<>());
  }

  private static Optional<String> problem(Type type, Set<Class<?>> visiting) {
    if (type instanceof Class<?> c) {
      return classProblem(c, visiting);
    }
    if (type instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      Type[] args = p.getActualTypeArguments();
      if (raw == List.class || raw == Set.class || raw == Optional.class) {
        return problem(args[0], visiting).map(why -> "its element type " + why);
      }
      if (raw == Map.class) {
        Optional<String> key = keyProblem(args[0]);
        if (key.isPresent()) {
          return key;
        }
        return problem(args[1], visiting).map(why -> "its value type " + why);
      }
      return Optional.of(
          "is "
              + p.getTypeName()
              + ", a generic type other than List, Set, Map or Optional; supported: "
              + SUPPORTED);
    }
    if (type instanceof WildcardType w) {
      return Optional.of("uses the wildcard " + w + "; give an exact type such as List<String>");
    }
    if (type instanceof TypeVariable<?> v) {
      return Optional.of("uses the type variable " + v + "; events need concrete types");
    }
    if (type instanceof GenericArrayType) {
      return Optional.of("is the array " + type.getTypeName() + "; use a List instead");
    }
    return Optional.of(
        "is " + type.getTypeName() + ", which is not supported; supported: " + SUPPORTED);
  }

  private static Optional<String> classProblem(Class<?> c, Set<Class<?>> visiting) {
    if (c.isPrimitive()) {
      return c == void.class ? Optional.of("is void") : Optional.empty();
    }
    if (SCALARS.contains(c) || c.isEnum()) {
      return Optional.empty();
    }
    if (c == List.class || c == Set.class || c == Map.class || c == Optional.class) {
      return Optional.of(
          "is a raw " + c.getSimpleName() + "; give its type arguments, such as List<String>");
    }
    if (c.isArray()) {
      return Optional.of("is the array " + c.getTypeName() + "; use a List instead");
    }
    if (!visiting.add(c)) {
      return Optional.empty(); // a recursive value type: its members are being checked already
    }
    if (c.isRecord() || Introspectors.valueShape(c).isPresent()) {
      for (var property : Introspectors.valueShape(c).orElseThrow().properties()) {
        Optional<String> why = problem(property.type(), visiting);
        if (why.isPresent()) {
          return Optional.of(
              "is "
                  + c.getSimpleName()
                  + " whose component '"
                  + property.name()
                  + "' "
                  + why.get());
        }
      }
      return Optional.empty();
    }
    return Optional.of("is " + c.getName() + ", which is not supported; supported: " + SUPPORTED);
  }

  private static Optional<String> keyProblem(Type key) {
    if (key instanceof Class<?> c && (KEYS.contains(c) || c.isEnum())) {
      return Optional.empty();
    }
    return Optional.of(
        "has the map key type "
            + key.getTypeName()
            + "; map keys must be String, a boxed integer type, Character, Boolean, UUID,"
            + " LocalDate or an enum");
  }

  /** The class a value of {@code type} must be an instance of (boxes for primitives). */
  static Class<?> rawClass(Type type) {
    if (type instanceof Class<?> c) {
      return c.isPrimitive() ? box(c) : c;
    }
    if (type instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    return Object.class;
  }

  static Class<?> box(Class<?> primitive) {
    if (primitive == int.class) {
      return Integer.class;
    } else if (primitive == long.class) {
      return Long.class;
    } else if (primitive == boolean.class) {
      return Boolean.class;
    } else if (primitive == double.class) {
      return Double.class;
    } else if (primitive == float.class) {
      return Float.class;
    } else if (primitive == short.class) {
      return Short.class;
    } else if (primitive == byte.class) {
      return Byte.class;
    } else if (primitive == char.class) {
      return Character.class;
    }
    return primitive;
  }
}
