package io.cursus.api.mapping;

import io.cursus.api.mapping.spi.EventFamilyIntrospector;
import io.cursus.api.mapping.spi.EventShape;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/** The introspectors found on the class path, then the built-in one for Java records. */
final class Introspectors {

  private static final List<EventFamilyIntrospector> LOADED = load();

  private Introspectors() {}

  static Optional<EventFamilyIntrospector> forFamily(Class<?> root) {
    for (EventFamilyIntrospector introspector : LOADED) {
      if (introspector.accepts(root)) {
        return Optional.of(introspector);
      }
    }
    return Optional.empty();
  }

  /** Whether an introspector sees {@code parameter} of an interface's event declared nullable. */
  static boolean nullable(Parameter parameter) {
    for (EventFamilyIntrospector introspector : LOADED) {
      if (introspector.nullable(parameter)) {
        return true;
      }
    }
    return false;
  }

  /** The shape of a class used as a parameter value: a record, or one an introspector knows. */
  static Optional<EventShape> valueShape(Class<?> type) {
    if (type.isRecord()) {
      return Optional.of(recordShape(type));
    }
    for (EventFamilyIntrospector introspector : LOADED) {
      Optional<EventShape> shape = introspector.valueShape(type);
      if (shape.isPresent()) {
        return shape;
      }
    }
    return Optional.empty();
  }

  static EventShape recordShape(Class<?> record) {
    RecordComponent[] components = record.getRecordComponents();
    List<EventShape.Property> properties = new ArrayList<>();
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent component = components[i];
      types[i] = component.getType();
      MethodHandle accessor = accessor(record, component);
      properties.add(
          new EventShape.Property(
              component.getName(),
              component.getGenericType(),
              Nullness.declared(component),
              instance -> read(accessor, component, instance)));
    }
    MethodHandle canonical;
    try {
      Constructor<?> constructor = record.getDeclaredConstructor(types);
      constructor.setAccessible(true);
      canonical =
          MethodHandles.lookup()
              .unreflectConstructor(constructor)
              .asType(MethodType.genericMethodType(types.length))
              .asSpreader(Object[].class, types.length);
    } catch (NoSuchMethodException | IllegalAccessException | RuntimeException e) {
      throw new DeclarationException(
          record.getName() + ": its canonical constructor cannot be used (" + e + ")");
    }
    return new EventShape(properties, args -> construct(canonical, record, args));
  }

  /** The accessor of {@code component} as a handle of type {@code (Object) -> Object}. */
  private static MethodHandle accessor(Class<?> record, RecordComponent component) {
    try {
      Method accessor = component.getAccessor();
      accessor.setAccessible(true);
      return MethodHandles.lookup().unreflect(accessor).asType(MethodType.genericMethodType(1));
    } catch (IllegalAccessException | RuntimeException e) {
      throw new DeclarationException(
          record.getName() + ": component " + component.getName() + " cannot be read (" + e + ")");
    }
  }

  private static Object read(MethodHandle accessor, RecordComponent component, Object instance) {
    try {
      return (Object) accessor.invokeExact(instance);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new EventHandlingException("reading " + component.getName() + " threw " + e, e);
    }
  }

  private static Object construct(MethodHandle constructor, Class<?> record, Object[] args) {
    try {
      return (Object) constructor.invokeExact(args);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new EventHandlingException("building " + record.getSimpleName() + " threw " + e, e);
    }
  }

  private static List<EventFamilyIntrospector> load() {
    List<EventFamilyIntrospector> found = new ArrayList<>();
    ServiceLoader.load(EventFamilyIntrospector.class, Introspectors.class.getClassLoader())
        .forEach(found::add);
    return List.copyOf(found);
  }
}
