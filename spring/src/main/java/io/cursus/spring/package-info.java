/**
 * Cursus on spring-context: {@link io.cursus.spring.EnableCursus} on a configuration class builds
 * the event type registry, the store, the index and the pipeline from {@code cursus.*} properties
 * ({@link io.cursus.spring.CursusProperties}), makes the listed event interfaces injectable as
 * emitters, registers the beans annotated {@link io.cursus.spring.CursusHandler} as handlers, and
 * starts and stops with the context (a {@code SmartLifecycle}).
 *
 * <p>Extension point for projections: projection beans will be discovered the way handlers are, by
 * an annotation, and started and stopped by the same lifecycle (see docs/spring.md).
 */
@NullMarked
package io.cursus.spring;

import org.jspecify.annotations.NullMarked;
