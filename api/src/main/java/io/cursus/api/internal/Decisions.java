package io.cursus.api.internal;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.ProcessingIds;
import java.util.List;
import java.util.UUID;

/** Checks shared by the stores' conditional appends. */
public final class Decisions {

  private Decisions() {}

  /**
   * The one aggregate of a conditional append's {@code events}.
   *
   * @throws IllegalArgumentException if there are none, or they belong to several aggregates
   */
  public static AggregateId aggregateOf(List<Event> events) {
    if (events.isEmpty()) {
      throw new IllegalArgumentException(
          "a conditional append needs at least one event; nothing was written");
    }
    AggregateId aggregate = events.get(0).aggregateId();
    for (Event event : events) {
      if (!event.aggregateId().equals(aggregate)) {
        throw new IllegalArgumentException(
            "a conditional append writes one aggregate, but the batch has events of "
                + aggregate
                + " and "
                + event.aggregateId()
                + "; nothing was written");
      }
    }
    return aggregate;
  }

  /** The newest processing id of captured {@code events}, which names their append. */
  public static UUID newestProcessingId(List<Event> events) {
    UUID newest = null;
    for (Event event : events) {
      UUID id = event.processingId().orElseThrow();
      if (newest == null || ProcessingIds.compare(id, newest) > 0) {
        newest = id;
      }
    }
    if (newest == null) {
      throw new IllegalArgumentException("no events");
    }
    return newest;
  }
}
