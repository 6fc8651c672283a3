package io.cursus.api.mapping;

import io.cursus.api.mapping.spi.EventFamilyIntrospector;
import io.cursus.api.mapping.spi.EventShape;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
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
      properties.add(
          new EventShape.Property(
              component.getName(),
              component.getGenericType(),
              !component.getType().isPrimitive(),
              instance -> invoke(component, instance)));
    }
    Constructor<?> canonical;
    try {
      canonical = record.getDeclaredConstructor(types);
      canonical.setAccessible(true);
    } catch (NoSuchMethodException | RuntimeException e) {
      throw new DeclarationException(
          record.getName() + ": its canonical constructor cannot be used (" + e + ")");
    }
    return new EventShape(properties, args -> construct(canonical, args));
  }

  private static Object invoke(RecordComponent component, Object instance) {
    try {
      var accessor = component.getAccessor();
      accessor.setAccessible(true);
      return accessor.invoke(instance);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(
          "cannot read " + component.getDeclaringRecord().getName() + "." + component.getName(), e);
    } catch (InvocationTargetException e) {
      throw Invocations.rethrow(e, "reading " + component.getName());
    }
  }

  private static Object construct(Constructor<?> constructor, Object[] args) {
    try {
      return constructor.newInstance(args);
    } catch (InstantiationException | IllegalAccessException e) {
      throw new IllegalStateException("cannot build " + constructor.getDeclaringClass(), e);
    } catch (InvocationTargetException e) {
      throw Invocations.rethrow(e, "building " + constructor.getDeclaringClass().getSimpleName());
    }
  }

  private static List<EventFamilyIntrospector> load() {
    List<EventFamilyIntrospector> found = new ArrayList<>();
    ServiceLoader.load(EventFamilyIntrospector.class, Introspectors.class.getClassLoader())
        .forEach(found::add);
    return List.copyOf(found);
  }
}
