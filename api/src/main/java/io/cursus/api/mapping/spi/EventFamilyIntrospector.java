package io.cursus.api.mapping.spi;

import java.lang.reflect.Parameter;
import java.util.List;
import java.util.Optional;

/**
 * Teaches the mapping core a kind of event family other than a Java sealed interface of records,
 * such as a Kotlin sealed class.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader} and asked before the built-in
 * record support. They only describe classes; every rule (annotations, names, parameter types,
 * duplicates) is still checked by the one mapping core. Implementations must be thread-safe.
 */
public interface EventFamilyIntrospector {

  /** Whether this introspector describes the family whose root is {@code root}. */
  boolean accepts(Class<?> root);

  /**
   * The classes that are the family's events (the leaves of its sealed hierarchy), in declaration
   * order.
   *
   * @throws io.cursus.api.mapping.DeclarationException if {@code root} is not a proper family
   */
  List<Class<?>> members(Class<?> root);

  /**
   * The shape of one member.
   *
   * @throws io.cursus.api.mapping.DeclarationException if the member cannot be built from its
   *     parameters
   */
  EventShape shape(Class<?> member);

  /**
   * The shape of a class used as a parameter value (a Kotlin data class inside an event), if this
   * introspector knows it; empty otherwise.
   */
  default Optional<EventShape> valueShape(Class<?> type) {
    return Optional.empty();
  }

  /**
   * Whether {@code parameter}, of a method of an event interface, is declared nullable in a way
   * only this introspector can see (a Kotlin interface's {@code String?}, whose annotation is not
   * kept at run time). The core asks every introspector about every parameter of an interface's
   * events, once, when it maps the interface; a {@code @Nullable} annotation it sees itself.
   */
  default boolean nullable(Parameter parameter) {
    return false;
  }
}
