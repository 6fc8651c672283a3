package io.cursus.api.projection;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link ParkedEventStore#inMemory()}. */
final class InMemoryParkedEventStore implements ParkedEventStore {

  private final Map<String, Map<String, ParkedEvent>> parked = new LinkedHashMap<>();

  @Override
  public synchronized void park(ParkedEvent event) {
    requireNonNull(event, "parked event must not be null");
    parked.computeIfAbsent(event.projection(), p -> new LinkedHashMap<>()).put(event.key(), event);
  }

  @Override
  public synchronized List<ParkedEvent> list(String projection) {
    Map<String, ParkedEvent> entries = parked.get(requireNonNull(projection, "projection"));
    return entries == null ? List.of() : List.copyOf(new ArrayList<>(entries.values()));
  }

  @Override
  public synchronized Optional<ParkedEvent> get(String projection, String key) {
    Map<String, ParkedEvent> entries = parked.get(requireNonNull(projection, "projection"));
    return entries == null ? Optional.empty() : Optional.ofNullable(entries.get(key));
  }

  @Override
  public synchronized void remove(String projection, String key) {
    Map<String, ParkedEvent> entries = parked.get(requireNonNull(projection, "projection"));
    if (entries != null) {
      entries.remove(key);
    }
  }
}
