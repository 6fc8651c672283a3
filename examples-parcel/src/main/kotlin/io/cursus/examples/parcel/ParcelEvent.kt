package io.cursus.examples.parcel

import io.cursus.api.HandlesEventsFor
import io.cursus.api.Initial
import io.cursus.api.Name
import io.cursus.api.Terminal
import io.cursus.api.Version

/**
 * The parcel events as trucks see them, declared as a Kotlin sealed class: the same events as
 * [ParcelEvents].
 */
@HandlesEventsFor("parcel")
sealed class ParcelEvent {
  @Initial data class ReceivedAtDepot(@Name("location") val depotId: String) : ParcelEvent()

  data class LoadedOntoTruck(@Name("location") val truckId: String) : ParcelEvent()

  data class ArrivedAtDepot(@Name("location") val depotId: String) : ParcelEvent()

  /** Version 2: who signed for the delivery (see [ParcelEvents.delivered]). */
  @Terminal
  @Version("2")
  data class Delivered(@Name("location") val destination: String, val signedBy: String) :
    ParcelEvent()

  @Terminal data class DeliveryFailed(val reason: String) : ParcelEvent()

  data class Redirected(val destination: String) : ParcelEvent()
}
