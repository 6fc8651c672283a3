package io.cursus.testkit;

import io.cursus.testkit.internal.EngineRegistry;
import io.cursus.testkit.internal.SharedEngineProvider;
import java.util.concurrent.atomic.AtomicBoolean;

/** An engine type registered for {@link CursusEngines} only on this module's test classpath. */
public final class FakeEngine implements AutoCloseable {
  private final AtomicBoolean closed = new AtomicBoolean();

  static FakeEngine shared() {
    return EngineRegistry.shared(FakeEngine.class, "Fake", FakeEngine::new);
  }

  boolean isClosed() {
    return closed.get();
  }

  @Override
  public void close() {
    closed.set(true);
  }

  /** Registered in this module's test {@code META-INF/services}. */
  public static final class Provider implements SharedEngineProvider {
    @Override
    public Class<?> type() {
      return FakeEngine.class;
    }

    @Override
    public Object shared() {
      return FakeEngine.shared();
    }
  }
}
