package io.cursus.api.state;

import static java.util.Objects.requireNonNull;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.EventCharacteristic;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.mapping.DeclarationException;
import io.cursus.api.mapping.EventDeclaration;
import io.cursus.api.mapping.EventHandlingException;
import io.cursus.api.mapping.EventSchema;
import io.cursus.api.mapping.ParameterSchema;
import io.cursus.api.store.EventSource;
import io.cursus.api.store.HistoryQuery;
import io.cursus.api.store.TimeRange;
import java.lang.reflect.InvocationTargetException;
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

  private enum Form {
    FULL,
    WITH_TIMESTAMP,
    PARAMETERS_ONLY
  }

  private record Handler(Method method, Form form, boolean factory, String where) {}

  private final Class<S> stateClass;
  private final EventDeclaration declaration;
  private final Map<io.cursus.api.EventType, Handler> handlers;

  private StateBuilder(
      Class<S> stateClass,
      EventDeclaration declaration,
      Map<io.cursus.api.EventType, Handler> handlers) {
    this.stateClass = stateClass;
    this.declaration = declaration;
    this.handlers = Map.copyOf(handlers);
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
    Map<io.cursus.api.EventType, Handler> handlers = new HashMap<>();
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
      Handler handler = handler(stateClass, where, event, candidates.get(0));
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
    return new StateBuilder<>(stateClass, declaration, handlers);
  }

  private static Handler handler(
      Class<?> stateClass, String where, EventSchema event, Method method) {
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
    return new Handler(method, form(where, event, method), factory, where);
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

  /** The state after every event of {@code history}; empty if it has no initial event. */
  public Optional<S> build(List<Event> history) {
    return buildWithin(history, TimeRange.all());
  }

  /** The state as of {@code eventTime}: after the events that happened at or before it. */
  public Optional<S> buildAsOf(List<Event> history, Instant eventTime) {
    return buildWithin(history, TimeRange.upTo(eventTime));
  }

  /** The state of aggregate {@code id} from the events {@code query} selects in {@code source}. */
  public Optional<S> build(EventSource source, Object id, HistoryQuery query) {
    return build(
        source.history(AggregateId.of(declaration.aggregateType(), id), query.ascending()));
  }

  private Optional<S> buildWithin(List<Event> history, TimeRange range) {
    List<Event> events = StateFold.sorted(history);
    AggregateId aggregate = null;
    S state = null;
    for (Event event : events) {
      if (aggregate == null) {
        aggregate = event.aggregateId();
      } else if (!aggregate.equals(event.aggregateId())) {
        throw new IllegalArgumentException(
            "a state is built from one aggregate's history; found "
                + aggregate
                + " and "
                + event.aggregateId());
      }
      if (!range.contains(event.eventTime())) {
        continue;
      }
      Handler handler = handlers.get(event.type());
      if (handler == null) {
        continue;
      }
      if (state == null) {
        if (handler.factory()) {
          state = stateClass.cast(invoke(handler, null, event));
        }
      } else if (!handler.factory()) {
        Object result = invoke(handler, state, event);
        if (handler.method().getReturnType() != void.class) {
          if (result == null) {
            throw new IllegalStateException(handler.where() + " returned null for " + event);
          }
          state = stateClass.cast(result);
        }
      }
    }
    return Optional.ofNullable(state);
  }

  private Object invoke(Handler handler, Object target, Event event) {
    Object[] values = declaration.parameterValues(event);
    Object[] args;
    switch (handler.form()) {
      case FULL -> {
        args = new Object[values.length + 2];
        args[0] = event.timestamp();
        args[1] = event.aggregateId().idAs(handler.method().getParameterTypes()[1]);
        System.arraycopy(values, 0, args, 2, values.length);
      }
      case WITH_TIMESTAMP -> {
        args = new Object[values.length + 1];
        args[0] = event.timestamp();
        System.arraycopy(values, 0, args, 1, values.length);
      }
      default -> args = values;
    }
    try {
      return handler.method().invoke(target, args);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(handler.where() + " is not accessible: " + e.getMessage(), e);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new EventHandlingException(handler.where() + " threw " + cause + " on " + event, cause);
    }
  }
}
