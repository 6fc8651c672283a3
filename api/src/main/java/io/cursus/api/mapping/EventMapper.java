package io.cursus.api.mapping;

import static java.util.Objects.requireNonNull;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.HandlesEventsFor;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.internal.AggregateIds;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The mapping core's entry points: emitters and handlers for event interfaces, codecs for event
 * families (sealed interfaces of records, Kotlin sealed classes).
 *
 * <p>Every method maps its declaration first, so a declaration that breaks a rule fails here with a
 * {@link DeclarationException}, before any event exists.
 */
public final class EventMapper {

  private static final ClassValue<EventDeclaration> FAMILY_OF =
      new ClassValue<>() {
        @Override
        protected EventDeclaration computeValue(Class<?> type) {
          return EventDeclaration.of(findDeclaringType(type));
        }
      };

  private EventMapper() {}

  /**
   * An implementation of {@code eventInterface} whose every call makes an event and passes it to
   * {@code out}. Default methods run as written. Thread-safe if {@code out} is.
   *
   * @throws DeclarationException if the interface breaks a mapping rule
   */
  public static <T> T emitter(Class<T> eventInterface, Consumer<? super Event> out) {
    requireNonNull(out, "out must not be null");
    EventDeclaration declaration = interfaceDeclaration(eventInterface);
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (method.getDeclaringClass() == Object.class) {
            return objectMethod(eventInterface, proxy, method, args);
          }
          if (method.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, method, args);
          }
          out.accept(toEvent(declaration.definition(method), declaration.aggregateType(), args));
          return null;
        };
    return eventInterface.cast(
        Proxy.newProxyInstance(
            eventInterface.getClassLoader(), new Class<?>[] {eventInterface}, handler));
  }

  /**
   * A dispatcher that calls {@code handler}'s method for each event of {@code eventInterface}.
   *
   * @throws DeclarationException if the interface breaks a mapping rule
   */
  public static <T> EventDispatcher handler(Class<T> eventInterface, T handler) {
    requireNonNull(handler, "handler must not be null");
    EventDeclaration declaration = interfaceDeclaration(eventInterface);
    return event -> {
      Definition definition = declaration.definition(event.type());
      if (definition == null) {
        return false;
      }
      Object[] values = Values.fromParameters(definition, event);
      Object[] args = new Object[values.length + 2];
      args[0] = event.timestamp();
      args[1] = IdTypes.fromText(event.aggregateId(), definition.idType(), definition.where());
      System.arraycopy(values, 0, args, 2, values.length);
      try {
        definition.method().invoke(handler, args);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(
            definition.where() + ": handler method is not accessible: " + e.getMessage(), e);
      } catch (InvocationTargetException e) {
        throw Invocations.rethrow(e, definition.where() + " handling " + event);
      }
      return true;
    };
  }

  /**
   * The codec of the event family {@code family}: a sealed interface of records or a Kotlin sealed
   * class, annotated {@link HandlesEventsFor}. A member class of a family finds its family.
   *
   * @throws DeclarationException if the family breaks a mapping rule
   */
  public static <E> EventCodec<E> codec(Class<E> family) {
    requireNonNull(family, "family must not be null");
    EventDeclaration declaration = FAMILY_OF.get(family);
    if (declaration.kind() != EventDeclaration.Kind.FAMILY) {
      throw new DeclarationException(
          family.getName()
              + ": is an event interface; use EventMapper.emitter/handler for interfaces and"
              + " codec for sealed families");
    }
    return new EventCodec<>(declaration);
  }

  private static EventDeclaration interfaceDeclaration(Class<?> eventInterface) {
    requireNonNull(eventInterface, "event interface must not be null");
    EventDeclaration declaration = EventDeclaration.of(eventInterface);
    if (declaration.kind() != EventDeclaration.Kind.INTERFACE) {
      throw new DeclarationException(
          eventInterface.getName()
              + ": is a sealed event family; use EventMapper.codec(...) or EventBus.dispatchTo(...)");
    }
    return declaration;
  }

  private static Event toEvent(Definition definition, String aggregateType, Object[] args) {
    StreamTimestamp timestamp = (StreamTimestamp) args[0];
    if (timestamp == null) {
      throw new IllegalArgumentException(
          definition.where() + ": stream timestamp must not be null");
    }
    if (args[1] == null) {
      throw new IllegalArgumentException(definition.where() + ": aggregate id must not be null");
    }
    AggregateId id;
    try {
      id = AggregateIds.of(aggregateType, args[1]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(definition.where() + ": " + e.getMessage(), e);
    }
    return Event.of(
        id,
        timestamp,
        definition.schema().type(),
        Values.toParameters(definition, args, 2),
        definition.schema().characteristics());
  }

  private static Object objectMethod(Class<?> type, Object proxy, Method method, Object[] args) {
    return switch (method.getName()) {
      case "equals" -> proxy == args[0];
      case "hashCode" -> System.identityHashCode(proxy);
      case "toString" -> "emitter of " + type.getSimpleName();
      default -> throw new UnsupportedOperationException(method.toString());
    };
  }

  /** The type that carries {@link HandlesEventsFor}: the class itself or a supertype. */
  static Class<?> findDeclaringType(Class<?> type) {
    Deque<Class<?>> queue = new ArrayDeque<>();
    Set<Class<?>> seen = new HashSet<>();
    queue.add(type);
    while (!queue.isEmpty()) {
      Class<?> next = queue.removeFirst();
      if (!seen.add(next)) {
        continue;
      }
      if (next.isAnnotationPresent(HandlesEventsFor.class)) {
        return next;
      }
      if (next.getSuperclass() != null) {
        queue.add(next.getSuperclass());
      }
      queue.addAll(java.util.Arrays.asList(next.getInterfaces()));
    }
    throw new DeclarationException(
        type.getName()
            + ": neither it nor a supertype is annotated @HandlesEventsFor, so it belongs to no"
            + " event family");
  }
}
