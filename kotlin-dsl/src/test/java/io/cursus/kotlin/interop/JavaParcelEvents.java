package io.cursus.kotlin.interop;

import io.cursus.api.HandlesEventsFor;
import io.cursus.api.Initial;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.Terminal;
import java.util.UUID;

/** The parcel events as a Java interface: the same event types as the Kotlin sealed class. */
@HandlesEventsFor("parcel")
public interface JavaParcelEvents {
  @Initial
  void receivedAtDepot(StreamTimestamp ts, UUID parcelId, String depotId);

  void loadedOntoTruck(StreamTimestamp ts, UUID parcelId, String truckId);

  void arrivedAtDepot(StreamTimestamp ts, UUID parcelId, String depotId);

  @Terminal
  void delivered(StreamTimestamp ts, UUID parcelId, String destinationId);

  @Terminal
  void deliveryFailed(StreamTimestamp ts, UUID parcelId);
}
