package io.cursus.kotlin.internal

import java.lang.reflect.ParameterizedType
import java.lang.reflect.Type
import java.lang.reflect.WildcardType
import kotlin.reflect.KClass
import kotlin.reflect.KType
import kotlin.reflect.KTypeProjection
import kotlin.reflect.KVariance
import kotlin.reflect.jvm.javaType

/**
 * The Java type a Kotlin property type stands for, as javac would have written it for the same
 * declaration in Java: `Int` is `int` and `Int?` is `Integer`; `List<Int>` is
 * `java.util.List<Integer>` with no wildcard (where [javaType] would give `List<? extends Integer>`
 * for the declaration-site variance of Kotlin's read-only collections). Only use-site projections
 * (`List<out T>`, `List<*>`) become wildcards, which the mapping core then rejects with its own
 * message.
 */
internal fun javaTypeOf(type: KType, inTypeArgument: Boolean = false): Type {
  val classifier = type.classifier
  if (classifier !is KClass<*>) {
    return type.javaType // a type parameter: the core rejects it, naming the variable
  }
  val raw: Class<*> =
    if (inTypeArgument || type.isMarkedNullable) classifier.javaObjectType else classifier.java
  if (type.arguments.isEmpty() || raw.isArray) {
    return if (raw.isArray) type.javaType else raw
  }
  return JavaParameterizedType(raw, raw.declaringClass, type.arguments.map(::javaTypeOf))
}

private fun javaTypeOf(projection: KTypeProjection): Type {
  val type = projection.type ?: return JavaWildcardType(arrayOf(Any::class.java), emptyArray())
  val argument = javaTypeOf(type, inTypeArgument = true)
  return when (projection.variance) {
    KVariance.OUT -> JavaWildcardType(arrayOf(argument), emptyArray())
    KVariance.IN -> JavaWildcardType(arrayOf(Any::class.java), arrayOf(argument))
    else -> argument
  }
}

/**
 * A parameterized type equal to (and hashing like) the JDK's for the same owner, raw type and
 * arguments.
 */
internal class JavaParameterizedType(
  private val raw: Class<*>,
  private val owner: Type?,
  arguments: List<Type>,
) : ParameterizedType {
  private val arguments: Array<Type> = arguments.toTypedArray()

  override fun getActualTypeArguments(): Array<Type> = arguments.clone()

  override fun getRawType(): Type = raw

  override fun getOwnerType(): Type? = owner

  override fun equals(other: Any?): Boolean =
    other is ParameterizedType &&
      owner == other.ownerType &&
      raw == other.rawType &&
      arguments.contentEquals(other.actualTypeArguments)

  override fun hashCode(): Int = arguments.contentHashCode() xor owner.hashCode() xor raw.hashCode()

  override fun toString(): String =
    raw.name + arguments.joinToString(", ", "<", ">") { it.typeName }
}

/** A wildcard type equal to (and hashing like) the JDK's for the same bounds. */
internal class JavaWildcardType(private val upper: Array<Type>, private val lower: Array<Type>) :
  WildcardType {
  override fun getUpperBounds(): Array<Type> = upper.clone()

  override fun getLowerBounds(): Array<Type> = lower.clone()

  override fun equals(other: Any?): Boolean =
    other is WildcardType &&
      upper.contentEquals(other.upperBounds) &&
      lower.contentEquals(other.lowerBounds)

  override fun hashCode(): Int = upper.contentHashCode() xor lower.contentHashCode()

  override fun toString(): String =
    when {
      lower.isNotEmpty() -> "? super " + lower[0].typeName
      upper.isEmpty() || upper[0] == Any::class.java -> "?"
      else -> "? extends " + upper[0].typeName
    }
}
