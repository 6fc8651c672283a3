/**
 * The Hazelcast idempotency window: transient, cluster-wide state that lets one copy of each event
 * through, whichever producer it reaches.
 */
package io.cursus.middleware.hazelcast;
