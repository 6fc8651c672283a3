package io.cursus.benchmarks.kotlin

import io.cursus.api.Event
import io.cursus.api.HandlesEventsFor
import io.cursus.api.Initial
import io.cursus.api.StreamTimestamp
import io.cursus.api.Terminal
import io.cursus.api.bus.EventBus
import io.cursus.kotlin.at
import io.cursus.kotlin.dispatchTo

/** The parcel events as a Kotlin sealed class, for the Kotlin emit benchmark (B5). */
@HandlesEventsFor("parcel")
sealed class KotlinParcelEvent {
  @Initial data class ReceivedAtDepot(val depotId: String) : KotlinParcelEvent()

  data class LoadedOntoTruck(val truckId: String) : KotlinParcelEvent()

  data class ArrivedAtDepot(val depotId: String) : KotlinParcelEvent()

  @Terminal data class Delivered(val destinationId: String) : KotlinParcelEvent()
}

/** Emits one event the way Kotlin code does: `bus.dispatchTo(id, LoadedOntoTruck(truck) at ts)`. */
object KotlinEmit {
  @JvmStatic
  fun loadedOntoTruck(bus: EventBus, parcelId: String, at: StreamTimestamp, truckId: String) {
    bus.dispatchTo(parcelId, KotlinParcelEvent.LoadedOntoTruck(truckId) at at)
  }

  /** The events the Kotlin idiom produces, for checking that the benchmark does the same work. */
  @JvmStatic
  fun captureOne(parcelId: String, at: StreamTimestamp, truckId: String): List<Event> {
    val out = ArrayList<Event>()
    loadedOntoTruck(EventBus.to { out.addAll(it) }, parcelId, at, truckId)
    return out
  }
}
