package io.cursus.reliability;

import io.cursus.api.HandlesEventsFor;
import io.cursus.api.Initial;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.Terminal;
import java.util.UUID;

/** The parcel events of the Concursus talk, the load of every scenario. */
@HandlesEventsFor("parcel")
public interface ParcelEvents {
  @Initial
  void receivedAtDepot(StreamTimestamp ts, UUID parcelId, String depotId);

  void loadedOntoTruck(StreamTimestamp ts, UUID parcelId, String truckId);

  void arrivedAtDepot(StreamTimestamp ts, UUID parcelId, String depotId);

  @Terminal
  void delivered(StreamTimestamp ts, UUID parcelId, String destinationId);
}
