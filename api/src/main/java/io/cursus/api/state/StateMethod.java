package io.cursus.api.state;

import io.cursus.api.Event;
import io.cursus.api.mapping.EventDeclaration;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * One method of a state class, resolved once: how to read its arguments from an event and how to
 * call it, in a way the JIT compiles close to a hand-written call.
 *
 * <p>A method handle held in a field is not a constant to the JIT, so each call through one runs
 * the handle's adapters out of line and the state method is never inlined. Instead, {@link
 * LambdaMetafactory} spins, per method, a small class implementing one of the interfaces below
 * whose method calls the state method directly. {@link #call} makes one interface call with the
 * arguments its caller read, from a call site per interface and arity: the JIT inlines the state
 * method where that site has seen few of them (a loop over one state class's events) and dispatches
 * through the interface where it has seen many. Methods the spun class cannot reach (one of a class
 * that is not public in another package, say) and methods with more than {@link #DIRECT_PARAMETERS}
 * parameters are called through their method handle, as before.
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

  // Call shapes by the number of the method's JVM arguments, the receiver first if it has one.
  interface Fn0 {
    Object call();
  }

  interface Fn1 {
    Object call(Object a);
  }

  interface Fn2 {
    Object call(Object a, Object b);
  }

  interface Fn3 {
    Object call(Object a, Object b, Object c);
  }

  interface Fn4 {
    Object call(Object a, Object b, Object c, Object d);
  }

  interface Fn5 {
    Object call(Object a, Object b, Object c, Object d, Object e);
  }

  interface Fn6 {
    Object call(Object a, Object b, Object c, Object d, Object e, Object f);
  }

  interface Fn7 {
    Object call(Object a, Object b, Object c, Object d, Object e, Object f, Object g);
  }

  interface Proc1 {
    void call(Object a);
  }

  interface Proc2 {
    void call(Object a, Object b);
  }

  interface Proc3 {
    void call(Object a, Object b, Object c);
  }

  interface Proc4 {
    void call(Object a, Object b, Object c, Object d);
  }

  interface Proc5 {
    void call(Object a, Object b, Object c, Object d, Object e);
  }

  interface Proc6 {
    void call(Object a, Object b, Object c, Object d, Object e, Object f);
  }

  interface Proc7 {
    void call(Object a, Object b, Object c, Object d, Object e, Object f, Object g);
  }

  private static final Class<?>[] FUNCTIONS = {
    Fn0.class, Fn1.class, Fn2.class, Fn3.class, Fn4.class, Fn5.class, Fn6.class, Fn7.class
  };

  private static final Class<?>[] PROCEDURES = {
    null, Proc1.class, Proc2.class, Proc3.class, Proc4.class, Proc5.class, Proc6.class, Proc7.class
  };

  private final int kind;
  private final Object target;
  private final int parameters;
  private final int passed;
  private final int prefix;
  private final Class<?> idType;
  private final EventDeclaration.Reader reader;

  private StateMethod(
      int kind,
      Object target,
      int parameters,
      int prefix,
      Class<?> idType,
      EventDeclaration.Reader reader) {
    this.kind = kind;
    this.target = target;
    this.parameters = parameters;
    this.passed = Math.min(parameters, DIRECT_PARAMETERS);
    this.prefix = prefix;
    this.idType = idType;
    this.reader = reader;
  }

  /**
   * The call of {@code method}, a handle unreflected from a public method of the state class: a
   * static factory if {@code factory}, otherwise an update called on the state.
   *
   * @param prefix how many arguments precede the event's parameters: none, the stream timestamp, or
   *     the stream timestamp and the aggregate id
   * @param idType the aggregate id's declared type when {@code prefix} is 2
   * @param reader the reader of the event's parameters
   */
  static StateMethod of(
      MethodHandle method,
      boolean factory,
      int prefix,
      Class<?> idType,
      EventDeclaration.Reader reader) {
    int parameters = method.type().parameterCount() - (factory ? 0 : 1);
    if (parameters <= DIRECT_PARAMETERS) {
      try {
        boolean returns = method.type().returnType() != void.class;
        return new StateMethod(
            factory ? FACTORY : returns ? RETURNING : VOID,
            spin(method, returns),
            parameters,
            prefix,
            idType,
            reader);
      } catch (Throwable e) {
        // Access (a class or method this package cannot reach), a class loader that does not see
        // these interfaces, a module that does not read this one: the handle still works.
      }
    }
    return new StateMethod(
        HANDLE, adapt(method, factory, parameters), parameters, prefix, idType, reader);
  }

  /** Whether the method is called directly rather than through its method handle. */
  boolean direct() {
    return kind != HANDLE;
  }

  /**
   * An instance of the interface of {@code method}'s shape whose method calls {@code method}. The
   * interface takes {@code Object}s; the spun class casts them to the method's parameter types
   * (unboxing primitives), which is the only check of a value's type on this path (see {@link
   * #argument}).
   */
  private static Object spin(MethodHandle method, boolean returns) throws Throwable {
    MethodType type = method.type();
    int n = type.parameterCount();
    MethodType erased = MethodType.genericMethodType(n);
    MethodType boxed = type.wrap();
    if (!returns) {
      erased = erased.changeReturnType(void.class);
      boxed = boxed.changeReturnType(void.class);
    }
    return LambdaMetafactory.metafactory(
            MethodHandles.lookup(),
            "call",
            MethodType.methodType(returns ? FUNCTIONS[n] : PROCEDURES[n]),
            erased,
            method,
            boxed)
        .getTarget()
        .invoke();
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
   * How many of the method's arguments the caller reads with {@link #argument} and passes to {@link
   * #call}: all, up to {@link #DIRECT_PARAMETERS}.
   */
  int passed() {
    return passed;
  }

  /**
   * Calls the method for {@code event}: on {@code state} for an update, ignoring it for a factory,
   * with the first {@link #passed} arguments read from the event (the others null). Returns what
   * the method returns, null if it is {@code void}; throws what it throws.
   *
   * <p>The caller reads the arguments so that this method, and each of the few it calls, stays
   * small: the JIT then inlines them into the loop over the events however they were compiled
   * before, and a loop over one state class's events makes a direct call of its methods.
   */
  Object call(
      Object state, Event event, Object a0, Object a1, Object a2, Object a3, Object a4, Object a5)
      throws Throwable {
    if (kind == VOID) {
      update(state, a0, a1, a2, a3, a4, a5);
      return null;
    }
    if (kind == RETURNING) {
      return returning(state, a0, a1, a2, a3, a4, a5);
    }
    if (kind == FACTORY) {
      return factory(a0, a1, a2, a3, a4, a5);
    }
    return viaHandle(state, event, a0, a1, a2, a3, a4, a5);
  }

  private Object factory(Object a0, Object a1, Object a2, Object a3, Object a4, Object a5) {
    return switch (parameters) {
      case 0 -> ((Fn0) target).call();
      case 1 -> ((Fn1) target).call(a0);
      case 2 -> ((Fn2) target).call(a0, a1);
      case 3 -> ((Fn3) target).call(a0, a1, a2);
      case 4 -> ((Fn4) target).call(a0, a1, a2, a3);
      case 5 -> ((Fn5) target).call(a0, a1, a2, a3, a4);
      default -> ((Fn6) target).call(a0, a1, a2, a3, a4, a5);
    };
  }

  private Object returning(
      Object s, Object a0, Object a1, Object a2, Object a3, Object a4, Object a5) {
    return switch (parameters) {
      case 0 -> ((Fn1) target).call(s);
      case 1 -> ((Fn2) target).call(s, a0);
      case 2 -> ((Fn3) target).call(s, a0, a1);
      case 3 -> ((Fn4) target).call(s, a0, a1, a2);
      case 4 -> ((Fn5) target).call(s, a0, a1, a2, a3);
      case 5 -> ((Fn6) target).call(s, a0, a1, a2, a3, a4);
      default -> ((Fn7) target).call(s, a0, a1, a2, a3, a4, a5);
    };
  }

  private void update(Object s, Object a0, Object a1, Object a2, Object a3, Object a4, Object a5) {
    switch (parameters) {
      case 0 -> ((Proc1) target).call(s);
      case 1 -> ((Proc2) target).call(s, a0);
      case 2 -> ((Proc3) target).call(s, a0, a1);
      case 3 -> ((Proc4) target).call(s, a0, a1, a2);
      case 4 -> ((Proc5) target).call(s, a0, a1, a2, a3);
      case 5 -> ((Proc6) target).call(s, a0, a1, a2, a3, a4);
      default -> ((Proc7) target).call(s, a0, a1, a2, a3, a4, a5);
    }
  }

  private Object viaHandle(
      Object s, Event e, Object a0, Object a1, Object a2, Object a3, Object a4, Object a5)
      throws Throwable {
    MethodHandle handle = (MethodHandle) target;
    return switch (parameters) {
      case 0 -> (Object) handle.invokeExact(s);
      case 1 -> (Object) handle.invokeExact(s, a0);
      case 2 -> (Object) handle.invokeExact(s, a0, a1);
      case 3 -> (Object) handle.invokeExact(s, a0, a1, a2);
      case 4 -> (Object) handle.invokeExact(s, a0, a1, a2, a3);
      default -> {
        Object[] passed = {a0, a1, a2, a3, a4, a5};
        Object[] arguments = new Object[parameters];
        for (int i = 0; i < arguments.length; i++) {
          arguments[i] = i < passed.length ? passed[i] : argument(e, i);
        }
        yield (Object) handle.invokeExact(s, arguments);
      }
    };
  }

  /**
   * Argument {@code index} of the method for {@code event}. A parameter's value is not checked
   * against its declared type: the call casts it to that type, and a caller whose call fails calls
   * {@link #check} for the message naming the parameter.
   */
  Object argument(Event event, int index) {
    if (index >= prefix) {
      return reader.uncheckedValue(event, index - prefix);
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
