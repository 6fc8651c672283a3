package io.cursus.kotlin.internal

import io.cursus.api.HandlesEventsFor
import io.cursus.api.Name
import io.cursus.api.mapping.DeclarationException
import io.cursus.api.mapping.EventHandlingException
import io.cursus.api.mapping.spi.EventFamilyIntrospector
import io.cursus.api.mapping.spi.EventShape
import java.lang.reflect.AccessibleObject
import java.lang.reflect.Constructor
import java.lang.reflect.Field
import java.lang.reflect.InvocationTargetException
import java.lang.reflect.Method
import java.lang.reflect.Parameter
import java.util.Optional
import kotlin.reflect.KClass
import kotlin.reflect.KProperty1
import kotlin.reflect.full.findAnnotation
import kotlin.reflect.full.memberProperties
import kotlin.reflect.full.primaryConstructor
import kotlin.reflect.full.valueParameters
import kotlin.reflect.jvm.javaConstructor
import kotlin.reflect.jvm.javaField
import kotlin.reflect.jvm.javaGetter
import kotlin.reflect.jvm.kotlinFunction

/**
 * Teaches the mapping core Kotlin event families: a sealed class or sealed interface whose leaf
 * subclasses (data classes, classes whose primary constructor parameters are all properties, and
 * objects) are the events. Found by [java.util.ServiceLoader]; it only describes classes, and the
 * core checks every rule on names, annotations and parameter types.
 *
 * Thread-safe: shapes of value classes are cached per class, everything else is computed on demand
 * (the core caches the declarations it maps).
 */
public class KotlinFamilyIntrospector : EventFamilyIntrospector {

  /**
   * Every Kotlin class that is not a plain interface: sealed classes and interfaces are families,
   * and other classes are accepted only so that [members] can say why they are not one.
   */
  override fun accepts(root: Class<*>): Boolean =
    isKotlin(root) && (!root.isInterface || root.kotlin.isSealed)

  override fun members(root: Class<*>): List<Class<*>> {
    val family = root.kotlin
    if (!family.isSealed) {
      throw DeclarationException(
        "${nameOf(root)}: a Kotlin event family must be a sealed class or sealed interface, so" +
          " that all its events are known; it is ${kindOf(family)}"
      )
    }
    val leaves = LinkedHashSet<Class<*>>()
    collectLeaves(family, leaves)
    if (leaves.isEmpty()) {
      throw DeclarationException(
        "${nameOf(root)}: a sealed event family needs at least one subclass that is an event;" +
          " it has none"
      )
    }
    return leaves.toList()
  }

  override fun shape(member: Class<*>): EventShape = shapeOf(member.kotlin)

  override fun valueShape(type: Class<*>): Optional<EventShape> = VALUE_SHAPES.get(type)

  /**
   * Whether [parameter], of a method of a Kotlin event interface, has a nullable type (`String?`):
   * Kotlin marks it with an annotation not kept at run time, so the core cannot see it.
   */
  override fun nullable(parameter: Parameter): Boolean {
    val method = parameter.declaringExecutable as? Method ?: return false
    if (!isKotlin(method.declaringClass)) {
      return false
    }
    val function = method.kotlinFunction ?: return false
    val index = method.parameters.indexOf(parameter)
    return function.valueParameters.getOrNull(index)?.type?.isMarkedNullable ?: false
  }

  private fun collectLeaves(type: KClass<*>, leaves: MutableSet<Class<*>>) {
    for (subclass in type.sealedSubclasses) {
      if (subclass.isSealed) {
        collectLeaves(subclass, leaves)
      } else {
        leaves.add(subclass.java)
      }
    }
  }

