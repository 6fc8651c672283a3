/**
 * Small role interfaces a store implements, and {@link io.cursus.api.store.EventStore} that joins
 * the three a whole store plays: {@link io.cursus.api.store.EventLog} to write, {@link
 * io.cursus.api.store.EventSource} to read histories, {@link io.cursus.api.store.EventIndex} and
 * {@link io.cursus.api.store.EventIndexer} for "latest value" look-ups, {@link
 * io.cursus.api.store.AggregateCatalogue} to list aggregates, {@link
 * io.cursus.api.store.DecisionLog} to append decisions on a condition ({@link
 * io.cursus.api.store.AppendCondition}) against a {@link io.cursus.api.store.ConsistencyToken} and
 * to read one's own writes. {@link io.cursus.api.store.HistoryQuery} and {@link
 * io.cursus.api.store.TimeRange} say what to read.
 *
 * <p>The in-memory store ({@link io.cursus.api.memory}) and the Cassandra store implement them; the
 * conformance suites in {@code cursus-conformance} check any implementation. Every role offers
 * asynchronous variants ({@code appendAsync}, {@code historyAsync}, {@code findAsync}) beside the
 * blocking calls.
 */
@NullMarked
package io.cursus.api.store;

import org.jspecify.annotations.NullMarked;
