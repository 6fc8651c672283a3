package io.cursus.reliability;

import io.cursus.api.HandlesEventsFor;
import io.cursus.api.Initial;
import io.cursus.api.StreamTimestamp;
import java.time.Instant;
import java.util.UUID;

/** Declarations that break a rule, for R8. */
final class BadDeclarations {
  private BadDeclarations() {}

  /** The first parameter must be a StreamTimestamp. */
  @HandlesEventsFor("parcel")
  interface InstantFirst {
    @Initial
    void receivedAtDepot(Instant at, UUID parcelId, String depotId);
  }

  /** An aggregate id with a String id, to emit an empty one. */
  @HandlesEventsFor("account")
  interface AccountEvents {
    @Initial
    void opened(StreamTimestamp ts, String accountId, String owner);
  }
}
