/**
 * Conformance suites every store implementation must pass: extend {@link
 * io.cursus.testkit.conformance.EventStoreConformance} (event log, source, catalogue) and {@link
 * io.cursus.testkit.conformance.EventIndexConformance} (latest-value index) in a JUnit 5 test and
 * supply the store. The in-memory store and the Cassandra store pass them unchanged.
 *
 * <p>The suites write fresh aggregate ids in every test, so one store instance (one keyspace) can
 * be shared by all tests of a run.
 */
@NullMarked
package io.cursus.testkit.conformance;

import org.jspecify.annotations.NullMarked;
