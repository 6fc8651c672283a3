package io.cursus.benchmarks.model;

import io.cursus.api.HandlesEventsFor;
import io.cursus.api.Initial;
import io.cursus.api.Terminal;

/** The same parcel events as a sealed interface of records. */
@HandlesEventsFor(Parcels.TYPE)
public sealed interface ParcelEvent {
  @Initial
  record ReceivedAtDepot(String depotId) implements ParcelEvent {}

  record LoadedOntoTruck(String truckId) implements ParcelEvent {}

  record ArrivedAtDepot(String depotId) implements ParcelEvent {}

  @Terminal
  record Delivered(String destinationId) implements ParcelEvent {}
}
