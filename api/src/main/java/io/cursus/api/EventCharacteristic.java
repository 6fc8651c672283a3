package io.cursus.api;

/** Flags that say what an event does to the life of its aggregate. */
public enum EventCharacteristic {
  /** The event creates the aggregate; a state class builds its first state from it. */
  INITIAL,
  /** The event ends the aggregate's life. */
  TERMINAL
}
