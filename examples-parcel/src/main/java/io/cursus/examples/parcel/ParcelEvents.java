package io.cursus.examples.parcel;

import io.cursus.api.HandlesEventsFor;
import io.cursus.api.Initial;
import io.cursus.api.Name;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.Terminal;
import java.util.UUID;

/**
 * The parcel events as depots see them, declared as a Java interface. The Kotlin sealed class
 * {@code ParcelEvent} declares the same events; each reads what the other writes.
 *
 * <p>Every movement names the place as the parameter {@code location}, so the index can answer
 * "which parcels are now at depot X or on truck Y" from the latest location of each parcel.
 */
@HandlesEventsFor("parcel")
public interface ParcelEvents {

  @Initial
  void receivedAtDepot(StreamTimestamp ts, UUID parcelId, @Name("location") String depotId);

  void loadedOntoTruck(StreamTimestamp ts, UUID parcelId, @Name("location") String truckId);

  void arrivedAtDepot(StreamTimestamp ts, UUID parcelId, @Name("location") String depotId);

  @Terminal
  void delivered(StreamTimestamp ts, UUID parcelId, @Name("location") String destination);

  /** A decision, not a report: the sender asked to send the parcel elsewhere (see Redirects). */
  void redirected(StreamTimestamp ts, UUID parcelId, String destination);

  @Terminal
  void deliveryFailed(StreamTimestamp ts, UUID parcelId, String reason);
}
