package io.cursus.kotlin

import io.cursus.api.HandlesEventsFor
import io.cursus.api.Initial
import io.cursus.api.Terminal

// docs:declare
@HandlesEventsFor("parcel")
sealed class ParcelEvent {
  @Initial data class ReceivedAtDepot(val depotId: String) : ParcelEvent()

  data class LoadedOntoTruck(val truckId: String) : ParcelEvent()

  data class ArrivedAtDepot(val depotId: String) : ParcelEvent()

  @Terminal data class Delivered(val destinationId: String) : ParcelEvent()

  @Terminal data object DeliveryFailed : ParcelEvent()
}
// docs:end
