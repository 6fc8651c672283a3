package io.cursus.api.mapping;

import static java.util.Objects.requireNonNull;

import java.lang.reflect.Type;

/**
 * One parameter of an event's schema: its name and its declared Java type, generic arguments kept
 * ({@code List<UUID>}, not {@code List}).
 */
public record ParameterSchema(String name, Type type) {
  public ParameterSchema {
    requireNonNull(name, "parameter name must not be null");
    requireNonNull(type, "parameter type must not be null");
    // Interned: events built from a schema share its name instances, so reading a parameter by the
    // schema's name compares references instead of characters.
    name = name.intern();
  }

  @Override
  public String toString() {
    return name + ": " + type.getTypeName();
  }
}
