package io.cursus.api.store;

import io.cursus.api.AggregateId;
import java.util.List;
import java.util.stream.Stream;

/** Lists the aggregates of a type that have events. Thread-safe. */
public interface AggregateCatalogue {

  /** The aggregates of {@code aggregateType}; the stream must be closed. No order is promised. */
  Stream<AggregateId> aggregates(String aggregateType);

  /** The aggregates of {@code aggregateType}, loaded at once. */
  default List<AggregateId> list(String aggregateType) {
    try (Stream<AggregateId> ids = aggregates(aggregateType)) {
      return ids.toList();
    }
  }
}
