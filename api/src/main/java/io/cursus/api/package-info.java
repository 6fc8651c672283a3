/**
 * The Cursus model: {@link io.cursus.api.Event events} about {@link io.cursus.api.AggregateId
 * aggregates}, placed in time by {@link io.cursus.api.StreamTimestamp stream timestamps}, and the
 * annotations that declare events ({@link io.cursus.api.HandlesEventsFor}, {@link
 * io.cursus.api.Initial}, {@link io.cursus.api.Terminal}, {@link io.cursus.api.Name}, {@link
 * io.cursus.api.Version}).
 *
 * <p>Declarations become events through {@link io.cursus.api.mapping}; events are emitted through
 * {@link io.cursus.api.bus}, read through {@link io.cursus.api.store}, and kept by default in
 * memory by {@link io.cursus.api.memory}.
 */
@NullMarked
package io.cursus.api;

import org.jspecify.annotations.NullMarked;
