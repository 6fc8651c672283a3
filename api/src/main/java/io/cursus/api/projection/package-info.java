/**
 * Projections: read models kept up to date from the events, with durable positions, catch-up,
 * rebuild and status, correct when events arrive late.
 *
 * <p>A {@link io.cursus.api.projection.Projection} says what to compute: an event projection hands
 * events to handlers, a state projection hands each touched aggregate's state, recomputed from its
 * whole history in event-time order. {@link io.cursus.api.projection.Projections} runs them over a
 * {@link io.cursus.api.projection.ProjectionSource} (the live events) and a store (the stored
 * histories).
 *
 * <p>Extension points: {@link io.cursus.api.projection.ProjectionSource} (a Kafka consumer group,
 * say), {@link io.cursus.api.projection.CheckpointStore}, {@link
 * io.cursus.api.projection.ParkedEventStore} and {@link io.cursus.api.projection.ProjectionClaims}
 * (a Cassandra table each, say), and {@link io.cursus.api.projection.StateLoader} (snapshots). Each
 * has an in-memory implementation, used by the embedded default. See docs/projections.md.
 */
package io.cursus.api.projection;
