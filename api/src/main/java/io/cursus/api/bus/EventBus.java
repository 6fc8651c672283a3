package io.cursus.api.bus;

import static java.util.Objects.requireNonNull;

import io.cursus.api.Event;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.Timestamped;
import io.cursus.api.mapping.EventCodec;
import io.cursus.api.mapping.EventMapper;
import io.cursus.api.store.EventLog;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Where events are emitted: stamps each with a processing id and hands it, alone or with its batch,
 * to a channel (a store, a middleware pipeline, a Kafka producer).
 *
 * <pre>{@code
 * EventBus bus = EventBus.writingTo(store);
 * bus.emitter(ParcelEvents.class).receivedAtDepot(at, parcelId, "Lewisham");
 * bus.dispatchTo(parcelId, at, new LoadedOntoTruck("J98 257"));
 * bus.batch(batch -> { ... });   // delivered together or not at all
 * }</pre>
 *
 * <p>Thread-safe if the channel is. A batch reaches the channel in one call, so a channel that
 * writes atomically (the in-memory store does) stores all of it or none of it. A failure of the
 * channel reaches the caller unchanged.
 */
public final class EventBus {

  private final Consumer<? super List<Event>> channel;

  private EventBus(Consumer<? super List<Event>> channel) {
    this.channel = requireNonNull(channel, "channel must not be null");
  }

  /** A bus that passes each batch (a single event is a batch of one) to {@code channel}. */
  public static EventBus to(Consumer<? super List<Event>> channel) {
    return new EventBus(channel);
  }

  /** A bus that appends to {@code log}. */
  public static EventBus writingTo(EventLog log) {
    requireNonNull(log, "log must not be null");
    return new EventBus(log::append);
  }

  /** Dispatches one event. */
  public void dispatch(Event event) {
    requireNonNull(event, "event must not be null");
    channel.accept(List.of(event.captured()));
  }

  /**
   * Dispatches {@code events} as one batch.
   *
   * @throws IllegalArgumentException if an event is null; nothing is dispatched then
   */
  public void dispatch(List<Event> events) {
    requireNonNull(events, "events must not be null");
    if (events.isEmpty()) {
      return;
    }
    List<Event> captured = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      Event event = events.get(i);
      if (event == null) {
        throw new IllegalArgumentException(
            "event " + i + " of a batch of " + events.size() + " is null; nothing was dispatched");
      }
      captured.add(event.captured());
    }
    channel.accept(List.copyOf(captured));
  }

  /** An emitter of {@code eventInterface} whose every call dispatches one event. */
  public <T> T emitter(Class<T> eventInterface) {
    return EventMapper.emitter(eventInterface, this::dispatch);
  }

  /**
   * Dispatches the typed event {@code event} (a member of a sealed family) of aggregate {@code id}.
   * The id's type must be the one the family declares (checked, naming the event).
   */
  public <E> void dispatchTo(UUID id, StreamTimestamp timestamp, E event) {
    dispatchToId(id, timestamp, event);
  }

  /** As {@link #dispatchTo(UUID, StreamTimestamp, Object)}, for a family with String ids. */
  public <E> void dispatchTo(String id, StreamTimestamp timestamp, E event) {
    dispatchToId(id, timestamp, event);
  }

  /** As {@link #dispatchTo(UUID, StreamTimestamp, Object)}, for a family with long or int ids. */
  public <E> void dispatchTo(long id, StreamTimestamp timestamp, E event) {
    dispatchToId(id, timestamp, event);
  }

  /** Dispatches typed events of aggregate {@code id} as one batch. */
  public <E> void dispatchTo(UUID id, List<? extends Timestamped<? extends E>> events) {
    dispatchToId(id, events);
  }

  /** As {@link #dispatchTo(UUID, List)}, for a family with String ids. */
  public <E> void dispatchTo(String id, List<? extends Timestamped<? extends E>> events) {
    dispatchToId(id, events);
  }

  /** As {@link #dispatchTo(UUID, List)}, for a family with long or int ids. */
  public <E> void dispatchTo(long id, List<? extends Timestamped<? extends E>> events) {
    dispatchToId(id, events);
  }

  private <E> void dispatchToId(Object id, StreamTimestamp timestamp, E event) {
    requireNonNull(event, "event must not be null");
    dispatch(codecOf(event).toEvent(id, timestamp, event));
  }

  private <E> void dispatchToId(Object id, List<? extends Timestamped<? extends E>> events) {
    requireNonNull(events, "events must not be null");
    List<Event> batch = new ArrayList<>(events.size());
    for (Timestamped<? extends E> timestamped : events) {
      requireNonNull(timestamped, "a timestamped event of the batch is null");
      batch.add(codecOf(timestamped.event()).toEvent(id, timestamped));
    }
    dispatch(batch);
  }

  /**
   * Runs {@code work}, collecting what it emits, then dispatches it as one batch. If {@code work}
   * throws, nothing is dispatched.
   */
  public void batch(Consumer<? super Batch> work) {
    requireNonNull(work, "work must not be null");
    Batch batch = new Batch();
    work.accept(batch);
    dispatch(batch.close());
  }

  @SuppressWarnings("unchecked") // a family's codec accepts its members
  static <E> EventCodec<E> codecOf(E event) {
    return (EventCodec<E>) EventMapper.codec(event.getClass());
  }

  /** Collects the events of one {@link EventBus#batch}. Not thread-safe; valid inside the batch. */
  public static final class Batch {
    private final List<Event> events = new ArrayList<>();
    private boolean closed;

    private Batch() {}

    /** An emitter of {@code eventInterface} whose calls add events to this batch. */
    public <T> T emitter(Class<T> eventInterface) {
      return EventMapper.emitter(eventInterface, this::add);
    }

    /** Adds {@code event}. */
    public void add(Event event) {
      requireNonNull(event, "event must not be null");
      if (closed) {
        throw new IllegalStateException("the batch was already dispatched; " + event + " is lost");
      }
      events.add(event);
    }

    /** Adds the typed event {@code event} of aggregate {@code id}. */
    public <E> void dispatchTo(UUID id, StreamTimestamp timestamp, E event) {
      addTyped(id, timestamp, event);
    }

    /** Adds the typed event {@code event} of aggregate {@code id}, for String ids. */
    public <E> void dispatchTo(String id, StreamTimestamp timestamp, E event) {
      addTyped(id, timestamp, event);
    }

    /** Adds the typed event {@code event} of aggregate {@code id}, for long or int ids. */
    public <E> void dispatchTo(long id, StreamTimestamp timestamp, E event) {
      addTyped(id, timestamp, event);
    }

    private <E> void addTyped(Object id, StreamTimestamp timestamp, E event) {
      requireNonNull(event, "event must not be null");
      add(codecOf(event).toEvent(id, timestamp, event));
    }

    private List<Event> close() {
      closed = true;
      return events;
    }
  }
}
