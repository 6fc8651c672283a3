package io.cursus.api.internal;

import io.cursus.api.Event;
import io.cursus.api.mapping.EventSchema;

/**
 * Decodes the events of one type of a family, resolved once so that code decoding many events (a
 * state fold, say) does not look the family up per event. Immutable and thread-safe. Not public
 * API: obtained through {@link MappingAccess#decoder}.
 *
 * @param <E> the family's root type
 */
public interface EventDecoder<E> {

  EventSchema schema();

  /** Whether the type is declared {@code @Initial}. */
  boolean isInitial();

  /**
   * The typed form of {@code event}, which must be of this decoder's type, without its timestamp.
   *
   * @throws IllegalArgumentException if a parameter does not match the declaration (the message
   *     names the aggregate, event and field)
   */
  E event(Event event);
}
