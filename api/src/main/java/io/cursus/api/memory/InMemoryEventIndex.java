package io.cursus.api.memory;

import static java.util.Objects.requireNonNull;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.ProcessingIds;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.store.EventIndex;
import io.cursus.api.store.EventIndexer;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The embedded default index: for every aggregate and parameter, the latest value and the stream
 * timestamp it was set at.
 *
 * <p>An event updates a parameter only if it is newer than the value's timestamp, so late, repeated
 * and shuffled events leave the index as if every event had arrived once, in order. Of two copies
 * of one event (same timestamp) with different values, the first capture (the earlier processing
 * id) counts, as in the stores; an event without a processing id is captured when it is indexed. A
 * null value counts as a value: the aggregate then has no entry for that parameter. Values of any
 * length are keyed by the value itself. Thread-safe; look-ups return copies.
 */
public final class InMemoryEventIndex implements EventIndex, EventIndexer, Consumer<Event> {

  private record Key(AggregateId aggregate, String parameter) {}

  private record Latest(StreamTimestamp timestamp, UUID processingId, Object value) {}

  private record ValueKey(String aggregateType, String parameter, Object value) {}

  private final Map<Key, Latest> latest = new HashMap<>();
  private final Map<ValueKey, Set<AggregateId>> byValue = new HashMap<>();

  private InMemoryEventIndex() {}

  public static InMemoryEventIndex empty() {
    return new InMemoryEventIndex();
  }

  @Override
  public synchronized void index(Collection<Event> events) {
    for (Event event : events) {
      index(event);
    }
  }

  @Override
  public void accept(Event event) {
    synchronized (this) {
      index(event);
    }
  }

  private void index(Event event) {
    requireNonNull(event, "event must not be null");
    UUID processingId = event.processingId().orElseGet(ProcessingIds::next);
    event
        .parameters()
        .asMap()
        .forEach(
            (parameter, value) -> {
              Key key = new Key(event.aggregateId(), parameter);
              Latest current = latest.get(key);
              if (current != null) {
                int order = current.timestamp().compareTo(event.timestamp());
                if (order > 0
                    || (order == 0
                        && ProcessingIds.compare(current.processingId(), processingId) <= 0)) {
                  return; // an older event, or a copy captured later: the kept value stays
                }
              }
              if (current != null && current.value() != null) {
                remove(new ValueKey(event.aggregateId().type(), parameter, current.value()), key);
              }
              latest.put(key, new Latest(event.timestamp(), processingId, value));
              if (value != null) {
                byValue
                    .computeIfAbsent(
                        new ValueKey(event.aggregateId().type(), parameter, value),
                        v -> new HashSet<>())
                    .add(event.aggregateId());
              }
            });
  }

  private void remove(ValueKey valueKey, Key key) {
    Set<AggregateId> ids = byValue.get(valueKey);
    if (ids != null) {
      ids.remove(key.aggregate());
      if (ids.isEmpty()) {
        byValue.remove(valueKey);
      }
    }
  }

  @Override
  public synchronized Set<AggregateId> find(String aggregateType, String parameter, Object value) {
    requireNonNull(aggregateType, "aggregate type must not be null");
    requireNonNull(parameter, "parameter must not be null");
    requireNonNull(value, "value must not be null");
    Set<AggregateId> ids = byValue.get(new ValueKey(aggregateType, parameter, value));
    return ids == null ? Set.of() : Set.copyOf(ids);
  }

  /** The latest value of {@code parameter} for {@code aggregate}, or null if it has none. */
  public synchronized Object latestValue(AggregateId aggregate, String parameter) {
    Latest value = latest.get(new Key(aggregate, parameter));
    return value == null ? null : value.value();
  }

  @Override
  public synchronized String toString() {
    return "InMemoryEventIndex(" + latest.size() + " entries)";
  }
}
