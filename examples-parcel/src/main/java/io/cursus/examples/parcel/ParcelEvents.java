package io.cursus.examples.parcel;

import io.cursus.api.HandlesEventsFor;
import io.cursus.api.Initial;
import io.cursus.api.Name;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.Terminal;
import io.cursus.api.Version;
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

  /**
   * Version 2: a delivery says who signed for it. Deliveries stored by version 1 (declared by
   * {@link ParcelEventsV1}) have no signature; {@link ParcelTrackingDemo#REGISTRY} reads them
   * through an upcaster that adds one.
   */
  @Terminal
  @Version("2")
  void delivered(
      StreamTimestamp ts, UUID parcelId, @Name("location") String destination, String signedBy);

  /** A decision, not a report: the sender asked to send the parcel elsewhere (see Redirects). */
  void redirected(StreamTimestamp ts, UUID parcelId, String destination);

  @Terminal
  void deliveryFailed(StreamTimestamp ts, UUID parcelId, String reason);
}
