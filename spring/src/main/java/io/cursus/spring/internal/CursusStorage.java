package io.cursus.spring.internal;

import io.cursus.api.projection.CheckpointStore;
import io.cursus.api.projection.ParkedEventStore;
import io.cursus.api.store.EventIndex;
import io.cursus.api.store.EventIndexer;
import io.cursus.api.store.EventStore;

/**
 * The store and the index of {@code cursus.store}, opened together on one connection, with the
 * projections' checkpoints and parked events beside them.
 */
public record CursusStorage(
    EventStore store,
    EventIndex index,
    EventIndexer indexer,
    CheckpointStore checkpoints,
    ParkedEventStore parked) {}
