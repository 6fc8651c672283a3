package io.cursus.api.internal;

import io.cursus.api.Event;
import io.cursus.api.mapping.EventSchema;

/**
 * Reads the parameter values of one declared event type, resolved once so that code reading many
 * events (state builders, handlers) does not look the declaration up per event. Immutable and
 * thread-safe. Not public API: obtained through {@link MappingAccess#reader}.
 */
public interface EventReader {

  EventSchema schema();

  /** How many parameters the event declares. */
  int size();

  /**
   * Puts the values of {@code event}'s parameters, in schema order, into {@code into} from {@code
   * offset}, checked as the declaration checks them. The event must be of this reader's type.
   *
   * @throws IllegalArgumentException if a parameter is missing or of another type
   */
  void read(Event event, Object[] into, int offset);

  /**
   * The value of {@code event}'s parameter {@code index} (in schema order), checked as {@link
   * #read} checks it.
   */
  Object value(Event event, int index);

  /**
   * The value of {@code event}'s parameter {@code index} (in schema order), an absent or null one
   * read or refused as {@link #value} does, but not checked against the declared type: for a caller
   * that casts the value to that type anyway, saving the second check per value, and calls {@link
   * #value} when its cast fails, for the message naming the parameter.
   */
  Object uncheckedValue(Event event, int index);
}
