/** Implementation of the Cassandra store; not a public API and may change without notice. */
package io.cursus.cassandra.internal;
