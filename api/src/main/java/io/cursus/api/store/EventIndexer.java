package io.cursus.api.store;

import io.cursus.api.Event;
import java.util.Collection;

/**
 * Keeps an {@link EventIndex} up to date. Indexing the same event twice, or events out of order,
 * leaves the index as if each had been indexed once in event-time order. Thread-safe.
 */
public interface EventIndexer {

  void index(Collection<Event> events);
}
