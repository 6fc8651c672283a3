package io.cursus.api.state;

import static java.util.Objects.requireNonNull;

import io.cursus.api.Event;
import io.cursus.api.EventType;
import io.cursus.api.Timestamped;
import io.cursus.api.internal.EventDecoder;
import io.cursus.api.internal.MappingAccess;
import io.cursus.api.mapping.EventCodec;
import io.cursus.api.mapping.EventMapper;
import io.cursus.api.mapping.EventSchema;
import io.cursus.api.store.HistoryQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.RandomAccess;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Builds state from typed events with two pure functions: {@code create} for the first initial
 * event, {@code update} for each later event.
 *
 * <pre>{@code
 * StateFold<Parcel, ParcelEvent> fold = StateFold.of(ParcelEvent.class,
 *     first -> Parcel.receivedAt(((ReceivedAtDepot) first.event()).depotId()),
 *     (parcel, next) -> parcel.apply(next.event()));
 * Optional<Parcel> now = fold.build(history);
 * Optional<Parcel> then = fold.buildAsOf(history, lastTuesday);
 * }</pre>
 *
 * <p>Events before the first initial event are passed over. Immutable and thread-safe if the
 * functions are.
 *
 * @param <S> the state type
 * @param <E> the event family
 */
public final class StateFold<S, E> {

  private final EventCodec<E> codec;
  private final HandlerTable<EventDecoder<E>> decoders;
  private final Function<? super Timestamped<E>, ? extends S> create;
  private final BiFunction<? super S, ? super Timestamped<E>, ? extends S> update;

  private StateFold(
      EventCodec<E> codec,
      Function<? super Timestamped<E>, ? extends S> create,
      BiFunction<? super S, ? super Timestamped<E>, ? extends S> update) {
    this.codec = codec;
    Map<EventType, EventDecoder<E>> decoders = new HashMap<>();
    for (EventSchema event : codec.declaration().events()) {
      decoders.put(event.type(), MappingAccess.decoder(codec, event.type()).orElseThrow());
    }
    this.decoders = new HandlerTable<>(decoders);
    this.create = requireNonNull(create, "create must not be null");
    this.update = requireNonNull(update, "update must not be null");
  }

  public static <S, E> StateFold<S, E> of(
      Class<E> family,
      Function<? super Timestamped<E>, ? extends S> create,
      BiFunction<? super S, ? super Timestamped<E>, ? extends S> update) {
    return new StateFold<>(EventMapper.codec(family), create, update);
  }

  /** The type of the aggregates whose state this folds. */
  public String aggregateType() {
    return codec.aggregateType();
  }

  /** The state after every event of {@code history}; empty if it has no initial event. */
  public Optional<S> build(List<Event> history) {
    return foldEvents(sorted(history), null);
  }

  /** The state after the events of {@code history} that happened at or before {@code eventTime}. */
  public Optional<S> buildAsOf(List<Event> history, Instant eventTime) {
    return foldEvents(sorted(history), requireNonNull(eventTime, "instant"));
  }

  /** The state after the typed events of {@code history}, taken in event-time order. */
  public Optional<S> fold(List<Timestamped<E>> history) {
    List<Timestamped<E>> events = new ArrayList<>(history);
    events.sort(null);
    S state = null;
    for (Timestamped<E> event : events) {
      state = step(state, event);
    }
    return Optional.ofNullable(state);
  }

  // Decodes each event as it goes rather than building a list of typed events first, with the
  // decoder of its type found by reference (see HandlerTable). The Timestamped is made here, where
  // the JIT can see that an update which only reads it lets it go, and need not allocate it.
  private Optional<S> foldEvents(List<Event> events, Instant asOf) {
    HandlerTable.Lookup<EventDecoder<E>> lookup = decoders.lookup();
    S state = null;
    for (int i = 0, size = events.size(); i < size; i++) {
      Event event = events.get(i);
      if (asOf != null && event.eventTime().isAfter(asOf)) {
        break;
      }
      EventDecoder<E> decoder = lookup.get(event.type());
      if (decoder == null) {
        continue;
      }
      Timestamped<E> typed =
          Timestamped.of(
              event.timestamp(), decoder.event(event), event.processingId().orElse(null));
      if (state != null) {
        S next = update.apply(state, typed);
        if (next == null) {
          throw new NullPointerException("update returned null for " + typed);
        }
        state = next;
      } else if (decoder.isInitial()) {
        S first = create.apply(typed);
        if (first == null) {
          throw new NullPointerException("create returned null for " + typed);
        }
        state = first;
      }
    }
    return Optional.ofNullable(state);
  }

  private S step(S state, Timestamped<E> event) {
    if (state == null) {
      return codec.isInitial(event.event())
          ? requireNonNull(create.apply(event), () -> "create returned null for " + event)
          : null;
    }
    return requireNonNull(update.apply(state, event), () -> "update returned null for " + event);
  }

  /**
   * {@code history} in event-time order, to be read by index: itself when it already is in order
   * (one pass, as read from a store) and allows access by index, otherwise a sorted copy. The
   * caller's list is never changed.
   */
  static List<Event> sorted(List<Event> history) {
    Event previous = null;
    for (Event event : history) {
      if (previous != null && HistoryQuery.EVENT_TIME_ORDER.compare(previous, event) > 0) {
        List<Event> events = new ArrayList<>(history);
        events.sort(HistoryQuery.EVENT_TIME_ORDER);
        return events;
      }
      previous = event;
    }
    return history instanceof RandomAccess ? history : new ArrayList<>(history);
  }
}
