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
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
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

  /** Methods with up to this many parameters are called without an array of arguments. */
  private static final int DIRECT_ARITY = 4;

  /**
   * One event's method, resolved when the builder is made: the declaration's reader of the event's
   * parameters, and a method handle of type {@code (Object state, Object... arguments) -> Object}
   * (arguments spread over an array beyond {@link #DIRECT_ARITY}) whatever the method's form.
   */
  private record Handler(
      EventDeclaration.Reader reader,
      MethodHandle handle,
      int arity,
      Form form,
      boolean factory,
      boolean returnsState,
      Class<?> idType,
      String where) {}

  private final Class<S> stateClass;
  private final EventDeclaration declaration;
  private final HandlerTable<Handler> handlers;

  private StateBuilder(
      Class<S> stateClass,
      EventDeclaration declaration,
      Map<io.cursus.api.EventType, Handler> handlers) {
    this.stateClass = stateClass;
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
      Handler handler =
          handler(
              stateClass,
              where,
              event,
              declaration.reader(event.type()).orElseThrow(),
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
    return new StateBuilder<>(stateClass, declaration, handlers);
  }

  private static Handler handler(
      Class<?> stateClass,
      String where,
      EventSchema event,
      EventDeclaration.Reader reader,
      Method method) {
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
    return new Handler(
        reader,
        handle(where, method, factory),
        method.getParameterCount(),
        form,
        factory,
        method.getReturnType() != void.class,
        form == Form.FULL ? method.getParameterTypes()[1] : null,
        where);
  }

  /**
   * {@code method} as a handle taking the state and the arguments as {@code Object}s and returning
   * an {@code Object}: a factory ignores the state, a {@code void} method returns null. Adapted
   * once here, so each event costs one call through the handle instead of a reflective call.
   */
  private static MethodHandle handle(String where, Method method, boolean factory) {
    MethodHandle handle;
    try {
      handle = MethodHandles.lookup().unreflect(method);
    } catch (IllegalAccessException e) {
      throw new DeclarationException(where + ": cannot be called (" + e.getMessage() + ")");
    }
    int arguments = method.getParameterCount();
    if (factory) {
      handle = MethodHandles.dropArguments(handle, 0, Object.class);
    }
    handle = handle.asType(MethodType.genericMethodType(arguments + 1));
    return arguments <= DIRECT_ARITY ? handle : handle.asSpreader(Object[].class, arguments);
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
    HandlerTable.Lookup<Handler> lookup = handlers.lookup();
    AggregateId aggregate = null;
    S state = null;
    for (Event event : events) {
      AggregateId id = event.aggregateId();
      if (aggregate == null) {
        aggregate = id;
      } else if (aggregate != id && !aggregate.equals(id)) {
        throw new IllegalArgumentException(
            "a state is built from one aggregate's history; found " + aggregate + " and " + id);
      }
      if (!range.contains(event.eventTime())) {
        continue;
      }
      Handler handler = lookup.get(event.type());
      if (handler == null || (state == null) != handler.factory()) {
        continue; // no method, an update before the state exists, or a second initial event
      }
      Object result = invoke(handler, state, event);
      if (state == null) {
        state = stateClass.cast(result);
      } else if (handler.returnsState()) {
        if (result == null) {
          throw new IllegalStateException(handler.where() + " returned null for " + event);
        }
        state = stateClass.cast(result);
      }
    }
    return Optional.ofNullable(state);
  }

  private static Object invoke(Handler handler, Object target, Event event) {
    MethodHandle handle = handler.handle();
    try {
      return switch (handler.arity()) {
        case 0 -> (Object) handle.invokeExact(target);
        case 1 -> (Object) handle.invokeExact(target, argument(handler, event, 0));
        case 2 ->
            (Object)
                handle.invokeExact(
                    target, argument(handler, event, 0), argument(handler, event, 1));
        case 3 ->
            (Object)
                handle.invokeExact(
                    target,
                    argument(handler, event, 0),
                    argument(handler, event, 1),
                    argument(handler, event, 2));
        case 4 ->
            (Object)
                handle.invokeExact(
                    target,
                    argument(handler, event, 0),
                    argument(handler, event, 1),
                    argument(handler, event, 2),
                    argument(handler, event, 3));
        default -> (Object) handle.invokeExact(target, arguments(handler, event));
      };
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new EventHandlingException(handler.where() + " threw " + e + " on " + event, e);
    }
  }

  /** Argument {@code index} of the handler's method for {@code event}. */
  private static Object argument(Handler handler, Event event, int index) {
    return switch (handler.form()) {
      case FULL ->
          index == 0
              ? event.timestamp()
              : index == 1
                  ? event.aggregateId().idAs(handler.idType())
                  : handler.reader().value(event, index - 2);
      case WITH_TIMESTAMP ->
          index == 0 ? event.timestamp() : handler.reader().value(event, index - 1);
      case PARAMETERS_ONLY -> handler.reader().value(event, index);
    };
  }

  private static Object[] arguments(Handler handler, Event event) {
    Object[] arguments = new Object[handler.arity()];
    for (int i = 0; i < arguments.length; i++) {
      arguments[i] = argument(handler, event, i);
    }
    return arguments;
  }
}
