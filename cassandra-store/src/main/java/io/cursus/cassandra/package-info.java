/**
 * Cursus on Apache Cassandra: {@link io.cursus.cassandra.CassandraEventStore} (event log, source,
 * catalogue, parallel replay), {@link io.cursus.cassandra.CassandraEventIndex} (latest-value index)
 * and {@link io.cursus.cassandra.CassandraSchema} (keyspace and tables). Uses the Apache Cassandra
 * Java driver 4.x; the {@code CqlSession} is the application's.
 */
@NullMarked
package io.cursus.cassandra;

import org.jspecify.annotations.NullMarked;
