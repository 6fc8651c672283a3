/**
 * Conformance suites every store implementation must pass: extend {@link
 * io.cursus.conformance.EventStoreConformance} (event log, source, catalogue) and {@link
 * io.cursus.conformance.EventIndexConformance} (latest-value index) and {@link
 * io.cursus.conformance.ConditionalAppendConformance} (conditional appends, consistency tokens,
 * reading one's own writes) in a JUnit 5 test and supply the store. The in-memory store and the
 * Cassandra store pass them unchanged.
 *
 * <p>The suites write fresh aggregate ids in every test, so one store instance (one keyspace) can
 * be shared by all tests of a run.
 *
 * <p>The artifact {@code cursus-conformance} depends only on {@code cursus-api}, the JUnit 5 API
 * and AssertJ, all at compile scope: add it with test scope to a store's build.
 */
@NullMarked
package io.cursus.conformance;

import org.jspecify.annotations.NullMarked;
