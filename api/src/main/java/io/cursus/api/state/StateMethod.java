package io.cursus.api.state;

import io.cursus.api.Event;
import io.cursus.api.internal.EventReader;
import io.cursus.api.internal.SpunCalls;
import io.cursus.api.internal.SpunCalls.Fn0;
import io.cursus.api.internal.SpunCalls.Fn1;
import io.cursus.api.internal.SpunCalls.Fn2;
import io.cursus.api.internal.SpunCalls.Fn3;
import io.cursus.api.internal.SpunCalls.Fn4;
import io.cursus.api.internal.SpunCalls.Fn5;
import io.cursus.api.internal.SpunCalls.Fn6;
import io.cursus.api.internal.SpunCalls.Fn7;
import io.cursus.api.internal.SpunCalls.Proc1;
import io.cursus.api.internal.SpunCalls.Proc2;
import io.cursus.api.internal.SpunCalls.Proc3;
import io.cursus.api.internal.SpunCalls.Proc4;
import io.cursus.api.internal.SpunCalls.Proc5;
import io.cursus.api.internal.SpunCalls.Proc6;
import io.cursus.api.internal.SpunCalls.Proc7;
import io.cursus.api.mapping.ParameterSchema;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One method of a state class, resolved when its builder is made: what it is, how to read its
 * arguments from an event and how to call it, in a way the JIT compiles close to a hand-written
 * call.
 *
 * <p>A method handle held in a field is not a constant to the JIT, so each call through one runs
 * the handle's adapters out of line and the state method is never inlined. Instead, {@link
 * SpunCalls} spins, per method, a small class implementing one of its interfaces whose method calls
 * the state method directly; the spun class casts the arguments to the method's parameter types,
 * which is the only check of a value's type on this path (see {@link #argument}). {@link #call}
 * makes one interface call with the arguments its caller read, from a call site per interface and
 * arity: the JIT inlines the state method where that site has seen few of them (a loop over one
 * state class's events) and dispatches through the interface where it has seen many. Methods the
 * spun class cannot reach (one of a class that is not public in another package, say) and methods
 * with more than {@link #DIRECT_PARAMETERS} parameters are called through their method handle, as
 * before.
 *
 * <p>Immutable and thread-safe.
 */
final class StateMethod {

  /**
   * Methods with up to this many parameters are called directly, without an array; the caller reads
   * up to this many arguments (see {@link #call}).
   */
  static final int DIRECT_PARAMETERS = 6;

  /** Through their handle, methods with up to this many parameters are called without an array. */
  private static final int HANDLE_PARAMETERS = 4;

  /** A static factory, called through {@code Fn<parameters>}. */
  private static final int FACTORY = 0;

  /** An update returning the state, called through {@code Fn<parameters + 1>}. */
  private static final int RETURNING = 1;

  /** An update returning {@code void}, called through {@code Proc<parameters + 1>}. */
  private static final int VOID = 2;

  /** A method called through its handle, adapted by {@link #adapt}. */
  private static final int HANDLE = 3;

  /**
   * The spun calls made so far, by method, empty for a method that cannot have one. A spun class
   * lives as long as this library's loader, so making a builder of the same state class again, as
   * code may do for each rebuild, must find them here rather than spin new ones.
   */
  private static final ClassValue<Map<Method, Optional<Object>>> SPUN =
      new ClassValue<>() {
        @Override
        protected Map<Method, Optional<Object>> computeValue(Class<?> type) {
          return new ConcurrentHashMap<>();
        }
      };

  private final int kind;
  private final boolean factory;
  private final boolean returnsState;
  private final String where;
  private final Object target;
  private final int parameters;
  private final int passed;
  private final int prefix;
  private final Class<?> idType;
  private final EventReader reader;
  private final String[] names;

  private StateMethod(
      int kind,
      boolean factory,
      boolean returnsState,
      String where,
      Object target,
      int parameters,
      int prefix,
      Class<?> idType,
      EventReader reader) {
    this.kind = kind;
    this.factory = factory;
    this.returnsState = returnsState;
    this.where = where;
    this.target = target;
    this.parameters = parameters;
    this.passed = Math.min(parameters, DIRECT_PARAMETERS);
    this.prefix = prefix;
    this.idType = idType;
    this.reader = reader;
    this.names = new String[parameters];
    List<ParameterSchema> schema = reader.schema().parameters();
    for (int i = prefix; i < parameters; i++) {
      names[i] = schema.get(i - prefix).name();
    }
  }

  /**
   * The call of {@code method}, a public method of the state class, and {@code handle}, the handle
   * unreflected from it: a static factory if {@code factory}, otherwise an update called on the
   * state.
   *
   * @param prefix how many arguments precede the event's parameters: none, the stream timestamp, or
   *     the stream timestamp and the aggregate id
   * @param idType the aggregate id's declared type when {@code prefix} is 2
   * @param reader the reader of the event's parameters
   * @param where the method's name for messages: {@code ParcelState.delivered}
   */
  static StateMethod of(
      Method method,
      MethodHandle handle,
      boolean factory,
      int prefix,
      Class<?> idType,
      EventReader reader,
      String where) {
    int parameters = method.getParameterCount();
    boolean returns = method.getReturnType() != void.class;
    Optional<Object> spun =
        parameters <= DIRECT_PARAMETERS
            ? SPUN.get(method.getDeclaringClass()).computeIfAbsent(method, m -> spun(handle))
            : Optional.empty();
    return new StateMethod(
        spun.isEmpty() ? HANDLE : factory ? FACTORY : returns ? RETURNING : VOID,
        factory,
        returns,
        where,
        spun.isPresent() ? spun.get() : adapt(handle, factory, parameters),
        parameters,
        prefix,
        idType,
        reader);
  }

  /** The spun call of {@code handle}, or empty if it cannot have one. */
  private static Optional<Object> spun(MethodHandle handle) {
    if (!resolvesAlike(handle)) {
      return Optional.empty();
    }
    try {
      return Optional.of(SpunCalls.spin(MethodHandles.lookup(), handle));
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      // Access (a class or method this package cannot reach), a module that does not read this
      // one: the handle still works.
      return Optional.empty();
    }
  }

  /** Whether the method is a static factory, called for an initial event before any state. */
  boolean factory() {
    return factory;
  }

  /** Whether the method returns the state (or, for a factory, the new state). */
  boolean returnsState() {
    return returnsState;
  }

  /** The method's name for messages: {@code ParcelState.delivered}. */
  String where() {
    return where;
  }

  /** Whether the method is called directly rather than through its method handle. */
  boolean direct() {
    return kind != HANDLE;
  }

  /** The spun call or the adapted handle; for tests. */
  Object target() {
    return target;
  }

  /**
   * Whether this class's loader, which defines the spun class and so resolves the classes its code
   * names, resolves the method's class and the classes it takes and returns to the same classes. A
   * state class of a child loader (a plug-in's, say) does not: the spun class would fail when first
   * called, where the handle works.
   */
  private static boolean resolvesAlike(MethodHandle method) {
    List<Class<?>> classes = new ArrayList<>(method.type().parameterList());
    classes.add(method.type().returnType());
    try {
      classes.add(MethodHandles.lookup().revealDirect(method).getDeclaringClass());
    } catch (IllegalArgumentException e) {
      return false; // not accessible from here: the spun class could not call it either
    }
    ClassLoader ours = StateMethod.class.getClassLoader();
    for (Class<?> type : classes) {
      if (!SpunCalls.resolvesAlike(type, ours)) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code method} as a handle taking the state and the arguments as {@code Object}s and returning
   * an {@code Object}: a factory ignores the state, a {@code void} method returns null; arguments
   * are spread over an array beyond {@link #HANDLE_PARAMETERS}.
   */
  private static MethodHandle adapt(MethodHandle method, boolean factory, int parameters) {
    MethodHandle handle = method;
    if (factory) {
      handle = MethodHandles.dropArguments(handle, 0, Object.class);
    }
    handle = handle.asType(MethodType.genericMethodType(parameters + 1));
    return parameters <= HANDLE_PARAMETERS ? handle : handle.asSpreader(Object[].class, parameters);
  }

  /**
   * How many of the method's arguments the caller reads with {@link #argument} and passes to the
   * {@code call} of that many: all, up to {@link #DIRECT_PARAMETERS}.
   */
  int passed() {
    return passed;
  }

  // The calls of each number of passed arguments: on the state for an update, ignoring it for a
  // factory. Each returns what the method returns, null if it is void, and throws what it throws.
  // The caller reads the arguments, so that these stay small and the JIT inlines them into the
  // loop over the events however they were compiled before; a loop over one state class's events
  // then makes a direct call of its methods.

  /** Calls the method, which takes no arguments or only the timestamp and id. */
  Object call(Object s, Event e) throws Throwable {
    return switch (kind) {
      case VOID -> {
        ((Proc1) target).call(s);
        yield null;
      }
      case RETURNING -> ((Fn1) target).call(s);
      case FACTORY -> ((Fn0) target).call();
      default -> (Object) ((MethodHandle) target).invokeExact(s);
    };
  }

  Object call(Object s, Event e, Object a0) throws Throwable {
    return switch (kind) {
      case VOID -> {
        ((Proc2) target).call(s, a0);
        yield null;
      }
      case RETURNING -> ((Fn2) target).call(s, a0);
      case FACTORY -> ((Fn1) target).call(a0);
      default -> (Object) ((MethodHandle) target).invokeExact(s, a0);
    };
  }

  Object call(Object s, Event e, Object a0, Object a1) throws Throwable {
    return switch (kind) {
      case VOID -> {
        ((Proc3) target).call(s, a0, a1);
        yield null;
      }
      case RETURNING -> ((Fn3) target).call(s, a0, a1);
      case FACTORY -> ((Fn2) target).call(a0, a1);
      default -> (Object) ((MethodHandle) target).invokeExact(s, a0, a1);
    };
  }

  Object call(Object s, Event e, Object a0, Object a1, Object a2) throws Throwable {
    return switch (kind) {
      case VOID -> {
        ((Proc4) target).call(s, a0, a1, a2);
        yield null;
      }
      case RETURNING -> ((Fn4) target).call(s, a0, a1, a2);
      case FACTORY -> ((Fn3) target).call(a0, a1, a2);
      default -> (Object) ((MethodHandle) target).invokeExact(s, a0, a1, a2);
    };
  }

  Object call(Object s, Event e, Object a0, Object a1, Object a2, Object a3) throws Throwable {
    return switch (kind) {
      case VOID -> {
        ((Proc5) target).call(s, a0, a1, a2, a3);
        yield null;
      }
      case RETURNING -> ((Fn5) target).call(s, a0, a1, a2, a3);
      case FACTORY -> ((Fn4) target).call(a0, a1, a2, a3);
      default -> (Object) ((MethodHandle) target).invokeExact(s, a0, a1, a2, a3);
    };
  }

  Object call(Object s, Event e, Object a0, Object a1, Object a2, Object a3, Object a4)
      throws Throwable {
    return switch (kind) {
      case VOID -> {
        ((Proc6) target).call(s, a0, a1, a2, a3, a4);
        yield null;
      }
      case RETURNING -> ((Fn6) target).call(s, a0, a1, a2, a3, a4);
      case FACTORY -> ((Fn5) target).call(a0, a1, a2, a3, a4);
      default -> (Object) ((MethodHandle) target).invokeExact(s, new Object[] {a0, a1, a2, a3, a4});
    };
  }

  Object call(Object s, Event e, Object a0, Object a1, Object a2, Object a3, Object a4, Object a5)
      throws Throwable {
    return switch (kind) {
      case VOID -> {
        ((Proc7) target).call(s, a0, a1, a2, a3, a4, a5);
        yield null;
      }
      case RETURNING -> ((Fn7) target).call(s, a0, a1, a2, a3, a4, a5);
      case FACTORY -> ((Fn6) target).call(a0, a1, a2, a3, a4, a5);
      default -> spread(s, e, a0, a1, a2, a3, a4, a5);
    };
  }

  /** The call through the handle of a method of six or more parameters. */
  private Object spread(
      Object s, Event e, Object a0, Object a1, Object a2, Object a3, Object a4, Object a5)
      throws Throwable {
    Object[] arguments = new Object[parameters];
    Object[] passed = {a0, a1, a2, a3, a4, a5};
    for (int i = 0; i < arguments.length; i++) {
      arguments[i] = i < passed.length ? passed[i] : argument(e, i);
    }
    return (Object) ((MethodHandle) target).invokeExact(s, arguments);
  }

  /**
   * Argument {@code index} of the method for {@code event}. A parameter's value is not checked
   * against its declared type: the call casts it to that type, and a caller whose call fails calls
   * {@link #check} for the message naming the parameter.
   */
  Object argument(Event event, int index) {
    String name = names[index];
    if (name != null) {
      Object value = event.parameters().get(name);
      return value != null ? value : reader.uncheckedValue(event, index - prefix);
    }
    return index == 0 ? event.timestamp() : event.aggregateId().idAs(idType);
  }

  /**
   * Reads every argument of the method for {@code event} as {@link #argument} does, but checking
   * each parameter's value against its declared type; throws the first problem found, naming it.
   */
  void check(Event event) {
    for (int i = 0; i < parameters; i++) {
      if (i >= prefix) {
        reader.value(event, i - prefix);
      } else {
        argument(event, i);
      }
    }
  }
}
