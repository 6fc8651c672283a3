package io.cursus.api.mapping;

import static java.util.Objects.requireNonNull;

import java.lang.reflect.Type;

/**
 * One parameter of an event's schema: its name, its declared Java type, generic arguments kept
 * ({@code List<UUID>}, not {@code List}), and whether its value may be null.
 *
 * @param nullable whether the declaration allows null: a parameter or record component annotated
 *     {@code @Nullable} (any annotation of that simple name kept at run time: JSpecify, Jakarta,
 *     JSR 305, Spring, Checker Framework), or a Kotlin property of a nullable type ({@code
 *     String?}). Primitives and {@code Optional}s are never nullable.
 */
public record ParameterSchema(String name, Type type, boolean nullable) {
  public ParameterSchema {
    requireNonNull(name, "parameter name must not be null");
    requireNonNull(type, "parameter type must not be null");
    // Interned: events built from a schema share its name instances, so reading a parameter by the
    // schema's name compares references instead of characters.
    name = name.intern();
  }

  /** A parameter that must not be null. */
  public ParameterSchema(String name, Type type) {
    this(name, type, false);
  }

  @Override
  public String toString() {
    return name + ": " + type.getTypeName() + (nullable ? " (nullable)" : "");
  }
}
