/**
 * Replaying histories into state: {@link io.cursus.api.state.StateBuilder} for state classes whose
 * methods are named after events, {@link io.cursus.api.state.StateFold} for pure functions over
 * typed events. Both can build the state as of an earlier event time ("time travel").
 */
@NullMarked
package io.cursus.api.state;

import org.jspecify.annotations.NullMarked;
