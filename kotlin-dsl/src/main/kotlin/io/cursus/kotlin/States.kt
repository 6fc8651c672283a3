package io.cursus.kotlin

import io.cursus.api.AggregateId
import io.cursus.api.Timestamped
import io.cursus.api.state.StateFold
import io.cursus.api.store.EventSource
import java.time.Instant
import java.util.UUID

/**
 * A reusable fold of the family [E] into the state [S] from two pure functions: [create] makes the
 * state from the first `@Initial` event, [update] makes the next state from the state and a later
 * event. Events before the first initial event are passed over (the api's [StateFold] rules).
 */
public inline fun <reified E : Any, S : Any> stateFold(
  noinline create: (Timestamped<E>) -> S,
  noinline update: (S, Timestamped<E>) -> S,
): StateFold<S, E> = StateFold.of(E::class.java, create, update)

/**
 * The state after the events of [history] (taken in event-time order) that happened at or before
 * [asOf], or after all of them if [asOf] is null; null if no initial event is among them.
 */
public fun <S : Any, E : Any> StateFold<S, E>.stateOf(
  history: List<Timestamped<E>>,
  asOf: Instant? = null,
): S? {
  val events = if (asOf == null) history else history.filter { !it.eventTime.isAfter(asOf) }
  return fold(events).orElse(null)
}

/**
 * The state of aggregate [id] read from [source]: as of the event time [asOf] (time travel; now if
 * null), from what was known at the processing time [knownAt] (now if null); null if the aggregate
 * has no initial event by then.
 */
public inline fun <S : Any, reified E : Any> StateFold<S, E>.stateOf(
  source: EventSource,
  id: UUID,
  asOf: Instant? = null,
  knownAt: Instant? = null,
): S? = stateOf(source, aggregateOf<E>(id), asOf, knownAt)

/** As [stateOf] for aggregates with String ids. */
public inline fun <S : Any, reified E : Any> StateFold<S, E>.stateOf(
  source: EventSource,
  id: String,
  asOf: Instant? = null,
  knownAt: Instant? = null,
): S? = stateOf(source, aggregateOf<E>(id), asOf, knownAt)

/** As [stateOf] for aggregates with Long or Int ids. */
public inline fun <S : Any, reified E : Any> StateFold<S, E>.stateOf(
  source: EventSource,
  id: Long,
  asOf: Instant? = null,
  knownAt: Instant? = null,
): S? = stateOf(source, aggregateOf<E>(id), asOf, knownAt)

/** The state of [aggregate] read from [source]; see the typed-id overloads. */
public fun <S : Any, E : Any> StateFold<S, E>.stateOf(
  source: EventSource,
  aggregate: AggregateId,
  asOf: Instant? = null,
  knownAt: Instant? = null,
): S? {
  val history = source.history(aggregate, historyQuery(knownAt = knownAt))
  return (if (asOf == null) build(history) else buildAsOf(history, asOf)).orElse(null)
}

/** The state folded from this history with [create] and [update]; see [stateFold] and [stateOf]. */
public inline fun <reified E : Any, S : Any> List<Timestamped<E>>.foldState(
  noinline create: (Timestamped<E>) -> S,
  noinline update: (S, Timestamped<E>) -> S,
  asOf: Instant? = null,
): S? = stateFold(create, update).stateOf(this, asOf)

/** The state of aggregate [id] in this source, folded with [create] and [update]; see [stateOf]. */
public inline fun <reified E : Any, S : Any> EventSource.stateOf(
  id: UUID,
  noinline create: (Timestamped<E>) -> S,
  noinline update: (S, Timestamped<E>) -> S,
  asOf: Instant? = null,
  knownAt: Instant? = null,
): S? = stateFold(create, update).stateOf(this, aggregateOf<E>(id), asOf, knownAt)

/** As [stateOf] for aggregates with String ids. */
public inline fun <reified E : Any, S : Any> EventSource.stateOf(
  id: String,
  noinline create: (Timestamped<E>) -> S,
  noinline update: (S, Timestamped<E>) -> S,
  asOf: Instant? = null,
  knownAt: Instant? = null,
): S? = stateFold(create, update).stateOf(this, aggregateOf<E>(id), asOf, knownAt)

/** As [stateOf] for aggregates with Long or Int ids. */
public inline fun <reified E : Any, S : Any> EventSource.stateOf(
  id: Long,
  noinline create: (Timestamped<E>) -> S,
  noinline update: (S, Timestamped<E>) -> S,
  asOf: Instant? = null,
  knownAt: Instant? = null,
): S? = stateFold(create, update).stateOf(this, aggregateOf<E>(id), asOf, knownAt)
