package io.cursus.api.mapping.spi;

import static java.util.Objects.requireNonNull;

import java.lang.reflect.Type;
import java.util.List;
import java.util.function.Function;

/**
 * How a class that is one event of a family (a record, a Kotlin data class or object) exposes its
 * parameters and is built from them.
 *
 * @param properties the event's parameters in declared order
 * @param factory builds an instance from parameter values given in the order of {@code properties}
 */
public record EventShape(List<Property> properties, Function<Object[], Object> factory) {

  public EventShape {
    properties = List.copyOf(properties);
    requireNonNull(factory, "factory must not be null");
  }

  /**
   * One parameter of an event class.
   *
   * @param name the parameter's name
   * @param type its declared type, generic arguments kept
   * @param nullable whether the declaration allows null (a Kotlin {@code String?}, say)
   * @param getter reads the value from an instance
   */
  public record Property(
      String name, Type type, boolean nullable, Function<Object, Object> getter) {
    public Property {
      requireNonNull(name, "property name must not be null");
      requireNonNull(type, "property type must not be null");
      requireNonNull(getter, "property getter must not be null");
    }
  }
}
