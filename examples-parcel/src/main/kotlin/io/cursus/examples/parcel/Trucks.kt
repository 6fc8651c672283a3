package io.cursus.examples.parcel

import io.cursus.api.Event
import io.cursus.api.StreamTimestamp
import io.cursus.api.Timestamped
import io.cursus.kotlin.at
import io.cursus.kotlin.codec
import java.time.Instant
import java.util.UUID

/**
 * What a truck reports, in Kotlin: `Delivered(...) at timestamp`, turned into events through the
 * same mapping core as the depots' Java interface.
 */
class Truck(val truckId: String, private val clockSkewMillis: Long) {
  private val parcels = codec<ParcelEvent>()

  /** The truck's own clock: the true time shifted by its skew. */
  fun clock(trueTime: Instant): StreamTimestamp =
    StreamTimestamp.of(truckId, trueTime.plusMillis(clockSkewMillis))

  fun delivered(parcelId: UUID, destination: String, signedBy: String, trueTime: Instant): Event =
    report(parcelId, ParcelEvent.Delivered(destination, signedBy) at clock(trueTime))

  fun deliveryFailed(parcelId: UUID, reason: String, trueTime: Instant): Event =
    report(parcelId, ParcelEvent.DeliveryFailed(reason) at clock(trueTime))

  private fun report(parcelId: UUID, event: Timestamped<ParcelEvent>): Event =
    parcels.toEvent(parcelId, event)
}
