package io.cursus.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension behind {@link CursusEngines}. Resolves parameters of type {@link
 * CassandraCluster}, {@link KafkaBroker} and {@link HazelcastMembers} to the shared engines, and
 * stops them when the whole run ends (not after each class, so a module's test classes share one
 * start).
 */
public final class CursusEnginesExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(CursusEnginesExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == CassandraCluster.class
        || type == KafkaBroker.class
        || type == HazelcastMembers.class;
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
    if (type == CassandraCluster.class) {
      return Engines.cassandra();
    }
    if (type == KafkaBroker.class) {
      return Engines.kafka();
    }
    return Engines.hazelcast();
  }

  private static final class StopAtEndOfRun implements AutoCloseable {
    @Override
    public void close() {
      Engines.stopAll();
    }
  }
}
