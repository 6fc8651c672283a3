package io.cursus.api.projection;

import static java.util.Objects.requireNonNull;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.Timestamped;
import io.cursus.api.mapping.DeclarationException;
import io.cursus.api.mapping.EventCodec;
import io.cursus.api.mapping.EventDeclaration;
import io.cursus.api.mapping.EventMapper;
import io.cursus.api.state.StateBuilder;
import io.cursus.api.state.StateFold;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A named read model kept up to date from the events: what to compute and where to put it. {@link
 * Projections} runs it.
 *
 * <p>Two kinds:
 *
 * <ul>
 *   <li>{@linkplain #events event projections} hand every event to handlers, at least once, in
 *       arrival order per aggregate:
 *       <pre>{@code
 * Projection.events("parcel-audit").handler(ParcelEvents.class, auditTrail).build()
 * }</pre>
 *   <li>{@linkplain #states state projections} hand, for every aggregate a batch touched, its state
 *       recomputed from its whole history in event-time order, so a late event yields the corrected
 *       state:
 *       <pre>{@code
 * Projection.states("depot-board", ParcelState.class, ParcelEvents.class)
 *     .handler(UUID.class, (parcelId, state) -> board.put(parcelId, state.location()))
 *     .build()
 * }</pre>
 * </ul>
 *
 * <p>Every declaration is mapped when the builder is given it, so a declaration that breaks a rule
 * fails there ({@link DeclarationException}), and {@link Builder#build()} checks the rest. A built
 * projection is immutable; its handlers are the caller's and are called from one thread at a time.
 */
public final class Projection {

  /** The two kinds of projection. */
  public enum Kind {
    /** Hands events to handlers. */
    EVENTS,
    /** Hands recomputed states to a handler. */
    STATES
  }

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");
  private static final Set<Class<?>> ID_TYPES =
      Set.of(
          AggregateId.class,
          String.class,
          UUID.class,
          Long.class,
          long.class,
          Integer.class,
          int.class);

  private final String name;
  private final Kind kind;
  private final SortedSet<String> aggregateTypes;
  private final int batchSize;
  private final int catchUpAggregates;
  private final int catchUpReadAhead;
  private final Duration checkpointInterval;
  private final int maxAttempts;
  private final Duration backoffInitial;
  private final Duration backoffMax;
  private final boolean failOnPoison;
  private final Predicate<? super Throwable> transientWhen;
  private final IntConsumer whenServing;
  private final List<Consumer<? super Event>> eventHandlers;
  private final BatchHandler batchHandler;
  private final StateLoader<?> stateLoader;
  private final Class<?> idType;
  private final IntFunction<? extends StateHandler<?, ?>> stateHandlers;

  private Projection(Builder<?> b, Kind kind) {
    this.name = b.name;
    this.kind = kind;
    this.aggregateTypes = Collections.unmodifiableSortedSet(new TreeSet<>(b.aggregateTypes));
    this.batchSize = b.batchSize;
    this.catchUpAggregates = b.catchUpAggregates;
    this.catchUpReadAhead = b.catchUpReadAhead;
    this.checkpointInterval = b.checkpointInterval;
    this.maxAttempts = b.maxAttempts;
    this.backoffInitial = b.backoffInitial;
    this.backoffMax = b.backoffMax;
    this.failOnPoison = b.failOnPoison;
    this.transientWhen = b.transientWhen;
    this.whenServing = b.whenServing;
    if (b instanceof EventsBuilder events) {
      this.eventHandlers = List.copyOf(events.handlers);
      this.batchHandler = events.batchHandler;
      this.stateLoader = null;
      this.idType = null;
      this.stateHandlers = null;
    } else {
      StatesBuilder<?> states = (StatesBuilder<?>) b;
      this.eventHandlers = List.of();
      this.batchHandler = null;
      this.stateLoader = states.loader;
      this.idType = states.idType;
      this.stateHandlers = states.handlers;
    }
  }

  /**
   * An event projection named {@code name}: give it handlers, typed ({@link
   * EventsBuilder#handler(Class, Object)}, {@link EventsBuilder#familyHandler}) or untyped ({@link
   * EventsBuilder#handler(Consumer)}, {@link EventsBuilder#batchHandler}).
   *
   * @throws IllegalArgumentException if {@code name} is not 1 to 100 letters, digits, '.', '_' or
   *     '-'
   */
  public static EventsBuilder events(String name) {
    return new EventsBuilder(name);
  }

  /**
   * A state projection named {@code name} over {@code stateClass}, built from the events of {@code
   * eventDeclaration} by a {@link StateBuilder}.
   *
   * @throws DeclarationException if the state class or the declaration breaks a rule
   */
  public static <S> StatesBuilder<S> states(
      String name, Class<S> stateClass, Class<?> eventDeclaration) {
    StateBuilder<S> builder = StateBuilder.of(stateClass, eventDeclaration);
    return new StatesBuilder<>(
        name,
        EventDeclaration.of(eventDeclaration).aggregateType(),
        StateLoader.fromHistory(builder::build));
  }

  /**
   * A state projection named {@code name} folding the events of {@code family} with {@code fold}.
   *
   * @throws DeclarationException if {@code family} breaks a rule
   */
  public static <S, E> StatesBuilder<S> states(String name, Class<E> family, StateFold<S, E> fold) {
    requireNonNull(fold, "fold must not be null");
    EventCodec<E> codec = EventMapper.codec(family);
    return new StatesBuilder<>(name, codec.aggregateType(), StateLoader.fromHistory(fold::build));
  }

  /**
   * A state projection named {@code name} over the aggregates of {@code aggregateType}, whose state
   * {@code state} builds from a history in event-time order (empty if there is none yet).
   */
  public static <S> StatesBuilder<S> states(
      String name, String aggregateType, Function<? super List<Event>, Optional<S>> state) {
    return new StatesBuilder<>(name, aggregateType, StateLoader.fromHistory(state));
  }

  /** The projection's name, unique within a {@link Projections} runtime. */
  public String name() {
    return name;
  }

  public Kind kind() {
    return kind;
  }

  /** The aggregate types whose events the projection reads, in order. */
  public SortedSet<String> aggregateTypes() {
    return aggregateTypes;
  }

  int batchSize() {
    return batchSize;
  }

  int catchUpAggregates() {
    return catchUpAggregates;
  }

  /** How many chunks after the one handled a catch-up reads at once. */
  int catchUpReadAhead() {
    return catchUpReadAhead;
  }

  int maxAttempts() {
    return maxAttempts;
  }

  Duration backoffInitial() {
    return backoffInitial;
  }

  Duration backoffMax() {
    return backoffMax;
  }

  /** How long live batches that come full may go unsaved. */
  Duration checkpointInterval() {
    return checkpointInterval;
  }

  boolean failOnPoison() {
    return failOnPoison;
  }

  /** Whether the handler's own failure {@code failure} (or one among its causes) is transient. */
  boolean isTransient(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (transientWhen.test(t)) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  void whenServing(int generation) {
    whenServing.accept(generation);
  }

  List<Consumer<? super Event>> eventHandlers() {
    return eventHandlers;
  }

  BatchHandler batchHandler() {
    return batchHandler;
  }

  @SuppressWarnings("unchecked") // a state projection's loader, handler and id type agree on S
  StateLoader<Object> stateLoader() {
    return (StateLoader<Object>) stateLoader;
  }

  /**
   * The state handler for {@code generation}, taking the aggregate id as {@link #idOf} gives it.
   */
  @SuppressWarnings("unchecked") // as above
  StateHandler<Object, Object> stateHandler(int generation) {
    return requireNonNull(
        (StateHandler<Object, Object>) stateHandlers.apply(generation),
        () -> "projection '" + name + "': the handler of generation " + generation + " is null");
  }

  /** The id a state handler receives for {@code aggregate}. */
  Object idOf(AggregateId aggregate) {
    return idType == AggregateId.class ? aggregate : aggregate.idAs(idType);
  }

  /** Whether {@code event} is of an aggregate type this projection reads. */
  boolean reads(Event event) {
    return aggregateTypes.contains(event.aggregateId().type());
  }

  @Override
  public String toString() {
    return (kind == Kind.EVENTS ? "event" : "state")
        + " projection '"
        + name
        + "' of "
        + aggregateTypes;
  }

  /**
   * What both kinds of projection can be told: batch size, catch-up chunk, attempts, back-off, what
   * to do with poison, and whom to tell when a generation starts serving. Mutable, not thread-safe.
   *
   * @param <B> the builder's own type
   */
  public abstract static class Builder<B extends Builder<B>> {
    final String name;
    final Set<String> aggregateTypes = new TreeSet<>();
    int batchSize = 256;
    int catchUpAggregates = 100;
    int catchUpReadAhead = 4;
    Duration checkpointInterval = Duration.ofMillis(100);
    int maxAttempts = 3;
    Duration backoffInitial = Duration.ofMillis(100);
    Duration backoffMax = Duration.ofSeconds(5);
    boolean failOnPoison;
    Predicate<? super Throwable> transientWhen = failure -> false;
    IntConsumer whenServing = generation -> {};

    Builder(String name) {
      requireNonNull(name, "projection name must not be null");
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "projection name '"
                + name
                + "' must be 1 to 100 letters, digits, '.', '_' or '-' (it names checkpoints,"
                + " consumer groups and tables)");
      }
      this.name = name;
    }

    abstract B self();

    /** At most this many events per batch read from the live source (default 256). */
    public B batchSize(int events) {
      if (events < 1) {
        throw new IllegalArgumentException("batch size must be at least 1, was " + events);
      }
      this.batchSize = events;
      return self();
    }

    /** How many aggregates' histories a catch-up reads at once (default 100). */
    public B catchUpAggregates(int aggregates) {
      if (aggregates < 1) {
        throw new IllegalArgumentException(
            "catch-up aggregates must be at least 1, was " + aggregates);
      }
      this.catchUpAggregates = aggregates;
      return self();
    }

    /**
     * How many chunks of {@link #catchUpAggregates} a catch-up reads ahead of the one its handlers
     * work on, at once (default 4; 0 reads each chunk when its turn comes). Reads ahead overlap
     * each other and the handlers, which keeps a store such as Cassandra busy; at most this many
     * chunks plus the one handled are in memory.
     */
    public B catchUpReadAhead(int chunks) {
      if (chunks < 0) {
        throw new IllegalArgumentException("catch-up read-ahead must be 0 or more, was " + chunks);
      }
      this.catchUpReadAhead = chunks;
      return self();
    }

    /**
     * How many times a failing event (or aggregate) is tried before it is parked (default 3). A
     * transient failure is retried without limit and does not count.
     */
    public B maxAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("max attempts must be at least 1, was " + attempts);
      }
      this.maxAttempts = attempts;
      return self();
    }

    /**
     * How often a live projection saves its checkpoint while it is behind (default 100 ms). A batch
     * that does not come full (the source is read to its end for now) is saved at once, as before a
     * pause, a stop, a reset or any other operation; batches that come full are saved together once
     * {@code interval} has passed since the last save, so that a projection catching up with a
     * backlog does not wait for a checkpoint write after every batch. What was handled and not
     * saved when the process dies (at most about {@code interval} of batches, and the batch in
     * progress) is handed over again on restart. {@link Duration#ZERO} saves after every batch.
     */
    public B checkpointInterval(Duration interval) {
      requireNonNull(interval, "checkpoint interval must not be null");
      if (interval.isNegative()) {
        throw new IllegalArgumentException(
            "checkpoint interval must not be negative, was " + interval);
      }
      this.checkpointInterval = interval;
      return self();
    }

    /** The wait before a retry: {@code initial}, doubling up to {@code max} (100 ms to 5 s). */
    public B backoff(Duration initial, Duration max) {
      requireNonNull(initial, "initial back-off must not be null");
      requireNonNull(max, "maximum back-off must not be null");
      if (initial.isNegative() || max.compareTo(initial) < 0) {
        throw new IllegalArgumentException(
            "back-off must be 0 or more and max at least initial, was " + initial + " to " + max);
      }
      this.backoffInitial = initial;
      this.backoffMax = max;
      return self();
    }

    /**
     * Fail the projection ({@link ProjectionStatus.Phase#FAILED}) on a poison event instead of
     * parking it, for read models that must not go on without it.
     */
    public B failOnPoison() {
      this.failOnPoison = true;
      return self();
    }

    /**
     * Which failures of the handlers (and of a state projection's state loader) are transient,
     * besides a {@link io.cursus.api.TransientCursusException}: a failure that matches, or whose
     * cause (or its cause's cause…) matches, is retried with back-off without limit and without
     * counting towards {@link #maxAttempts}, instead of being taken for a poison event and parked.
     * Give it the outage errors of what your handlers write to, so that an outage of the view's
     * database holds the projection back rather than parking every event that arrives during it:
     * for Cassandra, {@code io.cursus.cassandra.CassandraFailures::isTransient}. A non-transient
     * {@link io.cursus.api.CursusException} still fails the projection, whatever this says.
     */
    public B transientWhen(Predicate<? super Throwable> isTransient) {
      this.transientWhen = requireNonNull(isTransient, "the transient test must not be null");
      return self();
    }

    /**
     * Calls {@code listener} with a generation when it becomes the one serving reads: at start, and
     * when a rebuild takes over. Called on the projection's thread before that generation handles
     * anything as the serving one.
     */
    public B whenServing(IntConsumer listener) {
      this.whenServing = requireNonNull(listener, "listener must not be null");
      return self();
    }

    /**
     * The projection.
     *
     * @throws IllegalStateException if something it needs is missing, saying what
     */
    public abstract Projection build();
  }

  /** Builds an event projection; see {@link Projection#events}. Mutable, not thread-safe. */
  public static final class EventsBuilder extends Builder<EventsBuilder> {
    private final List<Consumer<? super Event>> handlers = new ArrayList<>();
    private boolean untyped;
    private BatchHandler batchHandler;

    EventsBuilder(String name) {
      super(name);
    }

    @Override
    EventsBuilder self() {
      return this;
    }

    /**
     * Also reads the events of these aggregate types: what an untyped handler needs, since it
     * declares none.
     */
    public EventsBuilder aggregateTypes(String... types) {
      for (String type : types) {
        requireNonNull(type, "aggregate type must not be null");
        if (type.isBlank()) {
          throw new IllegalArgumentException("aggregate type must not be blank");
        }
        aggregateTypes.add(type);
      }
      return this;
    }

    /**
     * Hands each event {@code eventInterface} declares to the method of {@code implementation}
     * named after it, through the mapping core ({@link EventMapper#handler}); other events are
     * passed over.
     *
     * @throws DeclarationException if {@code eventInterface} is not an event interface or breaks a
     *     rule
     */
    public <T> EventsBuilder handler(Class<T> eventInterface, T implementation) {
      requireNonNull(eventInterface, "event interface must not be null");
      EventDeclaration declaration = EventDeclaration.of(eventInterface);
      if (declaration.kind() != EventDeclaration.Kind.INTERFACE) {
        throw new DeclarationException(
            eventInterface.getName()
                + ": is a sealed event family; give it to familyHandler("
                + eventInterface.getSimpleName()
                + ".class, event -> ...)");
      }
      addTyped(declaration.aggregateType(), EventMapper.handler(eventInterface, implementation));
      return this;
    }

    /**
     * Hands each event of the sealed family {@code family} (a sealed interface of records, a Kotlin
     * sealed class) to {@code handler} in typed form; other events are passed over.
     *
     * @throws DeclarationException if {@code family} is not an event family or breaks a rule
     */
    public <E> EventsBuilder familyHandler(
        Class<E> family, Consumer<? super Timestamped<E>> handler) {
      requireNonNull(handler, "handler must not be null");
      EventCodec<E> codec = EventMapper.codec(family);
      addTyped(codec.aggregateType(), codec.handler(handler));
      return this;
    }

    /**
     * Hands every event of the projection's {@linkplain #aggregateTypes aggregate types} to {@code
     * handler}.
     */
    public EventsBuilder handler(Consumer<? super Event> handler) {
      requireNonNull(handler, "handler must not be null");
      checkNoBatchHandler();
      handlers.add(handler);
      untyped = true;
      return this;
    }

    /**
     * Hands the events of the projection's {@linkplain #aggregateTypes aggregate types} to {@code
     * handler} a batch at a time, with the checkpoint to store beside the batch's effects. A
     * projection has either one batch handler or per-event handlers.
     */
    public EventsBuilder batchHandler(BatchHandler handler) {
      requireNonNull(handler, "batch handler must not be null");
      if (!handlers.isEmpty() || batchHandler != null) {
        throw new IllegalStateException(
            "projection '"
                + name
                + "' already has "
                + (batchHandler != null ? "a batch handler" : "per-event handlers")
                + "; a projection has either one batch handler or per-event handlers");
      }
      this.batchHandler = handler;
      return this;
    }

    private void addTyped(String aggregateType, Consumer<? super Event> handler) {
      checkNoBatchHandler();
      aggregateTypes.add(aggregateType);
      handlers.add(handler);
    }

    private void checkNoBatchHandler() {
      if (batchHandler != null) {
        throw new IllegalStateException(
            "projection '"
                + name
                + "' already has a batch handler; a projection has either one batch handler or"
                + " per-event handlers");
      }
    }

    @Override
    public Projection build() {
      if (handlers.isEmpty() && batchHandler == null) {
        throw new IllegalStateException(
            "projection '" + name + "' has no handler; give it handler(...) or batchHandler(...)");
      }
      if ((untyped || batchHandler != null) && aggregateTypes.isEmpty()) {
        throw new IllegalStateException(
            "projection '"
                + name
                + "' has an untyped handler but reads no aggregate type; name them with"
                + " aggregateTypes(\"parcel\", ...)");
      }
      return new Projection(this, Kind.EVENTS);
    }
  }

  /**
   * Builds a state projection; see {@link Projection#states}. Mutable, not thread-safe.
   *
   * @param <S> the state type
   */
  public static final class StatesBuilder<S> extends Builder<StatesBuilder<S>> {
    private StateLoader<S> loader;
    private Class<?> idType;
    private IntFunction<? extends StateHandler<?, ? super S>> handlers;

    StatesBuilder(String name, String aggregateType, StateLoader<S> loader) {
      super(name);
      requireNonNull(aggregateType, "aggregate type must not be null");
      if (aggregateType.isBlank()) {
        throw new IllegalArgumentException("aggregate type must not be blank");
      }
      aggregateTypes.add(aggregateType);
      this.loader = loader;
    }

    @Override
    StatesBuilder<S> self() {
      return this;
    }

    /**
     * Hands each recomputed state to {@code handler}, with the aggregate id as an {@code idType}:
     * String, UUID, Long, Integer or {@link AggregateId}.
     *
     * @throws IllegalArgumentException if {@code idType} is none of those
     */
    public <I> StatesBuilder<S> handler(Class<I> idType, StateHandler<I, ? super S> handler) {
      requireNonNull(handler, "handler must not be null");
      return handlerPerGeneration(idType, generation -> handler);
    }

    /** Hands each recomputed state to {@code handler}, with the {@link AggregateId}. */
    public StatesBuilder<S> handler(StateHandler<AggregateId, ? super S> handler) {
      return handler(AggregateId.class, handler);
    }

    /**
     * Hands each recomputed state to the handler {@code handlers} makes for the generation running,
     * so that a rebuild writes a view of its own beside the serving one ({@link
     * Projections#rebuild}).
     */
    public <I> StatesBuilder<S> handlerPerGeneration(
        Class<I> idType, IntFunction<? extends StateHandler<I, ? super S>> handlers) {
      requireNonNull(idType, "id type must not be null");
      requireNonNull(handlers, "handlers must not be null");
      if (!ID_TYPES.contains(idType)) {
        throw new IllegalArgumentException(
            "projection '"
                + name
                + "': aggregate ids are handed as AggregateId, String, UUID, Long or Integer, not "
                + idType.getName());
      }
      this.idType = idType;
      this.handlers = handlers;
      return this;
    }

    /** Computes states with {@code loader} instead of from the whole stored history. */
    public StatesBuilder<S> stateLoader(StateLoader<S> loader) {
      this.loader = requireNonNull(loader, "state loader must not be null");
      return this;
    }

    @Override
    public Projection build() {
      if (handlers == null) {
        throw new IllegalStateException(
            "projection '"
                + name
                + "' has no handler; give it handler(UUID.class, (id, state) -> ...)");
      }
      return new Projection(this, Kind.STATES);
    }
  }
}
