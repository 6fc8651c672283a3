package io.cursus.api.mapping;

import io.cursus.api.Event;
import io.cursus.api.Parameters;
import java.util.Optional;

/** Moves parameter values between calls (or objects) and events, for every kind of declaration. */
final class Values {

  /** How a declaration allows null, for messages refusing one. */
  static final String NULLABLE_HINT =
      "to allow null, declare it @Nullable (in Kotlin, of a nullable type such as String?)";

  private Values() {}

  /** The parameters of an event from values in schema order. */
  static Parameters toParameters(Definition definition, Object[] values, int offset) {
    Definition.Slots slots = definition.slots();
    Parameters.Builder builder = Parameters.builder();
    for (int i = 0; i < slots.size(); i++) {
      Object value = values[offset + i];
      if (value == null && slots.optional[i]) {
        throw new IllegalArgumentException(
            definition.where()
                + ": parameter '"
                + slots.names[i]
                + "' is an Optional and must not be null; pass Optional.empty()");
      }
      if (value == null && !slots.nullable[i]) {
        throw new IllegalArgumentException(
            definition.where()
                + ": parameter '"
                + slots.names[i]
                + "' must not be null; "
                + NULLABLE_HINT);
      }
      builder.add(slots.names[i], value);
    }
    return builder.build();
  }

  /** The values of {@code event}'s parameters in schema order, each checked against its type. */
  static Object[] fromParameters(Definition definition, Event event) {
    Object[] values = new Object[definition.slots().size()];
    fromParameters(definition, event, values, 0);
    return values;
  }

  /**
   * Puts the values of {@code event}'s parameters in schema order into {@code into} from {@code
   * offset}, each checked against its type. Runs once per event on every read path, so the schema
   * is read from arrays resolved when it was mapped and messages are built only on failure.
   */
  static void fromParameters(Definition definition, Event event, Object[] into, int offset) {
    for (int i = 0; i < definition.slots().size(); i++) {
      into[offset + i] = value(definition, event, i);
    }
  }

  /** The value of {@code event}'s parameter {@code i} in schema order, checked against its type. */
  static Object value(Definition definition, Event event, int i) {
    Definition.Slots slots = definition.slots();
    Object value = event.parameters().get(slots.names[i]);
    if (value == null) {
      return absentOrNull(definition, event, i);
    }
    if (!slots.classes[i].isInstance(value)) {
      throw new IllegalArgumentException(
          definition.where()
              + ": parameter '"
              + slots.names[i]
              + "' of "
              + event.aggregateId()
              + " at "
              + event.timestamp()
              + " is a "
              + value.getClass().getName()
              + " but the declaration expects "
              + definition.schema().parameters().get(i).type().getTypeName());
    }
    return value;
  }

  /**
   * The value of {@code event}'s parameter {@code i} in schema order, absent or null ones handled
   * as {@link #value} handles them, but not checked against its type: for callers that cast it to
   * the type themselves.
   */
  static Object rawValue(Definition definition, Event event, int i) {
    Object value = event.parameters().get(definition.slots().names[i]);
    return value != null ? value : absentOrNull(definition, event, i);
  }

  /** The value of parameter {@code i}, which is absent or null: empty if allowed, else an error. */
  private static Object absentOrNull(Definition definition, Event event, int i) {
    Definition.Slots slots = definition.slots();
    Parameters parameters = event.parameters();
    if (slots.optional[i]) {
      return Optional.empty();
    }
    if (!parameters.contains(slots.names[i])) {
      throw new IllegalArgumentException(
          definition.where()
              + ": event "
              + event.type()
              + " of "
              + event.aggregateId()
              + " has no parameter '"
              + slots.names[i]
              + "'; it has "
              + parameters.names());
    }
    if (!slots.nullable[i]) {
      throw new IllegalArgumentException(
          definition.where()
              + ": parameter '"
              + slots.names[i]
              + "' of "
              + event.aggregateId()
              + " is null but "
              + definition.schema().parameters().get(i).type().getTypeName()
              + " does not allow null");
    }
    return null;
  }
}
