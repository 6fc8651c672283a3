package io.cursus.testkit.internal.hazelcast;

import io.cursus.testkit.HazelcastMembers;
import io.cursus.testkit.internal.SharedEngineProvider;

/** Registered in {@code META-INF/services} for {@link io.cursus.testkit.CursusEngines}. */
public final class SharedHazelcast implements SharedEngineProvider {
  @Override
  public Class<?> type() {
    return HazelcastMembers.class;
  }

  @Override
  public Object shared() {
    return HazelcastMembers.shared();
  }
}
