package io.cursus.testkit.testcontainers;

import static java.util.Objects.requireNonNull;

import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.testcontainers.lifecycle.Startable;

/**
 * A testkit engine as a Testcontainers {@link Startable}, for a {@code @Container} field under
 * {@code @Testcontainers}:
 *
 * <pre>{@code
 * @Testcontainers
 * class ParcelStoreIT {
 *   @Container
 *   static final EngineContainer<KafkaBroker> KAFKA = EngineContainer.of(KafkaBroker.builder()::start);
 *
 *   @Test
 *   void storesParcels() {
 *     String servers = KAFKA.engine().bootstrapServers();
 *   }
 * }
 * }</pre>
 *
 * <p>{@link #of} makes a dedicated engine: {@link #start()} calls the starter (a dedicated engine
 * such as {@code CassandraCluster.builder()::start}, {@code KafkaBroker.builder()::start}, {@code
 * () -> HazelcastMembers.start(1)}) and {@link #stop()} closes what it returned. {@link #shared}
 * wraps a shared engine ({@code CassandraCluster::shared}): start gets it, stop leaves it running
 * for the other tests of the JVM (the testkit stops it when the run ends). A static field lives for
 * the test class, an instance field for each test method, as with containers.
 *
 * <p>No Docker is involved. Needs {@code org.testcontainers:testcontainers} (and, for the
 * annotations, {@code org.testcontainers:junit-jupiter}) on the test classpath; the testkit does
 * not bring it. Thread-safe.
 *
 * @param <E> the engine type
 */
public final class EngineContainer<E extends AutoCloseable> implements Startable {

  private final Supplier<? extends E> starter;
  private final boolean dedicated;
  private @Nullable E engine;

  private EngineContainer(Supplier<? extends E> starter, boolean dedicated) {
    this.starter = requireNonNull(starter, "starter must not be null");
    this.dedicated = dedicated;
  }

  /** A dedicated engine: {@code starter} runs on {@link #start()}, and stop closes the engine. */
  public static <E extends AutoCloseable> EngineContainer<E> of(Supplier<? extends E> starter) {
    return new EngineContainer<>(starter, true);
  }

  /** A shared engine: {@code shared} is called on {@link #start()}; stop leaves it running. */
  public static <E extends AutoCloseable> EngineContainer<E> shared(Supplier<? extends E> shared) {
    return new EngineContainer<>(shared, false);
  }

  /** Starts the engine unless it is started; returns when it answers. */
  @Override
  public synchronized void start() {
    if (engine == null) {
      engine = requireNonNull(starter.get(), "the engine starter returned null");
    }
  }

  /**
   * Closes a dedicated engine (a shared one is left running); a later {@link #start()} starts a new
   * one.
   *
   * @throws IllegalStateException if closing fails, with the cause
   */
  @Override
  public synchronized void stop() {
    E running = engine;
    engine = null;
    if (running != null && dedicated) {
      try {
        running.close();
      } catch (Exception e) {
        throw new IllegalStateException("could not stop the engine " + running, e);
      }
    }
  }

  /**
   * The running engine.
   *
   * @throws IllegalStateException if it is not started (a {@code @Container} field is started
   *     before the tests run)
   */
  public synchronized E engine() {
    E running = engine;
    if (running == null) {
      throw new IllegalStateException(
          "the engine is not started: declare the field @Container under @Testcontainers,"
              + " or call start()");
    }
    return running;
  }

  /** Whether {@link #start()} ran and {@link #stop()} did not since. */
  public synchronized boolean isStarted() {
    return engine != null;
  }

  @Override
  public synchronized String toString() {
    return (dedicated ? "dedicated " : "shared ")
        + (engine == null ? "engine, not started" : engine);
  }
}
