package io.cursus.testkit;

import io.cursus.testkit.internal.EngineRegistry;
import io.cursus.testkit.internal.SharedEngineProvider;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension behind {@link CursusEngines}. Resolves parameters of the engine types whose
 * testkit artifacts are on the classpath ({@code CassandraCluster} from {@code
 * cursus-testkit-cassandra}, {@code KafkaBroker} from {@code cursus-testkit-kafka}, {@code
 * HazelcastMembers} from {@code cursus-testkit-hazelcast}) to their shared instances, and stops
 * them when the whole run ends (not after each class, so a module's test classes share one start).
 */
public final class CursusEnginesExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(CursusEnginesExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return EngineRegistry.provider(parameter.getParameter().getType()).isPresent();
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    // Closed by JUnit when the root context closes, that is at the end of the run.
    context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            StopAtEndOfRun.class, k -> new StopAtEndOfRun(), StopAtEndOfRun.class);
    Class<?> type = parameter.getParameter().getType();
    return EngineRegistry.provider(type)
        .map(SharedEngineProvider::shared)
        .orElseThrow(() -> new IllegalStateException("no testkit engine provides " + type));
  }

  private static final class StopAtEndOfRun implements AutoCloseable {
    @Override
    public void close() {
      EngineRegistry.stopAll();
    }
  }
}
