package io.cursus.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

@CursusEngines
class CursusEnginesExtensionTest {
  private final FakeEngine injectedInConstructor;

  CursusEnginesExtensionTest(FakeEngine engine) {
    this.injectedInConstructor = engine;
  }

  @Test
  void injectsTheSharedInstanceOfEveryEngineTypeWhoseArtifactIsOnTheClasspath(FakeEngine engine) {
    assertThat(engine).isSameAs(injectedInConstructor).isSameAs(FakeEngine.shared());
    assertThat(engine.isClosed()).isFalse();
  }
}
