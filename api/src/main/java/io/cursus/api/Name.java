package io.cursus.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Overrides a name: on an event method or type, the event's name (default: the method name, or the
 * type's simple name with its first letter in lower case); on a parameter, the parameter's name
 * (default: the compiled name, which needs {@code javac -parameters}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE, ElementType.PARAMETER})
public @interface Name {
  String value();
}
