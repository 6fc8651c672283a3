package io.cursus.api.mapping;

import io.cursus.api.Event;
import io.cursus.api.Parameters;
import java.util.List;
import java.util.Optional;

/** Moves parameter values between calls (or objects) and events, for every kind of declaration. */
final class Values {

  private Values() {}

  /** The parameters of an event from values in schema order. */
  static Parameters toParameters(Definition definition, Object[] values, int offset) {
    List<ParameterSchema> schema = definition.schema().parameters();
    Parameters.Builder builder = Parameters.builder();
    for (int i = 0; i < schema.size(); i++) {
      ParameterSchema parameter = schema.get(i);
      Object value = values[offset + i];
      if (value == null && TypeRules.rawClass(parameter.type()) == Optional.class) {
        throw new IllegalArgumentException(
            definition.where()
                + ": parameter '"
                + parameter.name()
                + "' is an Optional and must not be null; pass Optional.empty()");
      }
      if (value == null && !definition.nullable().get(i)) {
        throw new IllegalArgumentException(
            definition.where() + ": parameter '" + parameter.name() + "' must not be null");
      }
      builder.add(parameter.name(), value);
    }
    return builder.build();
  }

  /** The values of {@code event}'s parameters in schema order, each checked against its type. */
  static Object[] fromParameters(Definition definition, Event event) {
    List<ParameterSchema> schema = definition.schema().parameters();
    Object[] values = new Object[schema.size()];
    Parameters parameters = event.parameters();
    for (int i = 0; i < schema.size(); i++) {
      ParameterSchema parameter = schema.get(i);
      Class<?> expected = TypeRules.rawClass(parameter.type());
      if (!parameters.contains(parameter.name())) {
        if (expected == Optional.class) {
          values[i] = Optional.empty();
          continue;
        }
        throw new IllegalArgumentException(
            definition.where()
                + ": event "
                + event.type()
                + " of "
                + event.aggregateId()
                + " has no parameter '"
                + parameter.name()
                + "'; it has "
                + parameters.names());
      }
      Object value = parameters.get(parameter.name());
      if (value == null) {
        if (expected == Optional.class) {
          value = Optional.empty();
        } else if (!definition.nullable().get(i)) {
          throw new IllegalArgumentException(
              definition.where()
                  + ": parameter '"
                  + parameter.name()
                  + "' of "
                  + event.aggregateId()
                  + " is null but "
                  + parameter.type().getTypeName()
                  + " does not allow null");
        }
      } else if (!expected.isInstance(value)) {
        throw new IllegalArgumentException(
            definition.where()
                + ": parameter '"
                + parameter.name()
                + "' of "
                + event.aggregateId()
                + " at "
                + event.timestamp()
                + " is a "
                + value.getClass().getName()
                + " but the declaration expects "
                + parameter.type().getTypeName());
      }
      values[i] = value;
    }
    return values;
  }
}
