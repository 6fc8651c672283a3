package io.cursus.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.testkit.EngineException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EngineRegistryTest {
  private static final List<String> CLOSED = new ArrayList<>();

  private static class Engine implements AutoCloseable {
    private final String name;

    Engine(String name) {
      this.name = name;
    }

    @Override
    public void close() {
      CLOSED.add(name);
    }
  }

  private static final class First extends Engine {
    First() {
      super("first");
    }
  }

  private static final class Second extends Engine {
    Second() {
      super("second");
    }
  }

  private static final class Broken extends Engine {
    Broken() {
      super("broken");
    }
  }

  @AfterEach
  void stopEverything() {
    EngineRegistry.stopAll();
    CLOSED.clear();
  }

  @Test
  void anEngineIsStartedOnceAndSharedUntilStopped() {
    AtomicInteger starts = new AtomicInteger();

    First first = EngineRegistry.shared(First.class, "First", () -> count(starts, new First()));
    First again = EngineRegistry.shared(First.class, "First", () -> count(starts, new First()));

    assertThat(again).isSameAs(first);
    assertThat(starts).hasValue(1);

    EngineRegistry.stopAll();
    First next = EngineRegistry.shared(First.class, "First", () -> count(starts, new First()));

    assertThat(next).isNotSameAs(first);
    assertThat(starts).hasValue(2);
  }

  @Test
  void stopAllClosesTheLastStartedFirst() {
    EngineRegistry.shared(First.class, "First", First::new);
    EngineRegistry.shared(Second.class, "Second", Second::new);

    EngineRegistry.stopAll();

    assertThat(CLOSED).containsExactly("second", "first");
  }

  @Test
  void anEngineThatFailedToStartIsNotTriedAgain() {
    AtomicInteger attempts = new AtomicInteger();
    EngineException failure = new EngineException("no disk");

    assertThatThrownBy(
            () ->
                EngineRegistry.shared(
                    Broken.class,
                    "Broken",
                    () -> {
                      attempts.incrementAndGet();
                      throw failure;
                    }))
        .isSameAs(failure);
    assertThatThrownBy(() -> EngineRegistry.shared(Broken.class, "Broken", Broken::new))
        .isInstanceOf(EngineException.class)
        .hasMessage("The shared Broken failed to start earlier in this run")
        .hasCause(failure);
    assertThat(attempts).hasValue(1);
  }

  private static <T> T count(AtomicInteger starts, T engine) {
    starts.incrementAndGet();
    return engine;
  }
}