  private companion object {
    private const val CLASS_RULE =
      "an event must be an object, or a class whose primary constructor parameters are all" +
        " properties (val)"

    val VALUE_SHAPES =
      object : ClassValue<Optional<EventShape>>() {
        override fun computeValue(type: Class<*>): Optional<EventShape> =
          if (isKotlin(type) && !type.isInterface && type.kotlin.isData) {
            Optional.of(shapeOf(type.kotlin))
          } else {
            Optional.empty()
          }
      }

    fun isKotlin(type: Class<*>): Boolean = type.isAnnotationPresent(Metadata::class.java)

    fun shapeOf(type: KClass<*>): EventShape {
      val where = whereOf(type.java)
      val instance = type.objectInstance
      if (instance != null) {
        return EventShape(emptyList()) { instance }
      }
      val problem =
        when {
          type.java.isEnum -> "it is an enum class; declare an object per constant instead"
          type.java.isInterface ->
            "it is an interface that is not sealed, so its events are unknown"
          type.isAbstract -> "it is an abstract class that is not sealed, so its events are unknown"
          type.isInner -> "it is an inner class; make it a nested class (drop `inner`)"
          type.primaryConstructor == null -> "it has no primary constructor"
          else -> null
        }
      if (problem != null) {
        throw DeclarationException("$where: $CLASS_RULE; $problem")
      }
      val constructor = type.primaryConstructor!!
      val properties = type.memberProperties.associateBy { it.name }
      val shape =
        constructor.parameters.map { parameter ->
          val property = properties[parameter.name]
          if (property == null || property.returnType != parameter.type) {
            throw DeclarationException(
              "$where: $CLASS_RULE; constructor parameter '${parameter.name}' is not a property"
            )
          }
          val name = parameter.findAnnotation<Name>()?.value ?: parameter.name!!
          if (name.isBlank()) {
            throw DeclarationException("$where: @Name of parameter '${parameter.name}' is blank")
          }
          EventShape.Property(
            name,
            javaTypeOf(parameter.type),
            parameter.type.isMarkedNullable,
            getter(where, property),
          )
        }
      val javaConstructor: Constructor<*> =
        constructor.javaConstructor
          ?: throw DeclarationException("$where: $CLASS_RULE; its constructor is not callable")
      javaConstructor.trySetAccessible()
      return EventShape(shape) { args -> construct(where, javaConstructor, args) }
    }

    private fun getter(where: String, property: KProperty1<out Any, *>): (Any) -> Any? {
      val method: Method? = property.javaGetter
      val field: Field? = property.javaField
      val accessor: AccessibleObject =
        method
          ?: field
          ?: throw DeclarationException(
            "$where: $CLASS_RULE; property '${property.name}' cannot be read"
          )
      accessor.trySetAccessible()
      return if (method != null) {
        { instance -> invoke(where, property.name, method, instance) }
      } else {
        { instance -> field!!.get(instance) }
      }
    }

    private fun invoke(where: String, name: String, getter: Method, instance: Any): Any? =
      try {
        getter.invoke(instance)
      } catch (e: InvocationTargetException) {
        throw rethrow(e, "$where: reading '$name'")
      }

    private fun construct(where: String, constructor: Constructor<*>, args: Array<Any?>): Any =
      try {
        constructor.newInstance(*args)
      } catch (e: InvocationTargetException) {
        throw rethrow(e, "$where: building the event")
      }

    private fun rethrow(e: InvocationTargetException, doing: String): Throwable =
      when (val cause = e.cause) {
        is RuntimeException,
        is Error -> cause
        else -> EventHandlingException("$doing threw $cause", cause)
      }

    /** The root class's name, as the core names a declaration in its messages. */
    fun nameOf(type: Class<*>): String = type.name

    /**
     * `Family.Member` for an event, as the core names members in its messages; the simple name for
     * a value class.
     */
    fun whereOf(type: Class<*>): String {
      val queue = ArrayDeque<Class<*>>(listOf(type))
      while (queue.isNotEmpty()) {
        val next = queue.removeFirst()
        if (next.isAnnotationPresent(HandlesEventsFor::class.java)) {
          return if (next == type) type.simpleName else "${next.simpleName}.${type.simpleName}"
        }
        next.superclass?.let(queue::addLast)
        queue.addAll(next.interfaces)
      }
      return type.simpleName
    }

    private fun kindOf(type: KClass<*>): String =
      when {
        type.java.isEnum -> "an enum class"
        type.objectInstance != null -> "an object"
        type.isData -> "a data class"
        type.isAbstract -> "an abstract class"
        type.isOpen -> "an open class"
        else -> "a final class"
      }
  }
}
