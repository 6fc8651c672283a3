package io.cursus.api.projection;

import static java.util.Objects.requireNonNull;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.store.EventSource;
import io.cursus.api.store.HistoryQuery;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Computes the state a state projection hands its {@link StateHandler}, for one aggregate that a
 * batch touched. The default, {@link #fromHistory}, reads the aggregate's whole stored history,
 * {@linkplain #merge merges in} the batch's events and builds the state from the result in
 * event-time order.
 *
 * <p>This is the seam for snapshots: a loader may start from a snapshot of the state as of an event
 * time and fold only the later events, provided no event at or before that time was captured after
 * the snapshot. Implementations must be thread-safe.
 *
 * @param <S> the state type
 */
@FunctionalInterface
public interface StateLoader<S> {

  /**
   * The state of {@code aggregate}, from everything {@code store} holds of it and the events that
   * {@code arrived} for it (in arrival order; the store may not hold them yet): the batch's, and,
   * when the source can tell what is stored ({@link ProjectionSource#storedUpTo()}), those of
   * earlier batches that the store's writer has not stored yet; empty if it has no initial event.
   */
  Optional<S> load(EventSource store, AggregateId aggregate, List<Event> arrived);

  /**
   * The loader that builds the state with {@code state} (for instance {@code builder::build} of a
   * {@link io.cursus.api.state.StateBuilder}, or {@code fold::build} of a {@link
   * io.cursus.api.state.StateFold}) from the stored history merged with the events that arrived.
   */
  static <S> StateLoader<S> fromHistory(Function<? super List<Event>, Optional<S>> state) {
    requireNonNull(state, "state function must not be null");
    return (store, aggregate, arrived) ->
        state.apply(merge(store.history(aggregate, HistoryQuery.all()), arrived));
  }

  /**
   * One history from {@code stored} and {@code arrived}, by identity, in event-time order: an event
   * the store holds is taken as stored (its first capture won), and of several arrived copies of an
   * event the store does not hold yet, the first. This is how a state projection sees the events of
   * its batch even when the store writer has not stored them yet (a projection reading a Kafka
   * topic can be ahead of the consumer that writes the store).
   *
   * @param stored a history as a store returns it (any order is accepted)
   * @param arrived events of the same aggregate, in arrival order
   */
  static List<Event> merge(List<Event> stored, List<Event> arrived) {
    requireNonNull(stored, "stored history must not be null");
    requireNonNull(arrived, "arrived events must not be null");
    if (arrived.isEmpty()) {
      return stored;
    }
    Comparator<Event> order = HistoryQuery.EVENT_TIME_ORDER;
    boolean sorted = true;
    for (int i = 1; i < stored.size() && sorted; i++) {
      sorted = order.compare(stored.get(i - 1), stored.get(i)) < 0;
    }
    List<Event> missing = new ArrayList<>();
    Set<Object> added = new HashSet<>();
    for (Event event : arrived) {
      boolean held =
          sorted
              ? java.util.Collections.binarySearch(stored, event, order) >= 0
              : stored.stream().anyMatch(e -> e.identity().equals(event.identity()));
      if (!held && added.add(event.identity())) {
        missing.add(event);
      }
    }
    if (missing.isEmpty()) {
      return stored;
    }
    List<Event> merged = new ArrayList<>(stored.size() + missing.size());
    merged.addAll(stored);
    merged.addAll(missing);
    merged.sort(order);
    return merged;
  }
}
