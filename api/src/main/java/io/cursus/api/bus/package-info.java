/**
 * Emitting events: {@link io.cursus.api.bus.EventBus} stamps processing ids and hands events, one
 * or a batch at a time, to a channel ({@code Consumer<List<Event>>}): a store, which {@link
 * io.cursus.api.bus.EventBus#writingTo} validates each event for, or a middleware pipeline, which
 * validates them itself.
 */
@NullMarked
package io.cursus.api.bus;

import org.jspecify.annotations.NullMarked;
