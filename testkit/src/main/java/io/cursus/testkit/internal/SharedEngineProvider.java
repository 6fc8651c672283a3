package io.cursus.testkit.internal;

/**
 * Hands out the shared instance of one engine type, for {@link io.cursus.testkit.CursusEngines}.
 * Each engine artifact registers one in {@code META-INF/services}, so the extension injects exactly
 * the engines whose artifacts are on the classpath.
 */
public interface SharedEngineProvider {
  /** The parameter type this provider resolves, for example {@code CassandraCluster.class}. */
  Class<?> type();

  /** The shared instance, started on first use (through {@link EngineRegistry#shared}). */
  Object shared();
}
