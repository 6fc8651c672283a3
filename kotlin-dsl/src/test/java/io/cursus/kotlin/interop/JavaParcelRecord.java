package io.cursus.kotlin.interop;

import io.cursus.api.HandlesEventsFor;
import io.cursus.api.Initial;
import io.cursus.api.Terminal;

/** The parcel events as a Java sealed interface of records. */
@HandlesEventsFor("parcel")
public sealed interface JavaParcelRecord {
  @Initial
  record ReceivedAtDepot(String depotId) implements JavaParcelRecord {}

  record LoadedOntoTruck(String truckId) implements JavaParcelRecord {}

  record ArrivedAtDepot(String depotId) implements JavaParcelRecord {}

  @Terminal
  record Delivered(String destinationId) implements JavaParcelRecord {}

  @Terminal
  record DeliveryFailed() implements JavaParcelRecord {}
}
