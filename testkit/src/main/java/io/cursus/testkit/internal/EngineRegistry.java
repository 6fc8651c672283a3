package io.cursus.testkit.internal;

import io.cursus.testkit.EngineException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Supplier;

/**
 * The engines shared by every test of this JVM, one per engine type, each started on first use and
 * stopped by {@link #stopAll()}. An engine that failed to start is not tried again: later callers
 * get an exception at once instead of waiting for the same failure.
 *
 * <p>Thread safe; one lock for all, so a second caller waits while the first starts an engine.
 */
public final class EngineRegistry {
  private static final Map<Class<?>, AutoCloseable> STARTED = new LinkedHashMap<>();
  private static final Map<Class<?>, EngineException> FAILED = new HashMap<>();
  private static List<SharedEngineProvider> providers;

  private EngineRegistry() {}

  /**
   * The shared engine of {@code type}, started with {@code start} if there is none yet.
   *
   * @param name the engine's name for messages ("Cassandra")
   * @throws EngineException if it fails to start now or failed earlier in this JVM
   */
  public static synchronized <T extends AutoCloseable> T shared(
      Class<T> type, String name, Supplier<? extends T> start) {
    AutoCloseable engine = STARTED.get(type);
    if (engine == null) {
      EngineException failure = FAILED.get(type);
      if (failure != null) {
        throw new EngineException(
            "The shared " + name + " failed to start earlier in this run", failure);
      }
      try {
        engine = start.get();
      } catch (EngineException e) {
        FAILED.put(type, e);
        throw e;
      }
      STARTED.put(type, engine);
    }
    return type.cast(engine);
  }

  /**
   * Stops the shared engines that were started, the last started first; the next {@link #shared}
   * call starts a new one. An engine that failed to start is still not tried again.
   *
   * @throws EngineException if one could not be stopped (after trying them all)
   */
  public static synchronized void stopAll() {
    List<AutoCloseable> started = new ArrayList<>(STARTED.values());
    Collections.reverse(started);
    STARTED.clear();
    EngineException failure = null;
    for (AutoCloseable engine : started) {
      try {
        engine.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new EngineException("Could not stop every shared engine", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** The provider registered for exactly {@code type}, if its engine artifact is present. */
  public static synchronized Optional<SharedEngineProvider> provider(Class<?> type) {
    if (providers == null) {
      List<SharedEngineProvider> found = new ArrayList<>();
      ServiceLoader.load(SharedEngineProvider.class, EngineRegistry.class.getClassLoader())
          .forEach(found::add);
      providers = List.copyOf(found);
    }
    return providers.stream().filter(p -> p.type() == type).findFirst();
  }
}
