package io.cursus.api.mapping;

/**
 * An event declaration, or a state class, breaks a mapping rule. The message names the class, the
 * method or member, and the rule: {@code ParcelEvents.delivered: first parameter must be
 * StreamTimestamp, was Instant}.
 *
 * <p>Thrown when a declaration is first mapped, never later when an event is emitted.
 */
public final class DeclarationException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public DeclarationException(String message) {
    super(message);
  }
}
