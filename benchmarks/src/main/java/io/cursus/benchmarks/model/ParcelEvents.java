package io.cursus.benchmarks.model;

import io.cursus.api.HandlesEventsFor;
import io.cursus.api.Initial;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.Terminal;

/** The parcel events as a Java event interface (emitted through a dynamic proxy). */
@HandlesEventsFor(Parcels.TYPE)
public interface ParcelEvents {
  @Initial
  void receivedAtDepot(StreamTimestamp ts, String parcelId, String depotId);

  void loadedOntoTruck(StreamTimestamp ts, String parcelId, String truckId);

  void arrivedAtDepot(StreamTimestamp ts, String parcelId, String depotId);

  @Terminal
  void delivered(StreamTimestamp ts, String parcelId, String destinationId);
}
