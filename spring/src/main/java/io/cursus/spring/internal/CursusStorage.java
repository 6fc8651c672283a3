package io.cursus.spring.internal;

import io.cursus.api.store.EventIndex;
import io.cursus.api.store.EventIndexer;
import io.cursus.api.store.EventStore;

/** The store and the index of {@code cursus.store}, opened together on one connection. */
public record CursusStorage(EventStore store, EventIndex index, EventIndexer indexer) {}
