package io.cursus.api.state;

import static java.util.Objects.requireNonNull;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.EventCharacteristic;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.internal.EventReader;
import io.cursus.api.internal.MappingAccess;
import io.cursus.api.mapping.DeclarationException;
import io.cursus.api.mapping.EventDeclaration;
import io.cursus.api.mapping.EventHandlingException;
import io.cursus.api.mapping.EventSchema;
import io.cursus.api.mapping.ParameterSchema;
import io.cursus.api.store.EventSource;
import io.cursus.api.store.HistoryQuery;
import io.cursus.api.store.TimeRange;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Builds the state of an aggregate from its history, using a state class whose methods are named
 * after events:
 *
 * <pre>{@code
 * final class ParcelState {
 *   static ParcelState receivedAtDepot(StreamTimestamp at, UUID parcelId, String depotId) {...}
 *   void loadedOntoTruck(String truckId) {...}            // or: ParcelState loadedOntoTruck(...)
 *   void delivered(StreamTimestamp at, String destinationId) {...}
 * }
 * StateBuilder.of(ParcelState.class, ParcelEvents.class).build(history)
 * }</pre>
 *
 * <p>A public static method returning the state class is a factory and must handle an {@code
 * Initial} event; a public instance method returning {@code void} or the state class applies an
 * event to the state. A method's parameters are the event's parameters, optionally preceded by the
 * {@link StreamTimestamp}, or by the timestamp and the aggregate id. Every rule is checked by
 * {@link #of}. Events before the first initial event, and events without a method, are passed over.
 *
 * <p>Immutable and thread-safe; the state objects it builds are the state class's business.
 *
 * @param <S> the state class
 */
public final class StateBuilder<S> {

  /** A method's parameters: the event's, after {@code prefix} of the timestamp and id. */
  private enum Form {
    FULL(2),
    WITH_TIMESTAMP(1),
    PARAMETERS_ONLY(0);

    final int prefix;

    Form(int prefix) {
      this.prefix = prefix;
    }
  }

  private final EventDeclaration declaration;
  private final HandlerTable<StateMethod> handlers;

  private StateBuilder(
      EventDeclaration declaration, Map<io.cursus.api.EventType, StateMethod> handlers) {
    this.declaration = declaration;
    this.handlers = new HandlerTable<>(handlers);
  }

  /**
   * The builder of {@code stateClass} from the events of {@code eventDeclaration}.
   *
   * @throws DeclarationException if a method of the state class breaks a rule, naming it
   */
  public static <S> StateBuilder<S> of(Class<S> stateClass, Class<?> eventDeclaration) {
    requireNonNull(stateClass, "state class must not be null");
    EventDeclaration declaration = EventDeclaration.of(eventDeclaration);
    Map<String, List<Method>> byName = new HashMap<>();
    for (Method method : stateClass.getMethods()) {
      if (method.getDeclaringClass() != Object.class) {
        byName.computeIfAbsent(method.getName(), n -> new ArrayList<>()).add(method);
      }
    }
    Map<io.cursus.api.EventType, StateMethod> handlers = new HashMap<>();
    boolean hasFactory = false;
    for (EventSchema event : declaration.events()) {
      List<Method> candidates = byName.getOrDefault(event.type().name(), List.of());
      if (candidates.isEmpty()) {
        continue;
      }
      String where = stateClass.getSimpleName() + "." + event.type().name();
      if (candidates.size() > 1) {
        throw new DeclarationException(
            where + ": " + candidates.size() + " methods handle this event; keep one");
      }
      StateMethod handler =
          handler(
              stateClass,
              where,
              event,
              MappingAccess.reader(declaration, event.type()).orElseThrow(),
              candidates.get(0));
      hasFactory |= handler.factory();
      handlers.put(event.type(), handler);
    }
    if (!hasFactory) {
      throw new DeclarationException(
          stateClass.getSimpleName()
              + ": has no public static factory method for an @Initial event of "
              + eventDeclaration.getSimpleName()
              + ", so no state can be built");
    }
    return new StateBuilder<>(declaration, handlers);
  }

  private static StateMethod handler(
      Class<?> stateClass, String where, EventSchema event, EventReader reader, Method method) {
    boolean factory = Modifier.isStatic(method.getModifiers());
    if (factory) {
      if (!event.characteristics().contains(EventCharacteristic.INITIAL)) {
        throw new DeclarationException(
            where
                + ": a static factory must handle an @Initial event, and "
                + event.type().name()
                + " is not initial; make it an instance method");
      }
      if (method.getReturnType() != stateClass) {
        throw new DeclarationException(
            where
                + ": a static factory must return "
                + stateClass.getSimpleName()
                + ", returns "
                + method.getReturnType().getSimpleName());
      }
    } else if (method.getReturnType() != void.class && method.getReturnType() != stateClass) {
      throw new DeclarationException(
          where
              + ": an update method must return void or "
              + stateClass.getSimpleName()
              + ", returns "
              + method.getReturnType().getSimpleName());
    }
    method.trySetAccessible();
    Form form = form(where, event, method);
    return StateMethod.of(
        method,
        unreflect(where, method),
        factory,
        form.prefix,
        form == Form.FULL ? method.getParameterTypes()[1] : null,
        reader,
        where);
  }

  private static MethodHandle unreflect(String where, Method method) {
    try {
      return MethodHandles.lookup().unreflect(method);
    } catch (IllegalAccessException e) {
      throw new DeclarationException(where + ": cannot be called (" + e.getMessage() + ")");
    }
  }

  private static Form form(String where, EventSchema event, Method method) {
    Type[] given = method.getGenericParameterTypes();
    List<Type> expected = event.parameters().stream().map(ParameterSchema::type).toList();
    int n = expected.size();
    if (given.length == n + 2
        && given[0] == StreamTimestamp.class
        && isIdType(given[1])
        && Arrays.asList(given).subList(2, given.length).equals(expected)) {
      return Form.FULL;
    }
    if (given.length == n + 1
        && given[0] == StreamTimestamp.class
        && Arrays.asList(given).subList(1, given.length).equals(expected)) {
      return Form.WITH_TIMESTAMP;
    }
    if (Arrays.asList(given).equals(expected)) {
      return Form.PARAMETERS_ONLY;
    }
    throw new DeclarationException(
        where
            + ": parameters must be "
            + expected.stream().map(Type::getTypeName).toList()
            + ", optionally preceded by StreamTimestamp, or by StreamTimestamp and the aggregate id;"
            + " were "
            + Arrays.stream(given).map(Type::getTypeName).toList());
  }

  private static boolean isIdType(Type type) {
    return type == String.class
        || type == UUID.class
        || type == Long.class
        || type == long.class
        || type == Integer.class
        || type == int.class;
  }

  /** The type of the aggregates whose state this builds. */
  public String aggregateType() {
    return declaration.aggregateType();
  }

  /** The state after every event of {@code history}; empty if it has no initial event. */
  public Optional<S> build(List<Event> history) {
    return buildWithin(history, TimeRange.all());
  }

  /** The state as of {@code eventTime}: after the events that happened at or before it. */
  public Optional<S> buildAsOf(List<Event> history, Instant eventTime) {
    return buildWithin(history, TimeRange.upTo(eventTime));
  }

  /** The state of aggregate {@code id} from the events {@code query} selects in {@code source}. */
  public Optional<S> build(EventSource source, UUID id, HistoryQuery query) {
    return build(source, AggregateId.of(declaration.aggregateType(), id), query);
  }

  /** As {@link #build(EventSource, UUID, HistoryQuery)}, for aggregates with String ids. */
  public Optional<S> build(EventSource source, String id, HistoryQuery query) {
    return build(source, AggregateId.of(declaration.aggregateType(), id), query);
  }

  /** As {@link #build(EventSource, UUID, HistoryQuery)}, for aggregates with long or int ids. */
  public Optional<S> build(EventSource source, long id, HistoryQuery query) {
    return build(source, AggregateId.of(declaration.aggregateType(), id), query);
  }

  /** The state of {@code aggregate} from the events {@code query} selects in {@code source}. */
  public Optional<S> build(EventSource source, AggregateId aggregate, HistoryQuery query) {
    return build(source.history(aggregate, query.ascending()));
  }

  /**
   * Whether the method of events of {@code type} is called directly (see {@link StateMethod})
   * rather than through its method handle; for tests.
   */
  boolean callsDirectly(io.cursus.api.EventType type) {
    return method(type).direct();
  }

  /** The method of events of {@code type}; for tests. */
  StateMethod method(io.cursus.api.EventType type) {
    return requireNonNull(handlers.lookup().get(type), () -> "no method for " + type);
  }

  // The loop runs once per event of every rebuild, so it does no more than it must per event: no
  // time check when every event counts, no iterator, and no cast of what the methods return (their
  // return type was checked to be the state class by of()).
  @SuppressWarnings("ReferenceEquality") // a history's events usually share one id: a cheap test
  private static boolean sameAggregate(AggregateId a, AggregateId b) {
    return a == b || a.equals(b);
  }

  private Optional<S> buildWithin(List<Event> history, TimeRange range) {
    List<Event> events = StateFold.sorted(history);
    HandlerTable.Lookup<StateMethod> lookup = handlers.lookup();
    TimeRange within = range.isAll() ? null : range;
    AggregateId aggregate = null;
    Object state = null;
    // By index, which sorted() allows: fewer values to keep than an iterator's.
    for (int i = 0, size = events.size(); i < size; i++) {
      Event event = events.get(i);
      AggregateId id = event.aggregateId();
      if (aggregate == null) {
        aggregate = id;
      } else if (!sameAggregate(aggregate, id)) {
        throw new IllegalArgumentException(
            "a state is built from one aggregate's history; found " + aggregate + " and " + id);
      }
      if (within != null && !within.contains(event.eventTime())) {
        continue;
      }
      StateMethod method = lookup.get(event.type());
      if (method == null || (state == null) != method.factory()) {
        continue; // no method, an update before the state exists, or a second initial event
      }
      Object result;
      try {
        // The arguments are read here, in the loop, rather than by the method: see its calls.
        result =
            switch (method.passed()) {
              case 0 -> method.call(state, event);
              case 1 -> method.call(state, event, method.argument(event, 0));
              case 2 ->
                  method.call(state, event, method.argument(event, 0), method.argument(event, 1));
              case 3 ->
                  method.call(
                      state,
                      event,
                      method.argument(event, 0),
                      method.argument(event, 1),
                      method.argument(event, 2));
              case 4 ->
                  method.call(
                      state,
                      event,
                      method.argument(event, 0),
                      method.argument(event, 1),
                      method.argument(event, 2),
                      method.argument(event, 3));
              case 5 ->
                  method.call(
                      state,
                      event,
                      method.argument(event, 0),
                      method.argument(event, 1),
                      method.argument(event, 2),
                      method.argument(event, 3),
                      method.argument(event, 4));
              default ->
                  method.call(
                      state,
                      event,
                      method.argument(event, 0),
                      method.argument(event, 1),
                      method.argument(event, 2),
                      method.argument(event, 3),
                      method.argument(event, 4),
                      method.argument(event, 5));
            };
      } catch (ClassCastException | IllegalArgumentException e) {
        // A value of the wrong type fails the call's cast; a missing one or a bad id fails reading.
        // Either way check() throws the first bad argument by name, as reading them checked would
        // have; if all are good, the state method threw it.
        method.check(event);
        throw e;
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable e) {
        throw new EventHandlingException(method.where() + " threw " + e + " on " + event, e);
      }
      if (state == null) {
        state = result;
      } else if (method.returnsState()) {
        if (result == null) {
          throw new IllegalStateException(method.where() + " returned null for " + event);
        }
        state = result;
      }
    }
    @SuppressWarnings("unchecked") // every method returning a state returns S, checked by of()
    S built = (S) state;
    return Optional.ofNullable(built);
  }
}
