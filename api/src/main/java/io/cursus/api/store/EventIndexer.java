package io.cursus.api.store;

import io.cursus.api.Event;
import java.util.Collection;

/**
 * Keeps an {@link EventIndex} up to date. Indexing the same event twice, or events out of order,
 * leaves the index as if each had been indexed once in event-time order. Of two copies of one event
 * (one identity) that carry different values, the first capture counts, as in an {@link EventLog}:
 * the earlier processing id, or for events without one, the first indexed. A value of any size can
 * be indexed and is found by exactly that value. Thread-safe.
 */
public interface EventIndexer {

  void index(Collection<Event> events);
}
