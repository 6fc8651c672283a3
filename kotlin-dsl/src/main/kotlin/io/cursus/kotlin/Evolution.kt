package io.cursus.kotlin

import io.cursus.api.Event
import io.cursus.api.EventType
import io.cursus.api.Parameters
import io.cursus.api.evolution.Upcasters
import io.cursus.api.mapping.EventTypeRegistry

/**
 * Upcasters declared by aggregate and event, for [EventTypeRegistry.withUpcasters]:
 * ```
 * upcasters {
 *   aggregate("account") {
 *     event("deposited", fromVersion = 1) { rename("amount", to = "pence") }
 *     event("noted", fromVersion = 1) { drop() }
 *   }
 * }
 * ```
 *
 * Each block adds steps to a new [Upcasters.Builder], in order; the steps of one event and version
 * take it to the next version (see [Upcasters]).
 */
public fun upcasters(declare: UpcastersScope.() -> Unit): Upcasters.Builder {
  val builder = Upcasters.builder()
  UpcastersScope(builder).declare()
  return builder
}

/** This registry with the upcasters [declare] declares: [EventTypeRegistry.withUpcasters]. */
public fun EventTypeRegistry.withUpcasters(declare: UpcastersScope.() -> Unit): EventTypeRegistry =
  withUpcasters(upcasters(declare))

/** Where [upcasters] are declared, by aggregate type. */
@UpcasterDsl
public class UpcastersScope internal constructor(private val builder: Upcasters.Builder) {
  /** The steps of the events of aggregate type [type]. */
  public fun aggregate(type: String, declare: AggregateUpcasters.() -> Unit) {
    AggregateUpcasters(builder, type).declare()
  }
}

/** The steps of one aggregate type's events. */
@UpcasterDsl
public class AggregateUpcasters
internal constructor(private val builder: Upcasters.Builder, private val type: String) {
  /** The steps taking event [name] from version [fromVersion] to the next, in order. */
  public fun event(name: String, fromVersion: Int, declare: EventSteps.() -> Unit) {
    EventSteps(builder, type, name, fromVersion).declare()
  }
}

/** The steps taking one event from one version to the next, applied in the order written. */
@UpcasterDsl
public class EventSteps
internal constructor(
  private val builder: Upcasters.Builder,
  private val type: String,
  private val name: String,
  private val version: Int,
) {
  /** The event is called [newName] from the next version. */
  public fun renameTo(newName: String) {
    builder.renameEvent(type, name, version, newName)
  }

  /** Parameter [parameter] is called [to], in place. */
  public fun rename(parameter: String, to: String) {
    builder.renameParameter(type, name, version, parameter, to)
  }

  /** Parameter [parameter] is added last, with [value]. */
  public fun add(parameter: String, value: Any?) {
    builder.addParameter(type, name, version, parameter, value)
  }

  /** Parameter [parameter] is added last, computed from the stored event. */
  public fun compute(parameter: String, value: (Event) -> Any?) {
    builder.addParameter(type, name, version, parameter) { value(it) }
  }

  /** Parameter [parameter] is removed. */
  public fun remove(parameter: String) {
    builder.removeParameter(type, name, version, parameter)
  }

  /** Parameter [parameter]'s stored (plain) value is converted with [conversion]. */
  public fun change(parameter: String, conversion: (Any?) -> Any?) {
    builder.changeParameter(type, name, version, parameter) { conversion(it) }
  }

  /** The event becomes events named [names], with the parameters [parts] gives for each. */
  public fun splitInto(vararg names: String, parts: (Event) -> List<Parameters>) {
    builder.split(type, name, version, names.toList()) { parts(it) }
  }

  /** The event is no longer read. */
  public fun drop() {
    builder.drop(type, name, version)
  }

  /** Any other change; it may produce events named [produces]. */
  public fun step(description: String, vararg produces: String, upcast: (Event) -> List<Event>) {
    builder.step(EventType.of(type, name, version.toString()), description, produces.toSet()) {
      upcast(it)
    }
  }
}

/** Marks the scopes of [upcasters], so that an inner block cannot call an outer one's steps. */
@DslMarker public annotation class UpcasterDsl
