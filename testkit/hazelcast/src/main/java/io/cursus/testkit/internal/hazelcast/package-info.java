/** The hazelcast engine's implementation behind the testkit's public types. Not public API. */
@NullMarked
package io.cursus.testkit.internal.hazelcast;

import org.jspecify.annotations.NullMarked;
