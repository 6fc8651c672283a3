package io.cursus.kotlin

import io.cursus.api.bus.EventBus
import io.cursus.api.command.Decided
import io.cursus.api.command.Decider
import io.cursus.api.command.Decision
import io.cursus.api.state.StateBuilder
import io.cursus.api.state.StateFold
import io.cursus.api.store.DecisionLog
import java.util.UUID

/**
 * A [Decider] of commands on [store] whose state this builder builds, deciding again after at most
 * [retries] conflicts, and, if [conflictingOnlyWith] names events, conflicting only with those.
 */
public fun <S : Any> StateBuilder<S>.decider(
  store: DecisionLog,
  retries: Int = 3,
  vararg conflictingOnlyWith: String,
): Decider<S> = Decider.of(store, this).configured(retries, conflictingOnlyWith)

/** As [StateBuilder.decider], for a state folded with this [StateFold]. */
public fun <S : Any, E : Any> StateFold<S, E>.decider(
  store: DecisionLog,
  retries: Int = 3,
  vararg conflictingOnlyWith: String,
): Decider<S> = Decider.of(store, this).configured(retries, conflictingOnlyWith)

private fun <S : Any> Decider<S>.configured(
  retries: Int,
  conflictingOnlyWith: Array<out String>,
): Decider<S> {
  val withRetries = retries(retries)
  return if (conflictingOnlyWith.isEmpty()) withRetries
  else
    withRetries.conflictingOnlyWith(
      conflictingOnlyWith.first(),
      *conflictingOnlyWith.drop(1).toTypedArray(),
    )
}

/**
 * Decides on aggregate [id]: [decision] is called on the batch it emits into (`dispatchTo(id,
 * Redirected(to) at now)`, `emitter<ParcelEvents>()`), with the state, or null while the aggregate
 * has no initial event. Throw from it to refuse the command. See [Decider.decide].
 */
public fun <S : Any> Decider<S>.decide(
  id: UUID,
  decision: EventBus.Batch.(state: S?) -> Unit,
): Decided<S> = decide(id, decisionOf(decision))

/** As [decide] for aggregates with String ids. */
public fun <S : Any> Decider<S>.decide(
  id: String,
  decision: EventBus.Batch.(state: S?) -> Unit,
): Decided<S> = decide(id, decisionOf(decision))

/** As [decide] for aggregates with Long or Int ids. */
public fun <S : Any> Decider<S>.decide(
  id: Long,
  decision: EventBus.Batch.(state: S?) -> Unit,
): Decided<S> = decide(id, decisionOf(decision))

private fun <S : Any> decisionOf(decision: EventBus.Batch.(state: S?) -> Unit): Decision<S> =
  Decision { state, out ->
    out.decision(state.orElse(null))
  }

/** An emitter of the event interface [T] whose calls add events to this batch. */
public inline fun <reified T : Any> EventBus.Batch.emitter(): T = emitter(T::class.java)

/** The state the decision was taken from, or null if the aggregate had no initial event. */
public val <S : Any> Decided<S>.stateOrNull: S?
  get() = state().orElse(null)
