package io.cursus.api.store;

/**
 * A whole event store: it writes events ({@link EventLog}), reads histories ({@link EventSource})
 * and lists aggregates ({@link AggregateCatalogue}). The in-memory store and the Cassandra store
 * implement it; code that needs only one role should ask for that role, so it runs on anything that
 * plays it. Implementations are thread-safe.
 */
public interface EventStore extends EventLog, EventSource, AggregateCatalogue {}
