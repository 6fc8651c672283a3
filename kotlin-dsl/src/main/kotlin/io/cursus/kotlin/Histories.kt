package io.cursus.kotlin

import io.cursus.api.AggregateId
import io.cursus.api.Timestamped
import io.cursus.api.store.EventSource
import io.cursus.api.store.HistoryQuery
import io.cursus.api.store.Order
import io.cursus.api.store.TimeRange
import java.time.Instant

/**
 * The history of aggregate [id] as typed events of the family [E], in event-time order ([order])
 * whatever order they arrived in: the events within [range], as known at the processing time
 * [knownAt] (now, if null). Events of the aggregate that [E] does not declare are left out.
 *
 * `val history: List<Timestamped<ParcelEvent>> = eventSource.history<ParcelEvent>(parcelId)`
 */
inline fun <reified E : Any> EventSource.history(
  id: Any,
  range: TimeRange = TimeRange.all(),
  order: Order = Order.ASCENDING,
  knownAt: Instant? = null,
): List<Timestamped<E>> = history(E::class.java, id, historyQuery(range, order, knownAt))

/**
 * Passes the events of aggregate [id] that [E] declares to [handler], one at a time in [order],
 * without loading the whole history first. With a sealed family, `when (val e = it.event)` over its
 * subclasses is exhaustive, so the compiler points out an event the handler forgot.
 */
inline fun <reified E : Any> EventSource.replay(
  id: Any,
  range: TimeRange = TimeRange.all(),
  order: Order = Order.ASCENDING,
  knownAt: Instant? = null,
  handler: (Timestamped<E>) -> Unit,
) {
  val codec = codec<E>()
  read(AggregateId.of(codec.aggregateType(), id), historyQuery(range, order, knownAt)).use { events
    ->
    for (event in events.iterator()) {
      val typed = codec.decode(event).orElse(null)
      if (typed != null) {
        handler(typed)
      }
    }
  }
}

/** The [HistoryQuery] for the arguments of [history] and [replay]. */
fun historyQuery(
  range: TimeRange = TimeRange.all(),
  order: Order = Order.ASCENDING,
  knownAt: Instant? = null,
): HistoryQuery {
  val query = HistoryQuery.within(range).`in`(order)
  return if (knownAt == null) query else query.asKnownAt(knownAt)
}
