package io.cursus.api.internal;

import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Calls of a method handle through a class that {@link LambdaMetafactory} spins for it,
 * implementing one of the interfaces below, so that the JIT can inline the call where a call site
 * sees few such classes (a method handle held in a field is not a constant to the JIT, and is never
 * inlined). Used by the record constructors of the mapping and the state methods of the state
 * builder.
 *
 * <p>The interfaces are named by the number of JVM arguments of the call: {@code Fn<n>} returns a
 * value, {@code Proc<n>} returns nothing.
 */
public final class SpunCalls {

  /** Calls of up to this many arguments have an interface. */
  public static final int MAX_ARGUMENTS = 7;

  public interface Fn0 {
    Object call();
  }

  public interface Fn1 {
    Object call(Object a);
  }

  public interface Fn2 {
    Object call(Object a, Object b);
  }

  public interface Fn3 {
    Object call(Object a, Object b, Object c);
  }

  public interface Fn4 {
    Object call(Object a, Object b, Object c, Object d);
  }

  public interface Fn5 {
    Object call(Object a, Object b, Object c, Object d, Object e);
  }

  public interface Fn6 {
    Object call(Object a, Object b, Object c, Object d, Object e, Object f);
  }

  public interface Fn7 {
    Object call(Object a, Object b, Object c, Object d, Object e, Object f, Object g);
  }

  public interface Proc1 {
    void call(Object a);
  }

  public interface Proc2 {
    void call(Object a, Object b);
  }

  public interface Proc3 {
    void call(Object a, Object b, Object c);
  }

  public interface Proc4 {
    void call(Object a, Object b, Object c, Object d);
  }

  public interface Proc5 {
    void call(Object a, Object b, Object c, Object d, Object e);
  }

  public interface Proc6 {
    void call(Object a, Object b, Object c, Object d, Object e, Object f);
  }

  public interface Proc7 {
    void call(Object a, Object b, Object c, Object d, Object e, Object f, Object g);
  }

  private static final Class<?>[] FUNCTIONS = {
    Fn0.class, Fn1.class, Fn2.class, Fn3.class, Fn4.class, Fn5.class, Fn6.class, Fn7.class
  };

  private static final Class<?>[] PROCEDURES = {
    null, Proc1.class, Proc2.class, Proc3.class, Proc4.class, Proc5.class, Proc6.class, Proc7.class
  };

  private SpunCalls() {}

  /**
   * An instance of the interface of {@code target}'s shape ({@code Fn<n>}, or {@code Proc<n>} for a
   * {@code void} method) whose method calls {@code target}. The interface takes {@code Object}s;
   * the spun class casts them to the target's parameter types (unboxing primitives). The class is
   * defined with {@code caller}'s access, so it reaches what the caller reaches.
   *
   * @throws Throwable if the class cannot be spun: {@code caller} cannot reach the target, or the
   *     target takes more than {@link #MAX_ARGUMENTS} arguments
   */
  public static Object spin(MethodHandles.Lookup caller, MethodHandle target) throws Throwable {
    MethodType type = target.type();
    boolean returns = type.returnType() != void.class;
    int n = type.parameterCount();
    MethodType erased = MethodType.genericMethodType(n);
    MethodType boxed = type.wrap();
    if (!returns) {
      erased = erased.changeReturnType(void.class);
      boxed = boxed.changeReturnType(void.class);
    }
    return LambdaMetafactory.metafactory(
            caller,
            "call",
            MethodType.methodType(returns ? FUNCTIONS[n] : PROCEDURES[n]),
            erased,
            target,
            boxed)
        .getTarget()
        .invoke();
  }

  /**
   * Whether a spun class defined by {@code ours} resolves {@code type}'s name to {@code type}: true
   * if {@code type}'s loader (null: the bootstrap loader, which also defines primitives) is {@code
   * ours} or one of its parents, since {@code ours} delegates to its parents first. A class of any
   * other loader (a plug-in's child loader, say) is taken as not resolving alike, which is safe:
   * the caller keeps its method-handle path. No class is looked up by name.
   */
  public static boolean resolvesAlike(Class<?> type, ClassLoader ours) {
    ClassLoader theirs = type.getClassLoader();
    if (theirs == null) {
      return true;
    }
    for (ClassLoader loader = ours; loader != null; loader = loader.getParent()) {
      if (loader == theirs) {
        return true;
      }
    }
    return false;
  }
}
