/**
 * Emitting events: {@link io.cursus.api.bus.EventBus} stamps processing ids and hands events, one
 * or a batch at a time, to a channel ({@code Consumer<List<Event>>}): a store, or a middleware
 * pipeline.
 */
@NullMarked
package io.cursus.api.bus;

import org.jspecify.annotations.NullMarked;
