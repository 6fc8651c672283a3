package io.cursus.api.mapping;

import io.cursus.api.Event;
import io.cursus.api.mapping.spi.EventShape;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;

/**
 * One mapped event: its schema, where it was declared, and how to call or build it.
 *
 * @param where the declaration's name for messages: {@code ParcelEvents.delivered}
 * @param nullable per parameter, whether null is allowed
 * @param method the interface method (interface declarations only)
 * @param idType the aggregate id parameter's type (interface declarations only)
 * @param eventClass the event class (family declarations only)
 * @param shape how to read and build the event class (family declarations only)
 * @param slots the schema's parameters as arrays, resolved once for the per-event paths
 * @param constructor the event record's constructor called directly, or null to build the event
 *     class with its shape's factory (and for interface declarations)
 */
record Definition(
    EventSchema schema,
    String where,
    List<Boolean> nullable,
    Method method,
    Class<?> idType,
    Class<?> eventClass,
    EventShape shape,
    Slots slots,
    RecordConstructor constructor) {

  Definition(
      EventSchema schema,
      String where,
      List<Boolean> nullable,
      Method method,
      Class<?> idType,
      Class<?> eventClass,
      EventShape shape,
      RecordConstructor constructor) {
    this(
        schema,
        where,
        nullable,
        method,
        idType,
        eventClass,
        shape,
        Slots.of(schema, nullable),
        constructor);
  }

  /**
   * An instance of the event class (family declarations only) from {@code event}'s parameters, each
   * checked against its declared type.
   *
   * @throws IllegalArgumentException if a parameter is missing or of another type
   */
  Object instance(Event event) {
    if (constructor != null) {
      return constructor.instance(this, event);
    }
    return shape.factory().apply(Values.fromParameters(this, event));
  }

  /**
   * Per parameter, in schema order: its name, the class its values must be an instance of (boxed),
   * whether it is an {@code Optional} and whether it may be null.
   */
  static final class Slots {
    final String[] names;
    final Class<?>[] classes;
    final boolean[] optional;
    final boolean[] nullable;

    private Slots(int size) {
      names = new String[size];
      classes = new Class<?>[size];
      optional = new boolean[size];
      nullable = new boolean[size];
    }

    static Slots of(EventSchema schema, List<Boolean> nullable) {
      List<ParameterSchema> parameters = schema.parameters();
      Slots slots = new Slots(parameters.size());
      for (int i = 0; i < parameters.size(); i++) {
        slots.names[i] = parameters.get(i).name();
        slots.classes[i] = TypeRules.rawClass(parameters.get(i).type());
        slots.optional[i] = slots.classes[i] == Optional.class;
        slots.nullable[i] = nullable.get(i);
      }
      return slots;
    }

    int size() {
      return names.length;
    }
  }
}
