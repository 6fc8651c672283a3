/**
 * The embedded default: {@link io.cursus.api.memory.InMemoryEventStore} (event log, source and
 * catalogue) and {@link io.cursus.api.memory.InMemoryEventIndex}, thread-safe and dependency-free,
 * for tests, demos and single-process applications.
 */
@NullMarked
package io.cursus.api.memory;

import org.jspecify.annotations.NullMarked;
