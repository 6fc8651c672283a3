package io.cursus.kotlin

import io.cursus.api.Timestamped
import io.cursus.api.bus.EventBus
import io.cursus.api.mapping.EventCodec
import io.cursus.api.mapping.EventMapper
import java.util.UUID

/**
 * Dispatches [events] of aggregate [id] as one batch: all of them reach the bus's channel in one
 * call, or, if one cannot be mapped (a class of no event family, a blank id), none does.
 *
 * `eventBus.dispatchTo(parcelId, ReceivedAtDepot("Lewisham") at start, LoadedOntoTruck("J98 257")
 * at start + 2.days)`
 */
public fun EventBus.dispatchTo(id: UUID, vararg events: Timestamped<out Any>) {
  dispatchTo(id, events.asList())
}

/** As [dispatchTo] for aggregates with String ids. */
public fun EventBus.dispatchTo(id: String, vararg events: Timestamped<out Any>) {
  dispatchTo(id, events.asList())
}

/** As [dispatchTo] for aggregates with Long or Int ids. */
public fun EventBus.dispatchTo(id: Long, vararg events: Timestamped<out Any>) {
  dispatchTo(id, events.asList())
}

/** Adds [events] of aggregate [id] to this batch (see [EventBus.batch]). */
public fun EventBus.Batch.dispatchTo(id: UUID, vararg events: Timestamped<out Any>) {
  dispatchTo(id, events.asList())
}

/** As [dispatchTo] for aggregates with String ids. */
public fun EventBus.Batch.dispatchTo(id: String, vararg events: Timestamped<out Any>) {
  dispatchTo(id, events.asList())
}

/** As [dispatchTo] for aggregates with Long or Int ids. */
public fun EventBus.Batch.dispatchTo(id: Long, vararg events: Timestamped<out Any>) {
  dispatchTo(id, events.asList())
}

/** An emitter of the event interface [T] whose every call dispatches one event. */
public inline fun <reified T : Any> EventBus.emitter(): T = emitter(T::class.java)

/** The codec of the event family [E]; fails with a DeclarationException if [E] breaks a rule. */
public inline fun <reified E : Any> codec(): EventCodec<E> = EventMapper.codec(E::class.java)
