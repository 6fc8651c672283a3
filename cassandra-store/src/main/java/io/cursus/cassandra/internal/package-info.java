/** Implementation of the Cassandra store; not a public API and may change without notice. */
@NullMarked
package io.cursus.cassandra.internal;

import org.jspecify.annotations.NullMarked;
