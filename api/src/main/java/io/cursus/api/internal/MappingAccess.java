package io.cursus.api.internal;

import static java.util.Objects.requireNonNull;

import io.cursus.api.EventType;
import io.cursus.api.mapping.EventCodec;
import io.cursus.api.mapping.EventDeclaration;
import java.util.Optional;

/**
 * Reaches the mapping core's per-type readers and decoders from the api's other packages (state),
 * without making them public API. The mapping package installs its side when {@link
 * EventDeclaration} is initialised, which has happened by the time anyone holds a declaration or
 * codec to ask about. Not public API.
 */
public final class MappingAccess {

  /** What the mapping package provides. */
  public interface Provider {
    Optional<EventReader> reader(EventDeclaration declaration, EventType type);

    <E> Optional<EventDecoder<E>> decoder(EventCodec<E> codec, EventType type);
  }

  private static volatile Provider provider;

  private MappingAccess() {}

  /** Called once by the mapping package. */
  public static void install(Provider mapping) {
    provider = requireNonNull(mapping, "mapping must not be null");
  }

  /** The reader of events of {@code type}; empty if {@code declaration} does not declare it. */
  public static Optional<EventReader> reader(EventDeclaration declaration, EventType type) {
    return provider().reader(declaration, type);
  }

  /** The decoder of events of {@code type}; empty if {@code codec}'s family does not declare it. */
  public static <E> Optional<EventDecoder<E>> decoder(EventCodec<E> codec, EventType type) {
    return provider().decoder(codec, type);
  }

  private static Provider provider() {
    Provider installed = provider;
    if (installed == null) {
      throw new IllegalStateException("the mapping core has not been initialised");
    }
    return installed;
  }
}
