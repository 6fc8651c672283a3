package io.cursus.api.mapping.spi;

import static java.util.Objects.requireNonNull;

import java.lang.reflect.Type;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * How a class that is one event of a family (a record, a Kotlin data class or object) exposes its
 * parameters and is built from them.
 *
 * @param properties the event's parameters in declared order
 * @param factory builds an instance from parameter values given in the order of {@code properties}
 */
public record EventShape(List<Property> properties, Function<@Nullable Object[], Object> factory) {

  // written out rather than compact, so the factory's nullable arguments reach Kotlin callers
  public EventShape(List<Property> properties, Function<@Nullable Object[], Object> factory) {
    this.properties = List.copyOf(properties);
    this.factory = requireNonNull(factory, "factory must not be null");
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
      String name, Type type, boolean nullable, Function<Object, @Nullable Object> getter) {
    // written out rather than compact, so the getter's nullable result reaches Kotlin callers
    public Property(
        String name, Type type, boolean nullable, Function<Object, @Nullable Object> getter) {
      this.name = requireNonNull(name, "property name must not be null");
      this.type = requireNonNull(type, "property type must not be null");
      this.nullable = nullable;
      this.getter = requireNonNull(getter, "property getter must not be null");
    }
  }
}
