package io.cursus.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the aggregate type of an event declaration: a Java interface whose methods are events, a
 * sealed interface whose permitted records are events, a Kotlin sealed class, or a state class.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface HandlesEventsFor {
  /** The aggregate type, such as {@code "parcel"}. */
  String value();
}
