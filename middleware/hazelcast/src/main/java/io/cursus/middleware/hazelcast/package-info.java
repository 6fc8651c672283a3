/**
 * The Hazelcast idempotency window: transient, cluster-wide state that lets one copy of each event
 * through, whichever producer it reaches.
 */
@NullMarked
package io.cursus.middleware.hazelcast;

import org.jspecify.annotations.NullMarked;
