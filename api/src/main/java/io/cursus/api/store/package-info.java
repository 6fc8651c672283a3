/**
 * Small role interfaces a store implements: {@link io.cursus.api.store.EventLog} to write, {@link
 * io.cursus.api.store.EventSource} to read histories, {@link io.cursus.api.store.EventIndex} and
 * {@link io.cursus.api.store.EventIndexer} for "latest value" look-ups, {@link
 * io.cursus.api.store.AggregateCatalogue} to list aggregates. {@link
 * io.cursus.api.store.HistoryQuery} and {@link io.cursus.api.store.TimeRange} say what to read.
 *
 * <p>The in-memory store ({@link io.cursus.api.memory}) and the Cassandra store implement them; the
 * conformance suite in {@code cursus-testkit} checks any implementation.
 */
package io.cursus.api.store;
