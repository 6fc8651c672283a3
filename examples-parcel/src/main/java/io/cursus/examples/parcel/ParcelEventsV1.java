package io.cursus.examples.parcel;

import io.cursus.api.HandlesEventsFor;
import io.cursus.api.Initial;
import io.cursus.api.Name;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.Terminal;
import java.util.UUID;

/**
 * The parcel events as an older depot app still declares them: {@code delivered} at version 1,
 * without the signature version 2 added. Its deliveries are stored as {@code parcel/delivered_1}
 * and read as version 2 through the upcaster of {@link ParcelTrackingDemo#REGISTRY}.
 */
@HandlesEventsFor("parcel")
public interface ParcelEventsV1 {

  @Initial
  void receivedAtDepot(StreamTimestamp ts, UUID parcelId, @Name("location") String depotId);

  @Terminal
  void delivered(StreamTimestamp ts, UUID parcelId, @Name("location") String destination);
}
