package io.cursus.kotlin

import io.cursus.api.Timestamped
import io.cursus.api.projection.Projection
import io.cursus.api.projection.StateHandler
import io.cursus.api.state.StateFold

/**
 * A state projection named [name] over the state class [S], whose methods are named after the
 * events of [D] (an event interface, or a sealed family such as a Kotlin sealed class); see
 * [Projection.states].
 */
public inline fun <reified S : Any, reified D : Any> stateProjection(
  name: String
): Projection.StatesBuilder<S> = Projection.states(name, S::class.java, D::class.java)

/** A state projection named [name] that folds the events of the family [E] with this fold. */
public inline fun <S : Any, reified E : Any> StateFold<S, E>.projection(
  name: String
): Projection.StatesBuilder<S> = Projection.states(name, E::class.java, this)

/**
 * Hands each recomputed state to [handler], with the aggregate id as an [I]: String, UUID, Long,
 * Int or [io.cursus.api.AggregateId].
 */
public inline fun <reified I : Any, S : Any> Projection.StatesBuilder<S>.onState(
  noinline handler: (id: I, state: S) -> Unit
): Projection.StatesBuilder<S> =
  handler(I::class.javaObjectType, StateHandler<I, S> { id, state -> handler(id, state) })

/** Hands each event of the sealed family [E] to [handler], typed; other events are passed over. */
public inline fun <reified E : Any> Projection.EventsBuilder.on(
  noinline handler: (Timestamped<E>) -> Unit
): Projection.EventsBuilder = familyHandler(E::class.java) { handler(it) }
