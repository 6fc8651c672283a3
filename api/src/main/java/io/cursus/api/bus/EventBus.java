package io.cursus.api.bus;

import static java.util.Objects.requireNonNull;

import io.cursus.api.Event;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.Timestamped;
import io.cursus.api.mapping.EventCodec;
import io.cursus.api.mapping.EventMapper;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.mapping.EventValidator;
import io.cursus.api.store.EventLog;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

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
 * <p><b>Validation.</b> A bus made by {@link #writingTo} checks every event before its channel sees
 * it, with an {@link EventValidator}: its type must be declared, its parameters exactly the
 * declared ones and of the declared types, none null unless declared nullable, and its serialised
 * size within {@link EventTypeRegistry#maxEventBytes()}. A refused event, or a batch holding one,
 * reaches no channel: the caller gets an {@link IllegalArgumentException} naming the event and the
 * parameter. The declarations it checks against are those it was given ({@link #writingTo(EventLog,
 * EventTypeRegistry)}) and those of the emitters and families it has been used with ({@link
 * #emitter}, {@link #dispatchTo}, and the same in a {@link #batch}); an event built by hand with
 * {@link Event#of} must be of one of those types. The cost per event is a type look-up, a type test
 * per parameter (and per element of a collection) and a size bound that reads each text's length:
 * small beside any store. A bus made by {@link #to} checks nothing: it is for a channel that
 * validates itself (the middleware's pipelines start with a validate stage, so each event is
 * checked once), and it is the way to opt out ({@code EventBus.to(store::append)}).
 *
 * <p><b>Asynchronous emits.</b> {@link #dispatchAsync(Event)}, {@link #dispatchAsync(List)}, {@link
 * #dispatchToAsync(UUID, StreamTimestamp, Object)} and {@link #batchAsync} return a {@link
 * CompletableFuture} instead of waiting: on a bus made by {@link #toAsync} (for instance over the
 * middleware's {@code Pipelines.asyncProducer(...).buildAsync()}) it completes when the channel is
 * done with the batch (for Kafka: every event acknowledged), so one thread can have many emits in
 * flight. What is wrong with the call is still thrown at the call, before anything is dispatched: a
 * null, an event this bus refuses, and whatever the channel throws when handed the batch (the
 * middleware's asynchronous pipeline throws an event its validate stage refuses, and puts the
 * outside world's failures in its future). What the channel's future fails with (for instance Kafka
 * not acknowledging an event in time) fails the returned future; {@link CompletableFuture#join()}
 * throws it wrapped in a {@link java.util.concurrent.CompletionException}, {@link
 * CompletableFuture#get()} in an {@link ExecutionException}. On a bus made by {@link #to} or {@link
 * #writingTo} the asynchronous methods run the channel on the caller's thread, throw what it throws
 * as the synchronous ones do, and return a completed future. Events dispatched from one thread
 * reach the channel in the order of the calls (the Kafka sink sends them in that order, so one
 * aggregate's events stay in order); the futures may complete on the channel's own threads (a Kafka
 * producer's I/O thread): chain blocking work with the {@code ...Async} methods of the future. The
 * synchronous methods of a bus made by {@link #toAsync} wait for the future and throw what it
 * failed with.
 *
 * <p>Thread-safe if the channel is. A batch reaches the channel in one call, so a channel that
 * writes atomically (the in-memory store does) stores all of it or none of it. A failure of the
 * channel reaches the caller unchanged.
 */
public final class EventBus {

  /** The channel of a synchronous bus; null for a bus made by {@link #toAsync}. */
  private final Consumer<? super List<Event>> channel;

  /** The channel of a bus made by {@link #toAsync}; null otherwise. */
  private final Function<? super List<Event>, ? extends CompletionStage<?>> asyncChannel;

  /** What a validating bus knows; null if the bus does not validate. Replaced, never changed. */
  private final AtomicReference<Known> known;

  private EventBus(Consumer<? super List<Event>> channel, EventTypeRegistry registry) {
    this.channel = requireNonNull(channel, "channel must not be null");
    this.asyncChannel = null;
    this.known = registry == null ? null : new AtomicReference<>(new Known(registry));
  }

  private EventBus(Function<? super List<Event>, ? extends CompletionStage<?>> asyncChannel) {
    this.channel = null;
    this.asyncChannel = requireNonNull(asyncChannel, "channel must not be null");
    this.known = null;
  }

  /**
   * A bus that passes each batch (a single event is a batch of one) to {@code channel}, checking
   * nothing: for a channel that validates (a middleware pipeline), or to opt out of validation.
   */
  public static EventBus to(Consumer<? super List<Event>> channel) {
    return new EventBus(channel, null);
  }

  /**
   * A bus that passes each batch to {@code channel}, which starts writing it and returns a stage
   * completed when the batch is written (for Kafka: acknowledged), checking nothing itself: for the
   * middleware's {@code Pipelines.asyncProducer(...).buildAsync()}, which validates. Its {@code
   * ...Async} methods return that completion; see the class comment for where failures go.
   */
  public static EventBus toAsync(
      Function<? super List<Event>, ? extends CompletionStage<?>> channel) {
    return new EventBus(channel);
  }

  /**
   * A bus that validates each event, then appends it to {@code log}. It validates against the
   * declarations of its emitters and families; to dispatch events built by hand, use {@link
   * #writingTo(EventLog, EventTypeRegistry)}.
   */
  public static EventBus writingTo(EventLog log) {
    return writingTo(log, EventTypeRegistry.of());
  }

  /**
   * A bus that validates each event against the declarations of {@code registry} (and of its
   * emitters and families), within the registry's size limit, then appends it to {@code log}.
   */
  public static EventBus writingTo(EventLog log, EventTypeRegistry registry) {
    requireNonNull(log, "log must not be null");
    requireNonNull(registry, "registry must not be null");
    return new EventBus(log::append, registry);
  }

  /** Whether this bus validates what it dispatches (made by {@link #writingTo}). */
  public boolean validates() {
    return known != null;
  }

  /**
   * Dispatches one event.
   *
   * @throws IllegalArgumentException if this bus validates and the event is invalid; it is not
   *     dispatched then
   */
  public void dispatch(Event event) {
    requireNonNull(event, "event must not be null");
    Event captured = event.captured();
    if (known != null) {
      validate(captured, -1, 1);
    }
    deliver(List.of(captured));
  }

  /**
   * Dispatches one event and returns at once with a future completed when the channel is done with
   * it (for Kafka: when it is acknowledged).
   *
   * @throws IllegalArgumentException if this bus validates and the event is invalid, or the channel
   *     refuses it; it is not dispatched then
   */
  public CompletableFuture<Void> dispatchAsync(Event event) {
    requireNonNull(event, "event must not be null");
    Event captured = event.captured();
    if (known != null) {
      validate(captured, -1, 1);
    }
    return deliverAsync(List.of(captured));
  }

  /**
   * Dispatches {@code events} as one batch.
   *
   * @throws IllegalArgumentException if an event is null, or this bus validates and an event is
   *     invalid; nothing is dispatched then
   */
  public void dispatch(List<Event> events) {
    List<Event> captured = captureAll(events);
    if (!captured.isEmpty()) {
      deliver(captured);
    }
  }

  /**
   * Dispatches {@code events} as one batch and returns at once with a future completed when the
   * channel is done with all of them (for Kafka: when every event is acknowledged).
   *
   * @throws IllegalArgumentException if an event is null, or this bus validates and an event is
   *     invalid, or the channel refuses one; nothing is dispatched then
   */
  public CompletableFuture<Void> dispatchAsync(List<Event> events) {
    List<Event> captured = captureAll(events);
    return captured.isEmpty() ? CompletableFuture.completedFuture(null) : deliverAsync(captured);
  }

  /** The captured, validated copy of {@code events}. */
  private List<Event> captureAll(List<Event> events) {
    requireNonNull(events, "events must not be null");
    if (events.isEmpty()) {
      return List.of();
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
    if (known != null) {
      for (int i = 0; i < captured.size(); i++) {
        validate(captured.get(i), i, captured.size());
      }
    }
    return List.copyOf(captured);
  }

  /** Hands {@code batch} to the channel and, for an asynchronous one, waits for it. */
  private void deliver(List<Event> batch) {
    if (channel != null) {
      channel.accept(batch);
      return;
    }
    CompletionStage<?> done = start(batch);
    try {
      done.toCompletableFuture().join();
    } catch (CompletionException e) {
      Throwable cause = rootOf(e);
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  /**
   * Hands {@code batch} to the channel. What the channel throws is thrown; a synchronous channel
   * has finished when it returns, so its future is complete.
   */
  private CompletableFuture<Void> deliverAsync(List<Event> batch) {
    if (channel != null) {
      channel.accept(batch);
      return CompletableFuture.completedFuture(null);
    }
    CompletionStage<?> started = start(batch);
    CompletableFuture<Void> done = new CompletableFuture<>();
    started.whenComplete(
        (ignored, failure) -> {
          if (failure == null) {
            done.complete(null);
          } else {
            done.completeExceptionally(rootOf(failure));
          }
        });
    return done;
  }

  private CompletionStage<?> start(List<Event> batch) {
    CompletionStage<?> started = asyncChannel.apply(batch);
    if (started == null) {
      throw new IllegalStateException(
          "the asynchronous channel returned null instead of a future for a batch of "
              + batch.size()
              + " events starting with "
              + batch.get(0));
    }
    return started;
  }

  private static Throwable rootOf(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private void validate(Event event, int index, int batchSize) {
    Known now = known.get();
    try {
      if (!now.validator.declares(event.type())) {
        throw new IllegalArgumentException(
            "event "
                + event.type()
                + " of "
                + event.aggregateId()
                + " at "
                + event.timestamp()
                + ": no declaration this bus knows declares its type (it knows "
                + now.names()
                + "); declare the event in an @HandlesEventsFor interface or sealed family,"
                + " then emit it through bus.emitter(...) or bus.dispatchTo(...), or give the"
                + " declaration to the bus: EventBus.writingTo(log, EventTypeRegistry.of(...))");
      }
      now.validator.check(event);
    } catch (IllegalArgumentException e) {
      if (index < 0) {
        throw e;
      }
      throw new IllegalArgumentException(
          "event "
              + index
              + " of a batch of "
              + batchSize
              + " is refused, so nothing was dispatched: "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Adds {@code declaration} to what this bus validates against, if it validates.
   *
   * @throws io.cursus.api.mapping.DeclarationException if it declares an event type the bus knows
   *     differently
   */
  private void learn(Class<?> declaration) {
    if (known == null || known.get().declarations.contains(declaration)) {
      return;
    }
    known.updateAndGet(now -> now.with(declaration));
  }

  /** An emitter of {@code eventInterface} whose every call dispatches one event. */
  public <T> T emitter(Class<T> eventInterface) {
    T emitter = EventMapper.emitter(eventInterface, this::dispatch);
    learn(eventInterface);
    return emitter;
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

  /**
   * As {@link #dispatchTo(UUID, StreamTimestamp, Object)}, returning at once with a future
   * completed when the channel is done with the event; see {@link #dispatchAsync(Event)}.
   */
  public <E> CompletableFuture<Void> dispatchToAsync(UUID id, StreamTimestamp timestamp, E event) {
    return dispatchAsync(typed(id, timestamp, event));
  }

  /** As {@link #dispatchToAsync(UUID, StreamTimestamp, Object)}, for a family with String ids. */
  public <E> CompletableFuture<Void> dispatchToAsync(
      String id, StreamTimestamp timestamp, E event) {
    return dispatchAsync(typed(id, timestamp, event));
  }

  /**
   * As {@link #dispatchToAsync(UUID, StreamTimestamp, Object)}, for a family with long or int ids.
   */
  public <E> CompletableFuture<Void> dispatchToAsync(long id, StreamTimestamp timestamp, E event) {
    return dispatchAsync(typed(id, timestamp, event));
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
    dispatch(typed(id, timestamp, event));
  }

  private <E> Event typed(Object id, StreamTimestamp timestamp, E event) {
    requireNonNull(event, "event must not be null");
    EventCodec<E> codec = codecOf(event);
    learn(codec.declaration().declaringClass());
    return codec.toEvent(id, timestamp, event);
  }

  private <E> void dispatchToId(Object id, List<? extends Timestamped<? extends E>> events) {
    requireNonNull(events, "events must not be null");
    List<Event> batch = new ArrayList<>(events.size());
    for (Timestamped<? extends E> timestamped : events) {
      requireNonNull(timestamped, "a timestamped event of the batch is null");
      EventCodec<E> codec = codecOf(timestamped.event());
      learn(codec.declaration().declaringClass());
      batch.add(codec.toEvent(id, timestamped));
    }
    dispatch(batch);
  }

  /**
   * Runs {@code work}, collecting what it emits, then dispatches it as one batch. If {@code work}
   * throws, nothing is dispatched.
   */
  public void batch(Consumer<? super Batch> work) {
    requireNonNull(work, "work must not be null");
    Batch batch = new Batch(this);
    work.accept(batch);
    dispatch(batch.close());
  }

  /**
   * Runs {@code work}, collecting what it emits, then dispatches it as one batch and returns at
   * once with a future completed when the channel is done with all of it (for Kafka: every event
   * acknowledged). The way to emit through typed interfaces asynchronously, one event or several:
   *
   * <pre>{@code
   * CompletableFuture<Void> acknowledged =
   *     bus.batchAsync(b -> b.emitter(ParcelEvents.class).receivedAtDepot(at, parcelId, "Lewisham"));
   * }</pre>
   *
   * If {@code work} throws, or an event is refused, nothing is dispatched and the exception is
   * thrown here; see {@link #dispatchAsync(List)}.
   */
  public CompletableFuture<Void> batchAsync(Consumer<? super Batch> work) {
    requireNonNull(work, "work must not be null");
    Batch batch = new Batch(this);
    work.accept(batch);
    return dispatchAsync(batch.close());
  }

  @SuppressWarnings("unchecked") // a family's codec accepts its members
  static <E> EventCodec<E> codecOf(E event) {
    return (EventCodec<E>) EventMapper.codec(event.getClass());
  }

  /** Collects the events of one {@link EventBus#batch}. Not thread-safe; valid inside the batch. */
  public static final class Batch {
    private final EventBus bus;
    private final List<Event> events = new ArrayList<>();
    private boolean closed;

    private Batch(EventBus bus) {
      this.bus = bus;
    }

    /** An emitter of {@code eventInterface} whose calls add events to this batch. */
    public <T> T emitter(Class<T> eventInterface) {
      T emitter = EventMapper.emitter(eventInterface, this::add);
      bus.learn(eventInterface);
      return emitter;
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
      EventCodec<E> codec = codecOf(event);
      bus.learn(codec.declaration().declaringClass());
      add(codec.toEvent(id, timestamp, event));
    }

    /** Adds the typed events {@code events} of aggregate {@code id}, in order. */
    public <E> void dispatchTo(UUID id, List<? extends Timestamped<? extends E>> events) {
      addAllTyped(id, events);
    }

    /** As {@link #dispatchTo(UUID, List)}, for String ids. */
    public <E> void dispatchTo(String id, List<? extends Timestamped<? extends E>> events) {
      addAllTyped(id, events);
    }

    /** As {@link #dispatchTo(UUID, List)}, for long or int ids. */
    public <E> void dispatchTo(long id, List<? extends Timestamped<? extends E>> events) {
      addAllTyped(id, events);
    }

    private <E> void addAllTyped(Object id, List<? extends Timestamped<? extends E>> events) {
      requireNonNull(events, "events must not be null");
      for (Timestamped<? extends E> timestamped : events) {
        requireNonNull(timestamped, "a timestamped event of the batch is null");
        EventCodec<E> codec = codecOf(timestamped.event());
        bus.learn(codec.declaration().declaringClass());
        add(codec.toEvent(id, timestamped));
      }
    }

    private List<Event> close() {
      closed = true;
      return events;
    }
  }

  /** The declarations a validating bus knows, and its validator of them. Immutable. */
  private static final class Known {
    final EventValidator validator;
    final Set<Class<?>> declarations;

    Known(EventTypeRegistry registry) {
      this.validator = EventValidator.of(registry);
      Set<Class<?>> classes = new HashSet<>();
      registry.declarations().forEach(d -> classes.add(d.declaringClass()));
      this.declarations = Set.copyOf(classes);
    }

    Known with(Class<?> declaration) {
      return declarations.contains(declaration)
          ? this
          : new Known(validator.registry().with(declaration));
    }

    String names() {
      return declarations.isEmpty()
          ? "no declarations"
          : declarations.stream().map(Class::getSimpleName).sorted().toList().toString();
    }
  }
}
