package io.cursus.api.mapping;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;

/**
 * Whether a Java declaration allows null: it carries an annotation named {@code Nullable}, from
 * whichever library (JSpecify, Jakarta, JSR 305, Spring, Checker Framework, or the application's
 * own), as long as it is kept at run time. A declaration annotation or a type annotation both
 * count.
 */
final class Nullness {

  static final String ANNOTATION = "Nullable";

  private Nullness() {}

  /**
   * Whether the event method parameter {@code parameter} is declared nullable: annotated, or seen
   * nullable by an introspector (a Kotlin interface's {@code String?}).
   */
  static boolean declared(Parameter parameter) {
    return annotated(parameter)
        || annotated(parameter.getAnnotatedType())
        || Introspectors.nullable(parameter);
  }

  /**
   * Whether the record component {@code component} is declared nullable: on the component, its
   * type, or its accessor (where an annotation that may not sit on a component lands).
   */
  static boolean declared(RecordComponent component) {
    Method accessor = component.getAccessor();
    return annotated(component)
        || annotated(component.getAnnotatedType())
        || annotated(accessor)
        || annotated(accessor.getAnnotatedReturnType());
  }

  private static boolean annotated(AnnotatedElement element) {
    return hasNullable(element.getAnnotations());
  }

  private static boolean annotated(AnnotatedType type) {
    return hasNullable(type.getAnnotations());
  }

  private static boolean hasNullable(Annotation[] annotations) {
    for (Annotation annotation : annotations) {
      if (annotation.annotationType().getSimpleName().equals(ANNOTATION)) {
        return true;
      }
    }
    return false;
  }
}
