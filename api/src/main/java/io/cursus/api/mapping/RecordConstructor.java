package io.cursus.api.mapping;

import io.cursus.api.Event;
import io.cursus.api.internal.SpunCalls;
import io.cursus.api.internal.SpunCalls.Fn0;
import io.cursus.api.internal.SpunCalls.Fn1;
import io.cursus.api.internal.SpunCalls.Fn2;
import io.cursus.api.internal.SpunCalls.Fn3;
import io.cursus.api.internal.SpunCalls.Fn4;
import io.cursus.api.internal.SpunCalls.Fn5;
import io.cursus.api.internal.SpunCalls.Fn6;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;

/**
 * The canonical constructor of an event record, called directly with values read from an event.
 *
 * <p>The record's {@link io.cursus.api.mapping.spi.EventShape} builds it from an array of values
 * through a method handle held in a field, which the JIT cannot inline: per event that is an array
 * and a call through the handle's adapters. Instead, {@link SpunCalls} spins a small class
 * implementing one of its interfaces whose method calls the constructor, and the values are read
 * into its arguments. Records it cannot reach (one that is not public, say) or of more than {@link
 * #DIRECT_COMPONENTS} components keep their shape's factory.
 *
 * <p>Immutable and thread-safe.
 */
final class RecordConstructor {

  /** Records with up to this many components are built without an array. */
  static final int DIRECT_COMPONENTS = 6;

  private final Object function;
  private final int size;
  private final String[] names;

  private RecordConstructor(Object function, String[] names) {
    this.function = function;
    this.size = names.length;
    this.names = names;
  }

  /**
   * The direct constructor of {@code record}, or null if it has too many components or the spun
   * class could not reach it.
   */
  static RecordConstructor of(Class<?> record) {
    RecordComponent[] components = record.getRecordComponents();
    if (components == null || components.length > DIRECT_COMPONENTS) {
      return null;
    }
    Class<?>[] types =
        Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
    if (!resolvesAlike(record)
        || !Arrays.stream(types).allMatch(RecordConstructor::resolvesAlike)) {
      return null;
    }
    try {
      Constructor<?> constructor = record.getDeclaredConstructor(types);
      Object function =
          SpunCalls.spin(
              MethodHandles.lookup(), MethodHandles.lookup().unreflectConstructor(constructor));
      // Interned as the schema's names are, so that a look-up compares references.
      String[] names =
          Arrays.stream(components).map(c -> c.getName().intern()).toArray(String[]::new);
      return new RecordConstructor(function, names);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      // Access (a record this package cannot reach), a module that does not read this one: the
      // shape's factory still works.
      return null;
    }
  }

  /**
   * Whether this class's loader, which defines the spun class and so resolves the classes its code
   * names, resolves {@code type} to the same class. A record of a child loader (a plug-in's, say)
   * does not: the spun class would fail when first called, where the shape's factory works.
   */
  private static boolean resolvesAlike(Class<?> type) {
    return SpunCalls.resolvesAlike(type, RecordConstructor.class.getClassLoader());
  }

  /**
   * The record of {@code event}'s parameters, which are the record's components in order. A value
   * is not checked against its declared type before the call: the spun class casts it, and a failed
   * cast or read is followed by the checked read, which names the parameter.
   *
   * @throws IllegalArgumentException if a parameter is missing or of another type
   */
  Object instance(Definition definition, Event event) {
    try {
      return call(definition, event);
    } catch (RuntimeException e) {
      // The checked read throws the first bad parameter as the shape's factory path would; if all
      // are good, the record's constructor threw e.
      Values.fromParameters(definition, event);
      throw e;
    } catch (Error e) {
      throw e;
    } catch (Throwable e) {
      throw new EventHandlingException(
          "building " + definition.eventClass().getSimpleName() + " threw " + e, e);
    }
  }

  /**
   * The value of component {@code i}: read by the name kept here, one dependent load fewer than
   * through the definition, which is asked only for an absent or null value.
   */
  private Object value(Definition d, Event e, int i) {
    Object value = e.parameters().get(names[i]);
    return value != null ? value : Values.rawValue(d, e, i);
  }

  private Object call(Definition d, Event e) {
    return switch (size) {
      case 0 -> ((Fn0) function).call();
      case 1 -> ((Fn1) function).call(value(d, e, 0));
      case 2 -> ((Fn2) function).call(value(d, e, 0), value(d, e, 1));
      case 3 -> ((Fn3) function).call(value(d, e, 0), value(d, e, 1), value(d, e, 2));
      case 4 ->
          ((Fn4) function).call(value(d, e, 0), value(d, e, 1), value(d, e, 2), value(d, e, 3));
      case 5 ->
          ((Fn5) function)
              .call(value(d, e, 0), value(d, e, 1), value(d, e, 2), value(d, e, 3), value(d, e, 4));
      default ->
          ((Fn6) function)
              .call(
                  value(d, e, 0),
                  value(d, e, 1),
                  value(d, e, 2),
                  value(d, e, 3),
                  value(d, e, 4),
                  value(d, e, 5));
    };
  }
}
