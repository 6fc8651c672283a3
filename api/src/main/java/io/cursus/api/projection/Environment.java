package io.cursus.api.projection;

import io.cursus.api.evolution.Upcasters;
import io.cursus.api.store.AggregateCatalogue;
import io.cursus.api.store.EventSource;
import java.time.Clock;
import java.time.Duration;

/**
 * What every runner of a {@link Projections} runtime shares; {@code sleeper} may be null. {@code
 * store} reads through {@code upcasters} already; live deliveries are upcast by the runner.
 */
record Environment(
    ProjectionSource source,
    EventSource store,
    AggregateCatalogue catalogue,
    CheckpointStore checkpoints,
    ParkedEventStore parked,
    ProjectionClaims claims,
    Clock clock,
    Sleeper sleeper,
    Duration pollTimeout,
    Duration claimTimeout,
    Duration claimRetry,
    String owner,
    Upcasters upcasters) {

  /** Whether runners claim their projection's name (the source does not share work out). */
  boolean claiming() {
    return !source.splitsWork();
  }
}
