package io.cursus.api.mapping;

import io.cursus.api.EventCharacteristic;
import io.cursus.api.EventType;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a declaration says about one event type: its characteristics and its parameters in declared
 * order. Stores and serialisers use it to read parameters back with their declared types.
 */
public record EventSchema(
    EventType type, Set<EventCharacteristic> characteristics, List<ParameterSchema> parameters) {

  public EventSchema {
    characteristics = Set.copyOf(characteristics);
    parameters = List.copyOf(parameters);
  }

  /** The schema of parameter {@code name}, if the event has one. */
  public Optional<ParameterSchema> parameter(String name) {
    return parameters.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /** Whether two schemas describe the same parameters, with the same types, in the same order. */
  public boolean sameShapeAs(EventSchema other) {
    return type.equals(other.type)
        && characteristics.equals(other.characteristics)
        && parameters.equals(other.parameters);
  }
}
