package io.cursus.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean as a Cursus handler: it implements one or more event interfaces (annotated {@code
 * HandlesEventsFor}) and is called, after an event is stored and indexed, for each event those
 * interfaces declare. The bean must also be a bean (a {@code @Component} found by scanning, or a
 * {@code @Bean}). A handler that throws makes the emit fail (embedded pipeline), after the event
 * was stored.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface CursusHandler {}
