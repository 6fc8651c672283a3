package io.cursus.api.projection;

import static java.util.Objects.requireNonNull;

import io.cursus.api.evolution.Upcasters;
import io.cursus.api.mapping.EventDeclaration;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.memory.InMemoryEventStore;
import io.cursus.api.projection.ProjectionStatus.Phase;
import io.cursus.api.store.AggregateCatalogue;
import io.cursus.api.store.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs {@link Projection}s over a {@link ProjectionSource} (the live events) and a store (the
 * stored histories, for catch-ups and state projections), keeping each projection's checkpoint in a
 * {@link CheckpointStore} and what it parks in a {@link ParkedEventStore}.
 *
 * <pre>{@code
 * InMemoryEventStore store = InMemoryEventStore.empty();
 * try (Projections projections = Projections.embedded(store)) {
 *   projections.start(board);
 *   ...
 *   projections.status("depot-board");
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> Each projection runs on a thread of its own (a daemon thread named {@code
 * cursus-projection-<name>}), or as a long-running task of the {@link Builder#executor executor}
 * given; a rebuild runs on a second one beside it. Handlers are called from that thread, one call
 * at a time. Every method here is thread-safe. {@link #close()} stops every projection and waits
 * for its thread to end.
 *
 * <p><b>Guarantees.</b> A projection sees every event the store holds at least once, in arrival
 * order per aggregate; it saves its checkpoint after each batch, so a restart resumes after the
 * last batch saved (a crash repeats at most the batch in progress). Failures:
 *
 * <ul>
 *   <li>a transient {@link io.cursus.api.CursusException} (of a handler or of the world): back off
 *       and retry, without limit and without moving the position;
 *   <li>a non-transient {@code CursusException}, or an {@link Error}: the projection stops ({@link
 *       Phase#FAILED}, {@link ProjectionStatus#failure()} names the event); {@link #resume} retries
 *       from the saved checkpoint;
 *   <li>anything else is about the event: it is retried up to {@link Projection.Builder#maxAttempts
 *       max attempts}, then parked with its reason, and the projection goes on; {@link #parked}
 *       lists, {@link #redeliver} redelivers.
 * </ul>
 *
 * <p><b>One instance at a time.</b> When the source does not share its partitions out among
 * instances (the in-memory feed), an instance claims a projection's name through {@link
 * ProjectionClaims} and others sharing those claims wait ({@link Phase#STANDBY}) until it stops, so
 * two instances never apply one projection's effects twice.
 */
public final class Projections implements AutoCloseable {

  /** The suffix of the checkpoint key of a rebuild in progress. */
  static final String REBUILD = "#rebuild";

  private final Environment env;
  private final Executor executor;
  private final Duration closeTimeout;
  private final EventTypeRegistry registry;
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final ReentrantLock progressLock = new ReentrantLock();
  private final Condition progress = progressLock.newCondition();
  private boolean closed;

  private Projections(Builder b) {
    Upcasters upcasters = b.registry == null ? Upcasters.none() : b.registry.upcasters();
    this.env =
        new Environment(
            b.source,
            upcasters.isEmpty() ? b.store : upcasters.applyTo(b.store),
            b.catalogue,
            b.checkpoints,
            b.parked,
            b.claims,
            b.clock,
            b.sleeper,
            b.pollTimeout,
            b.claimTimeout,
            b.claimRetry,
            b.owner,
            upcasters);
    this.executor = b.executor;
    this.closeTimeout = b.closeTimeout;
    this.registry = b.registry;
  }

  /**
   * Projections over the in-memory store {@code store}: its {@linkplain InMemoryEventStore#feed()
   * feed} for the live events, in-memory checkpoints, parked events and claims. Checkpoints live as
   * long as this object, like the store's events.
   */
  public static Projections embedded(InMemoryEventStore store) {
    requireNonNull(store, "store must not be null");
    return builder(store.feed(), store, store).build();
  }

  /**
   * A builder of projections reading live events from {@code source}, and stored histories and
   * aggregates from {@code store} and {@code catalogue} (usually one store object for both).
   */
  public static Builder builder(
      ProjectionSource source, EventSource store, AggregateCatalogue catalogue) {
    return new Builder(source, store, catalogue);
  }

  /**
   * Starts {@code projection}: from its saved checkpoint if it has one, otherwise with a catch-up
   * from the store. A rebuild left in progress by an earlier run resumes beside it.
   *
   * @throws IllegalArgumentException if a projection of that name runs here already, or (with a
   *     {@linkplain Builder#registry registry}) it reads an aggregate type no declaration declares
   * @throws IllegalStateException if this runtime is closed
   */
  public void start(Projection projection) {
    requireNonNull(projection, "projection must not be null");
    String name = projection.name();
    synchronized (this) {
      checkOpen();
      Entry existing = entries.get(name);
      if (existing != null && !existing.serving.isStopped()) {
        throw new IllegalArgumentException(
            "a projection named '"
                + name
                + "' already runs here ("
                + existing.serving.phase()
                + "); names are unique within a runtime");
      }
      checkTypes(projection);
      Entry entry = new Entry(projection);
      entry.serving = new Runner(projection, env, entry, name, true, 1);
      Optional<Checkpoint> rebuild = env.checkpoints().load(name + REBUILD);
      if (rebuild.isPresent()) {
        int serving = env.checkpoints().load(name).map(Checkpoint::generation).orElse(0);
        if (rebuild.get().generation() > serving) {
          entry.startRebuild(rebuild.get().generation());
        } else {
          env.checkpoints().delete(name + REBUILD); // the switch was done; only the key was left
        }
      }
      entries.put(name, entry);
      launch(entry.serving, name);
      if (entry.rebuild != null) {
        launch(entry.rebuild, name + "-rebuild");
      }
    }
  }

  private void checkTypes(Projection projection) {
    if (registry == null) {
      return;
    }
    Set<String> declared = new TreeSet<>();
    for (EventDeclaration declaration : registry.declarations()) {
      declared.add(declaration.aggregateType());
    }
    for (String type : projection.aggregateTypes()) {
      if (!declared.contains(type)) {
        throw new IllegalArgumentException(
            "projection '"
                + projection.name()
                + "' reads aggregate type '"
                + type
                + "', which no declaration of the registry declares; declared: "
                + declared);
      }
    }
  }

  private void launch(Runner runner, String threadName) {
    if (executor == null) {
      Thread thread = new Thread(runner, "cursus-projection-" + threadName);
      thread.setDaemon(true);
      runner.runsOn(thread);
      thread.start();
    } else {
      executor.execute(runner);
    }
  }

  /** The names of the projections started here, in the order they were started. */
  public synchronized List<String> names() {
    return List.copyOf(entries.keySet());
  }

  /**
   * What projection {@code name} is doing now, with its rebuild's status if one runs.
   *
   * @throws IllegalArgumentException if no projection of that name was started here
   */
  public ProjectionStatus status(String name) {
    return entry(name).status();
  }

  /** The status of every projection started here. */
  public List<ProjectionStatus> statuses() {
    List<Entry> all;
    synchronized (this) {
      all = new ArrayList<>(entries.values());
    }
    return all.stream().map(Entry::status).toList();
  }

  /**
   * Pauses projection {@code name} (and its rebuild) after the batch in progress; the future
   * completes with its status once paused. A pause cuts a retry's back-off short; the batch is read
   * again on {@link #resume}.
   */
  public CompletableFuture<ProjectionStatus> pause(String name) {
    Entry entry = entry(name);
    Runner rebuild = entry.rebuild;
    if (rebuild != null && !rebuild.isStopped()) {
      rebuild.request(Runner.CommandKind.PAUSE);
    }
    return asStatus(running(entry, name).submit(Runner.CommandKind.PAUSE, null));
  }

  /**
   * Resumes projection {@code name} (and its rebuild) if paused, or retries it from its saved
   * checkpoint if it FAILED; the future completes once it goes on.
   */
  public CompletableFuture<ProjectionStatus> resume(String name) {
    Entry entry = entry(name);
    Runner rebuild = entry.rebuild;
    if (rebuild != null && !rebuild.isStopped()) {
      rebuild.request(Runner.CommandKind.RESUME);
    }
    return asStatus(running(entry, name).submit(Runner.CommandKind.RESUME, null));
  }

  /**
   * Forgets projection {@code name}'s checkpoint and failure: once resumed, it catches up from the
   * store again and hands everything to its handlers once more, into the same view (which is not
   * cleared; to build a fresh view beside the serving one, use {@link #rebuild}). Parked events are
   * kept. The projection stays paused.
   *
   * @throws IllegalStateException if the projection runs (pause it first) or a rebuild of it does
   */
  public CompletableFuture<ProjectionStatus> reset(String name) {
    Entry entry = entry(name);
    Runner serving = entry.serving;
    Phase phase = serving.phase();
    if (entry.rebuild != null && !entry.rebuild.isStopped()) {
      throw new IllegalStateException(
          "projection '" + name + "' has a rebuild running; stop it before a reset");
    }
    if (serving.isStopped()) {
      env.checkpoints().delete(name);
      return CompletableFuture.completedFuture(serving.status(null));
    }
    if (phase != Phase.PAUSED && phase != Phase.FAILED) {
      throw new IllegalStateException(
          "projection '"
              + name
              + "' is "
              + phase
              + "; pause it before a reset (projections.pause(\""
              + name
              + "\").join()), so that no batch is in progress");
    }
    return asStatus(serving.submit(Runner.CommandKind.RESET, null));
  }

  /**
   * Rebuilds projection {@code name} beside the serving view: a new generation catches up from the
   * store and reads the live source while the serving one goes on, and takes over once it has
   * caught up with it: the serving generation stops, the new one saves its checkpoint as the
   * projection's, {@link Projection.Builder#whenServing} hears of it, and the parked events of
   * older generations are dropped. The future completes with the new generation then.
   *
   * <p>Give the projection a handler per generation ({@link
   * Projection.StatesBuilder#handlerPerGeneration}, or a batch handler writing to the view of
   * {@link EventBatch#generation()}); a handler shared by both generations gets every effect of the
   * rebuild too (harmless for states, which are upserts, and for effects keyed by event identity).
   *
   * @throws IllegalStateException if a rebuild runs already, or the projection is not running here
   */
  public CompletableFuture<Integer> rebuild(String name) {
    synchronized (this) {
      checkOpen();
      Entry entry = entry(name);
      Runner serving = running(entry, name);
      Runner rebuild = entry.rebuild;
      if (rebuild != null && !rebuild.isStopped()) {
        if (rebuild.phase() != Phase.FAILED) {
          throw new IllegalStateException(
              "a rebuild of projection '"
                  + name
                  + "' runs already (generation "
                  + rebuild.generation()
                  + ", "
                  + rebuild.phase()
                  + ")");
        }
        rebuild.request(Runner.CommandKind.STOP);
      }
      if (serving.phase() == Phase.STANDBY) {
        throw new IllegalStateException(
            "projection '" + name + "' is on STANDBY here; rebuild it where it runs");
      }
      int generation =
          Math.max(
                  serving.generation(),
                  env.checkpoints().load(name).map(Checkpoint::generation).orElse(0))
              + 1;
      env.checkpoints().delete(name + REBUILD);
      entry.startRebuild(generation);
      launch(entry.rebuild, name + "-rebuild");
      return entry.rebuilt;
    }
  }

  /** What projection {@code name} has parked, oldest first. */
  public List<ParkedEvent> parked(String name) {
    entry(name);
    return env.parked().list(name);
  }

  /**
   * Hands everything projection {@code name} parked to its handlers again (after a fix, say); what
   * succeeds is removed, what fails again stays parked with its new reason. The future completes
   * with how many were redelivered.
   */
  public CompletableFuture<Integer> redeliver(String name) {
    Entry entry = entry(name);
    return asCount(running(entry, name).submit(Runner.CommandKind.REDELIVER, null));
  }

  /**
   * Hands what projection {@code name} parked under {@code key} to its handlers again.
   *
   * @throws IllegalArgumentException if nothing is parked under {@code key}
   */
  public CompletableFuture<Integer> redeliver(String name, String key) {
    requireNonNull(key, "key must not be null");
    Entry entry = entry(name);
    if (env.parked().get(name, key).isEmpty()) {
      throw new IllegalArgumentException(
          "projection '"
              + name
              + "' has parked nothing under '"
              + key
              + "'; parked: "
              + env.parked().list(name).stream().map(ParkedEvent::key).toList());
    }
    return asCount(running(entry, name).submit(Runner.CommandKind.REDELIVER, key));
  }

  /**
   * Stops projection {@code name} (and its rebuild) after the batch in progress, releasing its
   * claim; the future completes with its last status. {@link #start} may start it again.
   */
  public CompletableFuture<ProjectionStatus> stop(String name) {
    Entry entry = entry(name);
    Runner rebuild = entry.rebuild;
    if (rebuild != null) {
      rebuild.request(Runner.CommandKind.STOP);
    }
    return asStatus(entry.serving.submit(Runner.CommandKind.STOP, null));
  }

  /**
   * Waits until projection {@code name} has handled every event the source held when this was
   * called (and has finished catching up), or {@code timeout} passed.
   *
   * @return true if it got there; false if the time ran out or the projection failed or stopped
   */
  public boolean awaitCaughtUp(String name, Duration timeout) throws InterruptedException {
    requireNonNull(timeout, "timeout must not be null");
    Entry entry = entry(name);
    Position target = env.source().head();
    long deadline = System.nanoTime() + timeout.toNanos();
    progressLock.lock();
    try {
      while (true) {
        Runner serving = entry.serving;
        Optional<Checkpoint> saved = serving.saved();
        if (saved.isPresent()
            && saved.get().isCaughtUp()
            && saved.get().position().isAtOrAfter(target)) {
          return true;
        }
        Phase phase = serving.phase();
        if (phase == Phase.FAILED || phase == Phase.STOPPED) {
          return false;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        progress.awaitNanos(left);
      }
    } finally {
      progressLock.unlock();
    }
  }

  /**
   * Stops every projection after its batch in progress and waits for its thread to end, up to the
   * {@linkplain Builder#closeTimeout close timeout}; a thread still running then is interrupted.
   *
   * @throws IllegalStateException naming the projections whose thread did not end
   */
  @Override
  public void close() {
    List<Runner> runners = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      for (Entry entry : entries.values()) {
        runners.add(entry.serving);
        if (entry.rebuild != null) {
          runners.add(entry.rebuild);
        }
      }
    }
    for (Runner runner : runners) {
      runner.request(Runner.CommandKind.STOP);
    }
    long deadline = System.nanoTime() + closeTimeout.toNanos();
    List<String> stuck = new ArrayList<>();
    try {
      for (Runner runner : runners) {
        Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        if (!runner.awaitFinished(left)) {
          runner.interrupt();
          if (!runner.awaitFinished(Duration.ofSeconds(1))) {
            stuck.add(runner.key());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while closing projections", e);
    }
    if (!stuck.isEmpty()) {
      throw new IllegalStateException(
          "projections " + stuck + " did not stop within " + closeTimeout + " (handlers stuck?)");
    }
  }

  private synchronized void checkOpen() {
    if (closed) {
      throw new IllegalStateException("these projections are closed");
    }
  }

  private synchronized Entry entry(String name) {
    requireNonNull(name, "projection name must not be null");
    Entry entry = entries.get(name);
    if (entry == null) {
      throw new IllegalArgumentException(
          "no projection named '" + name + "' was started here; started: " + entries.keySet());
    }
    return entry;
  }

  private static Runner running(Entry entry, String name) {
    Runner serving = entry.serving;
    if (serving.isStopped()) {
      throw new IllegalStateException("projection '" + name + "' is stopped; start it again");
    }
    return serving;
  }

  private static CompletableFuture<ProjectionStatus> asStatus(CompletableFuture<Object> done) {
    return done.thenApply(ProjectionStatus.class::cast);
  }

  private static CompletableFuture<Integer> asCount(CompletableFuture<Object> done) {
    return done.thenApply(Integer.class::cast);
  }

  private void progressed() {
    progressLock.lock();
    try {
      progress.signalAll();
    } finally {
      progressLock.unlock();
    }
  }

  /** A projection started here: its serving runner and, during a rebuild, the rebuild's. */
  private final class Entry implements Runner.Host {
    final Projection projection;
    volatile Runner serving;
    volatile Runner rebuild;
    CompletableFuture<Integer> rebuilt;

    Entry(Projection projection) {
      this.projection = projection;
    }

    void startRebuild(int generation) {
      Runner runner =
          new Runner(projection, env, this, projection.name() + REBUILD, false, generation);
      CompletableFuture<Integer> done = new CompletableFuture<>();
      var unused =
          runner
              .stopped()
              .whenComplete(
                  (status, e) ->
                      done.completeExceptionally(
                          new IllegalStateException(
                              "the rebuild of projection '"
                                  + projection.name()
                                  + "' (generation "
                                  + generation
                                  + ") stopped before it took over")));
      rebuild = runner;
      rebuilt = done;
    }

    ProjectionStatus status() {
      Runner current = rebuild;
      ProjectionStatus rebuilding =
          current == null || current.isStopped() ? null : current.status(null);
      return serving.status(rebuilding);
    }

    @Override
    public void progressed() {
      Projections.this.progressed();
    }

    @Override
    public void rebuildLive(Runner runner) throws InterruptedException {
      Runner old = serving;
      Optional<Checkpoint> mine = runner.saved();
      Optional<Checkpoint> theirs = old.saved();
      if (mine.isEmpty()
          || !mine.get().isCaughtUp()
          || (theirs.isPresent() && !mine.get().position().isAtOrAfter(theirs.get().position()))) {
        return;
      }
      // Caught up with the serving generation: it stops after its batch, keeping the claim,
      // and this one saves its checkpoint as the projection's.
      old.handOver();
      while (!old.awaitFinished(Duration.ofSeconds(1))) {
        Thread.onSpinWait();
      }
      String name = projection.name();
      runner.becomeServing(name);
      env.checkpoints().delete(name + REBUILD);
      serving = runner;
      rebuild = null;
      for (ParkedEvent parked : env.parked().list(name)) {
        if (parked.generation() < runner.generation()) {
          env.parked().remove(name, parked.key());
        }
      }
      CompletableFuture<Integer> done = rebuilt;
      if (done != null) {
        done.complete(runner.generation());
      }
      Projections.this.progressed();
    }
  }

  /**
   * Builds {@link Projections}: where checkpoints, parked events and claims go, the clock and the
   * back-off's sleeper, the threads, and timeouts. Mutable, not thread-safe.
   */
  public static final class Builder {
    private final ProjectionSource source;
    private final EventSource store;
    private final AggregateCatalogue catalogue;
    private CheckpointStore checkpoints = CheckpointStore.inMemory();
    private ParkedEventStore parked = ParkedEventStore.inMemory();
    private ProjectionClaims claims = ProjectionClaims.inMemory();
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper;
    private Executor executor;
    private Duration pollTimeout = Duration.ofMillis(500);
    private Duration claimTimeout = Duration.ofSeconds(30);
    private Duration claimRetry = Duration.ofSeconds(1);
    private Duration closeTimeout = Duration.ofSeconds(30);
    private EventTypeRegistry registry;
    private String owner = "projections-" + UUID.randomUUID();

    private Builder(ProjectionSource source, EventSource store, AggregateCatalogue catalogue) {
      this.source = requireNonNull(source, "source must not be null");
      this.store = requireNonNull(store, "store must not be null");
      this.catalogue = requireNonNull(catalogue, "catalogue must not be null");
    }

    /** Where checkpoints are kept (default: in memory, for the life of the runtime). */
    public Builder checkpoints(CheckpointStore checkpoints) {
      this.checkpoints = requireNonNull(checkpoints, "checkpoints must not be null");
      return this;
    }

    /** Where parked events are kept (default: in memory). */
    public Builder parkedEvents(ParkedEventStore parked) {
      this.parked = requireNonNull(parked, "parked event store must not be null");
      return this;
    }

    /**
     * The claims that let one instance of a projection run at a time (default: in memory, this
     * runtime's own). Runtimes that share a checkpoint store share these too.
     */
    public Builder claims(ProjectionClaims claims) {
      this.claims = requireNonNull(claims, "claims must not be null");
      return this;
    }

    /** The clock for lags, claims and parking times (default: the system's, UTC). */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock must not be null");
      return this;
    }

    /**
     * How to wait between retries. By default the runtime waits on its own, cut short by a pause or
     * a stop; a test gives one that returns at once.
     */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = requireNonNull(sleeper, "sleeper must not be null");
      return this;
    }

    /**
     * Runs each projection as a long-running task of {@code executor} instead of on a thread of its
     * own. Each projection (and each rebuild) holds one of its threads until stopped.
     */
    public Builder executor(Executor executor) {
      this.executor = requireNonNull(executor, "executor must not be null");
      return this;
    }

    /** How long one read of the live source waits for events (default 500 ms). */
    public Builder pollTimeout(Duration timeout) {
      this.pollTimeout = positive(timeout, "poll timeout");
      return this;
    }

    /**
     * How long a claim lasts unless renewed (default 30 s), and so how long another instance waits
     * to take over from one that died without releasing it. Renewed every third of it.
     */
    public Builder claimTimeout(Duration timeout) {
      this.claimTimeout = positive(timeout, "claim timeout");
      return this;
    }

    /** How often an instance on standby tries to claim its projection (default 1 s). */
    public Builder claimRetry(Duration retry) {
      this.claimRetry = positive(retry, "claim retry");
      return this;
    }

    /** How long {@link #close()} waits for each projection's thread (default 30 s). */
    public Builder closeTimeout(Duration timeout) {
      this.closeTimeout = positive(timeout, "close timeout");
      return this;
    }

    /**
     * Checks, when a projection starts, that every aggregate type it reads is declared by {@code
     * registry}, so that a misspelt type fails at once rather than projecting nothing; and reads
     * events of older versions through the registry's {@linkplain EventTypeRegistry#upcasters()
     * upcasters}: the histories a state projection loads from the store, and every live delivery
     * (one split into several is handed on as several at the same offset; one dropped is passed
     * over, its offset counted as read). A delivery whose upcasting fails is parked with the
     * upcaster's error.
     */
    public Builder registry(EventTypeRegistry registry) {
      this.registry = requireNonNull(registry, "registry must not be null");
      return this;
    }

    /** This runtime's name in claims (default: {@code projections-} and a random UUID). */
    public Builder owner(String owner) {
      requireNonNull(owner, "owner must not be null");
      if (owner.isBlank()) {
        throw new IllegalArgumentException("owner must not be blank");
      }
      this.owner = owner;
      return this;
    }

    public Projections build() {
      return new Projections(this);
    }

    private static Duration positive(Duration duration, String what) {
      requireNonNull(duration, () -> what + " must not be null");
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, was " + duration);
      }
      return duration;
    }
  }
}
