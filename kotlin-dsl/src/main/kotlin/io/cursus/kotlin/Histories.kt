package io.cursus.kotlin

import io.cursus.api.AggregateId
import io.cursus.api.Timestamped
import io.cursus.api.internal.AggregateIds
import io.cursus.api.mapping.EventCodec
import io.cursus.api.store.EventSource
import io.cursus.api.store.HistoryOrder
import io.cursus.api.store.HistoryQuery
import io.cursus.api.store.TimeRange
import java.time.Instant
import java.util.UUID

/**
 * The history of aggregate [id] as typed events of the family [E], in event-time order ([order])
 * whatever order they arrived in: the events within [range], as known at the processing time
 * [knownAt] (now, if null). Events of the aggregate that [E] does not declare are left out.
 *
 * `val history: List<Timestamped<ParcelEvent>> = eventSource.history<ParcelEvent>(parcelId)`
 */
public inline fun <reified E : Any> EventSource.history(
  id: UUID,
  range: TimeRange = TimeRange.all(),
  order: HistoryOrder = HistoryOrder.ASCENDING,
  knownAt: Instant? = null,
): List<Timestamped<E>> = typedHistory(codec<E>(), aggregateOf<E>(id), range, order, knownAt)

/** As [history] for aggregates with String ids. */
public inline fun <reified E : Any> EventSource.history(
  id: String,
  range: TimeRange = TimeRange.all(),
  order: HistoryOrder = HistoryOrder.ASCENDING,
  knownAt: Instant? = null,
): List<Timestamped<E>> = typedHistory(codec<E>(), aggregateOf<E>(id), range, order, knownAt)

/** As [history] for aggregates with Long or Int ids. */
public inline fun <reified E : Any> EventSource.history(
  id: Long,
  range: TimeRange = TimeRange.all(),
  order: HistoryOrder = HistoryOrder.ASCENDING,
  knownAt: Instant? = null,
): List<Timestamped<E>> = typedHistory(codec<E>(), aggregateOf<E>(id), range, order, knownAt)

/**
 * Passes the events of aggregate [id] that [E] declares to [handler], one at a time in [order],
 * without loading the whole history first. With a sealed family, `when (val e = it.event)` over its
 * subclasses is exhaustive, so the compiler points out an event the handler forgot.
 */
public inline fun <reified E : Any> EventSource.replay(
  id: UUID,
  range: TimeRange = TimeRange.all(),
  order: HistoryOrder = HistoryOrder.ASCENDING,
  knownAt: Instant? = null,
  noinline handler: (Timestamped<E>) -> Unit,
): Unit = typedReplay(codec<E>(), aggregateOf<E>(id), historyQuery(range, order, knownAt), handler)

/** As [replay] for aggregates with String ids. */
public inline fun <reified E : Any> EventSource.replay(
  id: String,
  range: TimeRange = TimeRange.all(),
  order: HistoryOrder = HistoryOrder.ASCENDING,
  knownAt: Instant? = null,
  noinline handler: (Timestamped<E>) -> Unit,
): Unit = typedReplay(codec<E>(), aggregateOf<E>(id), historyQuery(range, order, knownAt), handler)

/** As [replay] for aggregates with Long or Int ids. */
public inline fun <reified E : Any> EventSource.replay(
  id: Long,
  range: TimeRange = TimeRange.all(),
  order: HistoryOrder = HistoryOrder.ASCENDING,
  knownAt: Instant? = null,
  noinline handler: (Timestamped<E>) -> Unit,
): Unit = typedReplay(codec<E>(), aggregateOf<E>(id), historyQuery(range, order, knownAt), handler)

/** The aggregate [id] of the family [E]'s aggregate type. */
@PublishedApi
internal inline fun <reified E : Any> aggregateOf(id: Any): AggregateId =
  AggregateIds.of(codec<E>().aggregateType(), id)

@PublishedApi
internal fun <E : Any> EventSource.typedHistory(
  codec: EventCodec<E>,
  aggregate: AggregateId,
  range: TimeRange,
  order: HistoryOrder,
  knownAt: Instant?,
): List<Timestamped<E>> = codec.decodeAll(history(aggregate, historyQuery(range, order, knownAt)))

@PublishedApi
internal fun <E : Any> EventSource.typedReplay(
  codec: EventCodec<E>,
  aggregate: AggregateId,
  query: HistoryQuery,
  handler: (Timestamped<E>) -> Unit,
) {
  read(aggregate, query).use { events ->
    for (event in events.iterator()) {
      val typed = codec.decode(event).orElse(null)
      if (typed != null) {
        handler(typed)
      }
    }
  }
}

/** The [HistoryQuery] for the arguments of [history] and [replay]. */
public fun historyQuery(
  range: TimeRange = TimeRange.all(),
  order: HistoryOrder = HistoryOrder.ASCENDING,
  knownAt: Instant? = null,
): HistoryQuery {
  val query = HistoryQuery.within(range).withOrder(order)
  return if (knownAt == null) query else query.asKnownAt(knownAt)
}
