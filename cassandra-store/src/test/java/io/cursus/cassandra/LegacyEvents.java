package io.cursus.cassandra;

import io.cursus.api.HandlesEventsFor;
import io.cursus.api.StreamTimestamp;
import java.util.UUID;

/**
 * A type of its own for tests that write rows by hand, so replays of other types never see them.
 */
@HandlesEventsFor(LegacyEvents.TYPE)
interface LegacyEvents {
  String TYPE = "cursus-legacy";

  void moved(StreamTimestamp ts, UUID id, String location, int sequence);
}
