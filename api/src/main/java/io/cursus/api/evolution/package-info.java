/**
 * Schema evolution: upcasters that read events stored under an older declaration as the current
 * one.
 *
 * <p>An {@link io.cursus.api.evolution.Upcasters} registry holds the steps that take an event from
 * version {@code n} to {@code n + 1}, keyed by aggregate type, event name and version, and is
 * checked against the current declarations when it is built. Stores apply it on every read, through
 * {@link io.cursus.api.mapping.EventTypeRegistry#withUpcasters} (stores that read stored text) or
 * {@link io.cursus.api.evolution.Upcasters#applyTo} (stores that hold events, and projections). The
 * extension point is {@link io.cursus.api.evolution.Upcaster}. A migration (the Cassandra store's
 * {@code migration}, the in-memory store's {@code migrate}) rewrites stored events to the newest
 * versions in place and reports a {@link io.cursus.api.evolution.MigrationProgress}.
 */
@NullMarked
package io.cursus.api.evolution;

import org.jspecify.annotations.NullMarked;
