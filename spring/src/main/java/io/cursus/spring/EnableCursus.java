package io.cursus.spring;

import io.cursus.spring.internal.CursusConfiguration;
import io.cursus.spring.internal.CursusRegistrar;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Import;

/**
 * Wires Cursus into the application context, from the {@code cursus.*} properties of its
 * environment ({@link CursusProperties}):
 *
 * <pre>{@code
 * @Configuration
 * @EnableCursus(emitters = ParcelEvents.class)
 * class ParcelApplication {}
 *
 * @Component
 * class Tracker {
 *   Tracker(ParcelEvents parcels, EventSource history) { ... }
 * }
 * }</pre>
 *
 * <p>Beans it defines: {@code EventTypeRegistry}, {@code EventStore} (in memory or Cassandra; also
 * an {@code EventSource}, {@code EventLog} and {@code AggregateCatalogue}), {@code EventIndex},
 * {@code IdempotencyFilter} (in memory or Hazelcast), {@code EventBus} (through the embedded or the
 * Kafka pipeline), {@code Projections} (with the in-memory store), {@link CursusProperties}, and
 * one emitter per interface of {@link #emitters()}. Beans annotated {@link CursusHandler} are
 * notified of every stored event once the context has started; {@code Projection} beans are started
 * with it. The Cassandra, Kafka and Hazelcast artifacts are optional dependencies: add those the
 * properties choose. A property error fails the context's refresh, naming the property and the
 * values it allows.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Import({CursusConfiguration.class, CursusRegistrar.class})
public @interface EnableCursus {

  /** Event interfaces to inject as emitters (each also joins the registry). */
  Class<?>[] emitters() default {};

  /**
   * More event declarations for the registry (interfaces, sealed families), for events this
   * application stores or handles but does not emit through an injected emitter.
   */
  Class<?>[] events() default {};
}
