/** The cassandra engine's implementation behind the testkit's public types. Not public API. */
@NullMarked
package io.cursus.testkit.internal.cassandra;

import org.jspecify.annotations.NullMarked;
