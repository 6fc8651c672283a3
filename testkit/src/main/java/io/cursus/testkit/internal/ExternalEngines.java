package io.cursus.testkit.internal;

/** What handles of engines the user runs share; the testkit neither starts nor stops them. */
public final class ExternalEngines {
  private ExternalEngines() {}

  /** The exception of a fault handle called on an engine the user supplied. */
  public static UnsupportedOperationException noFaults(String what) {
    return new UnsupportedOperationException(
        what
            + " was supplied by the user (CURSUS_CASSANDRA / CURSUS_KAFKA), so the testkit cannot"
            + " stop, kill or start it; fault tests need an engine the testkit started (unset the"
            + " variable, or use the builder)");
  }
}
