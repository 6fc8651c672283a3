package io.cursus.api.projection;

import static java.util.Objects.requireNonNull;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.EventIdentity;
import io.cursus.api.ProcessingIds;
import io.cursus.api.projection.ProjectionStatus.CatchUpProgress;
import io.cursus.api.projection.ProjectionStatus.Phase;
import io.cursus.api.store.EventSource;
import io.cursus.api.store.HistoryQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Runs one generation of one projection on one thread: claims it, loads its checkpoint, catches up
 * from the store or reads the live source, hands batches to the handlers with retries and parking,
 * saves a checkpoint after each batch, and applies the commands {@link Projections} sends it
 * between batches.
 *
 * <p>Everything but {@link #submit}, {@link #status} and the accessors runs on the runner's thread.
 * What other threads read is volatile; commands are queued under {@link #lock}.
 */
final class Runner implements Runnable {

  /** What the runtime hears from a runner. */
  interface Host {
    /** A checkpoint was saved or the phase changed. */
    void progressed();

    /** A rebuild saved a live checkpoint or found nothing to read: may it take over now? */
    void rebuildLive(Runner rebuild) throws InterruptedException;
  }

  enum CommandKind {
    PAUSE,
    RESUME,
    RESET,
    REDELIVER,
    STOP
  }

  private record Command(CommandKind kind, String key, CompletableFuture<Object> done) {}

  /** The batch in hand was given up (pause, stop, failure): resume from the saved checkpoint. */
  private static final class Abandoned extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Abandoned() {
      super(null, null, false, false);
    }
  }

  @FunctionalInterface
  private interface Parking {
    void park(String reason, int attempts) throws InterruptedException;
  }

  @FunctionalInterface
  private interface Work {
    void run() throws InterruptedException;
  }

  /** Events of one aggregate in the order they were captured (first capture won). */
  /**
   * How much earlier than the oldest event the live source holds after a catch-up's start an event
   * may have been captured and still be in the live source after that start: events stored during a
   * catch-up are seldom captured long before it, and one that was is merely handed over twice.
   */
  static final Duration REPEAT_MARGIN = Duration.ofMinutes(1);

  /** At most this many identities are kept to keep the end of a catch-up from repeating them. */
  static final int MAX_REPEATS = 100_000;

  private static final Comparator<Event> CAPTURE_ORDER =
      (a, b) -> {
        if (a.processingId().isEmpty() || b.processingId().isEmpty()) {
          return Boolean.compare(a.processingId().isEmpty(), b.processingId().isEmpty());
        }
        return ProcessingIds.compare(a.processingId().get(), b.processingId().get());
      };

  /** A chunk of a catch-up read ahead: its aggregates and the read of their histories. */
  private record ReadAhead(
      List<AggregateId> chunk, CompletableFuture<Map<AggregateId, List<Event>>> read) {}

  /** The aggregates a catch-up still has to read, and how far it got. */
  private static final class CatchUp {
    final ArrayDeque<AggregateId> remaining;
    final long total;
    long done;
    long events;
    // Which events read may be handed over again live, once the source holds any after the live
    // position (it cannot change after that: the position and the oldest event after it are fixed).
    Predicate<Event> mayRepeat;
    // The chunks after the one being handled, in order, read while it is handled.
    final ArrayDeque<ReadAhead> ahead = new ArrayDeque<>();

    CatchUp(List<AggregateId> remaining) {
      this.remaining = new ArrayDeque<>(remaining);
      this.total = remaining.size();
    }

    CatchUpProgress progress() {
      return new CatchUpProgress(done, total, events);
    }
  }

  final Projection projection;
  private final Environment env;
  private final Host host;
  private final String name;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Command> commands = new ArrayDeque<>();
  private final CountDownLatch finished = new CountDownLatch(1);
  private final CompletableFuture<ProjectionStatus> stopped = new CompletableFuture<>();
  private final AtomicLong handled = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong parkedCount = new AtomicLong();

  private volatile String key;
  private volatile boolean serving;
  private volatile boolean pauseRequested;
  private volatile boolean stopRequested;
  private volatile boolean releaseClaim = true;
  private volatile Phase phase = Phase.STARTING;
  private volatile Checkpoint saved;
  private volatile int generation;
  private volatile CatchUpProgress progress;
  private volatile String failure;
  private volatile String lastError;
  private volatile Duration captureLag;
  private volatile Duration lateness = Duration.ZERO;
  private volatile Duration greatestLateness = Duration.ZERO;
  private volatile ProjectionSource.Reader reader;
  private volatile Thread thread;
  // The thread Projections started this runner on, if it started one (not an executor's).
  private volatile Thread ownThread;

  // Set under lock once the runner stops taking commands; read anywhere.
  private volatile boolean ended;

  // The runner's thread only.
  private boolean paused;
  private boolean needsInit = true;
  private CatchUp catchUp;
  // Live: what has been handled but not saved yet (batches come full, and the checkpoint interval
  // has not passed since the last save); saved before anything else the runner does.
  private Checkpoint unsaved;
  private long lastSave = System.nanoTime();
  // Reads ahead of a catch-up that may still run (even of one dropped): finish() lets them end.
  private final List<CompletableFuture<?>> prefetching = new ArrayList<>();
  private Instant claimRenewal;
  private Instant newestEventTime;
  private int announced;
  private StateHandler<Object, Object> stateHandler;
  // State projections: what was read live and may not be stored yet, by aggregate, in arrival
  // order.
  private final Map<AggregateId, List<Delivery>> unstored = new HashMap<>();
  private int stateHandlerGeneration;
  // Event projections: what the catch-up handed over that the live source may hand over again (it
  // was stored after the position the catch-up goes live from), until the reader passes
  // repeatsEnd, the head when the catch-up ended.
  private final Set<EventIdentity> repeats = new HashSet<>();
  private Position repeatsEnd;

  /**
   * A runner of {@code projection}, saving under {@code key}; {@code serving} runners claim the
   * name and announce their generation, a rebuild (not serving) starts at {@code generation}.
   */
  Runner(
      Projection projection,
      Environment env,
      Host host,
      String key,
      boolean serving,
      int generation) {
    this.projection = projection;
    this.env = env;
    this.host = host;
    this.name = projection.name();
    this.key = key;
    this.serving = serving;
    this.generation = generation;
  }

  // ---------------------------------------------------------------------------------------------
  // The loop

  @Override
  public void run() {
    thread = Thread.currentThread();
    try {
      while (!stopRequested) {
        try {
          processCommands();
          if (stopRequested) {
            break;
          }
          if (paused) {
            setPhase(Phase.PAUSED);
            awaitCommand(null);
          } else if (failure != null) {
            setPhase(Phase.FAILED);
            awaitCommand(null);
          } else if (!holdClaim()) {
            unsaved = null; // another instance may run it now: it reads from the saved checkpoint
            setPhase(Phase.STANDBY);
            needsInit = true;
            awaitCommand(env.claimRetry());
          } else if (needsInit) {
            init();
          } else if (catchUp != null) {
            catchUpStep();
          } else {
            liveStep();
          }
        } catch (Abandoned e) {
          needsInit = true;
        } catch (InterruptedException e) {
          stopRequested = true; // interrupted by close() after its time ran out
        } catch (RuntimeException | Error e) {
          fail("unexpected failure: " + Failures.describe(e));
        }
      }
    } finally {
      finish();
    }
  }

  /**
   * Saves what live batches handled since the last save with one attempt, where the runner cannot
   * retry (it fails or stops); if that fails too, those batches are handed over again later.
   */
  private void saveUnsavedOnce(String when) {
    Checkpoint pending = unsaved;
    unsaved = null;
    if (pending == null) {
      return;
    }
    try {
      Position known = saved.position();
      env.checkpoints().save(key, pending);
      saved = savedAs(known, pending);
      lastSave = System.nanoTime();
    } catch (RuntimeException e) {
      lastError = "saving the checkpoint " + when + " failed: " + Failures.describe(e);
    }
  }

  private void finish() {
    saveUnsavedOnce("on stopping");
    releaseReader();
    // reads ahead still running would outlive the runner: let them end (their results are dropped)
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    for (CompletableFuture<?> reading : prefetching) {
      try {
        reading.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        // dropped either way
      }
    }
    if (serving && releaseClaim && env.claiming()) {
      try {
        env.claims().release(name, env.owner());
      } catch (RuntimeException e) {
        lastError = "releasing the claim failed: " + Failures.describe(e);
      }
    }
    phase = Phase.STOPPED;
    List<Command> left;
    lock.lock();
    try {
      ended = true; // from now on, commands are answered at once
      left = new ArrayList<>(commands);
      commands.clear();
    } finally {
      lock.unlock();
    }
    ProjectionStatus last = status(null);
    for (Command command : left) {
      if (command.kind == CommandKind.STOP) {
        command.done.complete(last);
      } else {
        command.done.completeExceptionally(
            new IllegalStateException(
                "projection '" + name + "' stopped before " + command.kind + " was applied"));
      }
    }
    stopped.complete(last);
    finished.countDown();
    host.progressed();
  }

  /**
   * Closes the reader, if one is open; the next is opened, and sought to the saved checkpoint, by
   * {@link #init}. A runner that does not read holds no reader: a source that shares its partitions
   * out among instances (a Kafka consumer group) then gives them to the other instances at once.
   * Kept open, a reader that is not polled would hold its partitions, and hold every rebalance of
   * the group waiting for it, until the source drops it (on Kafka, {@code max.poll.interval.ms}).
   */
  private void releaseReader() {
    ProjectionSource.Reader open = reader;
    if (open == null) {
      return;
    }
    reader = null;
    needsInit = true;
    try {
      open.close();
    } catch (RuntimeException e) {
      // A new reader is opened on resume; this one has nothing left to lose.
      lastError = "closing the reader failed: " + Failures.describe(e);
    }
  }

  private void init() throws InterruptedException {
    unsaved = null; // handled, not saved: read again from the saved checkpoint
    repeats.clear(); // a reset or a reopened reader: nothing is known to be handed over already
    repeatsEnd = null;
    Checkpoint checkpoint =
        retrying("loading the checkpoint '" + key + "'", () -> env.checkpoints().load(key))
            .orElse(null);
    if (checkpoint == null) {
      Position liveFrom =
          retrying("reading where the stored events end", () -> env.source().storedUpTo());
      checkpoint = Checkpoint.catchingUp(generation, liveFrom, Optional.empty());
      save(checkpoint);
    }
    generation = checkpoint.generation();
    // The phase is set before the checkpoint, so that whoever sees the checkpoint sees the phase.
    if (checkpoint.isCaughtUp()) {
      catchUp = null;
      progress = null;
      seekReader(checkpoint.position());
      setPhase(Phase.LIVE);
    } else {
      startCatchUp(checkpoint);
      setPhase(Phase.CATCHING_UP);
    }
    saved = checkpoint;
    host.progressed();
    needsInit = false;
    if (serving && announced != generation) {
      announced = generation;
      projection.whenServing(generation);
    }
  }

  private boolean holdClaim() {
    if (!serving || !env.claiming()) {
      return true;
    }
    Instant now = env.clock().instant();
    if (claimRenewal != null && now.isBefore(claimRenewal)) {
      return true;
    }
    boolean held;
    try {
      held = env.claims().claim(name, env.owner(), now, now.plus(env.claimTimeout()));
    } catch (RuntimeException e) {
      if (Failures.classify(e) != Failures.Verdict.TRANSIENT) {
        throw e;
      }
      lastError = "claiming the projection failed: " + Failures.describe(e);
      held = false;
    }
    claimRenewal = held ? now.plus(env.claimTimeout().dividedBy(3)) : null;
    return held;
  }

  // ---------------------------------------------------------------------------------------------
  // Catch-up: the stored histories, aggregate by aggregate, then live from the position taken
  // before the catch-up began.

  private void startCatchUp(Checkpoint checkpoint) throws InterruptedException {
    List<AggregateId> all = new ArrayList<>();
    for (String type : projection.aggregateTypes()) {
      all.addAll(
          retrying(
              "listing the aggregates of type '" + type + "'", () -> env.catalogue().list(type)));
    }
    all.sort(null);
    Optional<AggregateId> after = checkpoint.catchUpAfter();
    if (after.isPresent()) {
      all.removeIf(aggregate -> aggregate.compareTo(after.get()) <= 0);
    }
    catchUp = new CatchUp(all);
    progress = catchUp.progress();
  }

  private void catchUpStep() throws InterruptedException {
    if (catchUp.remaining.isEmpty()) {
      Checkpoint live = Checkpoint.live(generation, saved.position());
      repeatsEnd =
          repeats.isEmpty()
              ? null
              : retrying("reading the head of the live source", () -> env.source().head());
      if (repeatsEnd == null) {
        repeats.clear();
      }
      catchUp = null;
      progress = null;
      setPhase(Phase.LIVE); // before the checkpoint: whoever sees it live sees the phase
      save(live);
      seekReader(live.position());
      if (!serving) {
        host.rebuildLive(this);
      }
      return;
    }
    int size = projection.catchUpAggregates();
    List<AggregateId> chunk = new ArrayList<>(size);
    for (AggregateId aggregate : catchUp.remaining) {
      if (chunk.size() == size) {
        break;
      }
      chunk.add(aggregate);
    }
    Map<AggregateId, List<Event>> histories = readAhead(chunk);
    readAheadAfter(chunk);
    if (histories == null) {
      histories =
          retrying(
              "reading the stored histories of "
                  + chunk.size()
                  + " aggregates from "
                  + chunk.get(0),
              () -> env.store().preload(chunk, HistoryQuery.all()));
    }
    if (projection.kind() == Projection.Kind.EVENTS) {
      catchUpEvents(chunk, histories, mayRepeat());
    } else {
      catchUpStates(chunk, histories);
    }
  }

  /**
   * Starts reading the histories of the chunks after {@code chunk}, the one about to be handled,
   * until {@linkplain Projection#catchUpReadAhead() as many as the projection reads ahead} are
   * being read or read, so that the store's reads of a catch-up overlap each other and the work of
   * its handlers. A read that fails is read again, retried as usual, when its turn comes.
   */
  private void readAheadAfter(List<AggregateId> chunk) {
    int size = projection.catchUpAggregates();
    int skip = chunk.size();
    for (ReadAhead read : catchUp.ahead) {
      skip += read.chunk().size();
    }
    List<AggregateId> next = new ArrayList<>(size);
    java.util.Iterator<AggregateId> aggregates = catchUp.remaining.iterator();
    for (int i = 0; i < skip && aggregates.hasNext(); i++) {
      aggregates.next();
    }
    while (catchUp.ahead.size() < projection.catchUpReadAhead() && aggregates.hasNext()) {
      next.add(aggregates.next());
      if (next.size() == size || !aggregates.hasNext()) {
        List<AggregateId> chunkAhead = List.copyOf(next);
        catchUp.ahead.addLast(new ReadAhead(chunkAhead, startReading(chunkAhead)));
        next.clear();
      }
    }
  }

  private CompletableFuture<Map<AggregateId, List<Event>>> startReading(List<AggregateId> chunk) {
    CompletableFuture<Map<AggregateId, List<Event>>> read =
        CompletableFuture.supplyAsync(
            () -> env.store().preload(chunk, HistoryQuery.all()),
            task -> {
              Thread reader = new Thread(task, "cursus-projection-" + name + "-prefetch");
              reader.setDaemon(true);
              reader.start();
            });
    prefetching.removeIf(CompletableFuture::isDone);
    prefetching.add(read);
    return read;
  }

  /**
   * The histories of {@code chunk} if they were read ahead and the read succeeded; else null. Reads
   * ahead of other chunks (there are none while chunks follow each other) are dropped.
   */
  private Map<AggregateId, List<Event>> readAhead(List<AggregateId> chunk)
      throws InterruptedException {
    ReadAhead first = catchUp.ahead.peekFirst();
    if (first == null || !chunk.equals(first.chunk())) {
      catchUp.ahead.clear();
      return null;
    }
    catchUp.ahead.removeFirst();
    try {
      return first.read().get();
    } catch (java.util.concurrent.ExecutionException e) {
      lastError = "reading ahead failed, reading again: " + Failures.describe(e.getCause());
      return null;
    }
  }

  /**
   * Which events of a chunk just read the live source may hand over again, after the catch-up: none
   * if the source holds nothing after the position the catch-up goes live from (everything read is
   * before it); else those captured at most {@link #REPEAT_MARGIN} before the oldest event the
   * source holds after that position (all of them, if the source cannot tell when that was).
   */
  private Predicate<Event> mayRepeat() throws InterruptedException {
    if (catchUp.mayRepeat != null) {
      return catchUp.mayRepeat;
    }
    Position liveFrom = saved.position();
    Position head = retrying("reading the head of the live source", () -> env.source().head());
    if (liveFrom.isAtOrAfter(head)) {
      return event -> false;
    }
    Optional<Instant> oldest;
    try {
      oldest = env.source().capturedAt(liveFrom);
    } catch (RuntimeException e) {
      oldest = Optional.empty();
    }
    if (oldest.isEmpty()) {
      catchUp.mayRepeat = event -> true;
    } else {
      Instant from = oldest.get().minus(REPEAT_MARGIN);
      catchUp.mayRepeat = event -> event.processingTime().map(t -> !t.isBefore(from)).orElse(true);
    }
    return catchUp.mayRepeat;
  }

  private void catchUpEvents(
      List<AggregateId> chunk, Map<AggregateId, List<Event>> histories, Predicate<Event> mayRepeat)
      throws InterruptedException {
    List<Event> batch = new ArrayList<>();
    AggregateId lastDone = saved.catchUpAfter().orElse(null);
    for (AggregateId aggregate : chunk) {
      List<Event> events = new ArrayList<>(histories.getOrDefault(aggregate, List.of()));
      events.sort(CAPTURE_ORDER);
      for (Event event : events) {
        if (repeats.size() < MAX_REPEATS && mayRepeat.test(event)) {
          repeats.add(event.identity());
        }
        batch.add(event);
        if (batch.size() == projection.batchSize()) {
          deliverCatchUp(batch, lastDone);
          batch.clear();
        }
      }
      lastDone = aggregate;
      catchUp.remaining.removeFirst();
      catchUp.done++;
    }
    deliverCatchUp(batch, lastDone);
  }

  private void deliverCatchUp(List<Event> batch, AggregateId lastDone) throws InterruptedException {
    Checkpoint before = saved;
    Checkpoint after =
        Checkpoint.catchingUp(generation, before.position(), Optional.ofNullable(lastDone));
    if (!batch.isEmpty()) {
      List<Event> events = List.copyOf(batch);
      handleEvents(events, null, after, i -> i == events.size() - 1 ? after : before);
    }
    catchUp.events += batch.size();
    save(after);
    progress = catchUp.progress();
  }

  private void catchUpStates(List<AggregateId> chunk, Map<AggregateId, List<Event>> histories)
      throws InterruptedException {
    // What the chunk read is what a state is built from: the default loader asks for it again.
    EventSource preloaded =
        (aggregate, query) -> {
          List<Event> history = histories.get(aggregate);
          return history != null && query.equals(HistoryQuery.all())
              ? history.stream()
              : env.store().read(aggregate, query);
        };
    for (AggregateId aggregate : chunk) {
      int events = histories.getOrDefault(aggregate, List.of()).size();
      if (handleState(aggregate, List.of(), preloaded)) {
        handled.addAndGet(events);
      }
      catchUp.remaining.removeFirst();
      catchUp.done++;
      catchUp.events += events;
    }
    save(
        Checkpoint.catchingUp(
            generation, saved.position(), Optional.of(chunk.get(chunk.size() - 1))));
    progress = catchUp.progress();
  }

  // ---------------------------------------------------------------------------------------------
  // Live

  private void seekReader(Position checkpoint) {
    unstored.clear();
    // A state projection starts reading where the store's writer is, if it is behind: the events
    // between are read again (states are upserts), so that they are in unstored until stored.
    boolean states = projection.kind() == Projection.Kind.STATES;
    Position position = states ? behindTheStore(checkpoint) : checkpoint;
    if (reader == null) {
      // A rebuild reads under its own key (name#rebuild): on Kafka, a consumer group of
      // its own, so that it does not take partitions from the serving generation.
      reader =
          env.source()
              .open(
                  key,
                  () -> {
                    Position saved =
                        env.checkpoints().load(key).map(Checkpoint::position).orElse(checkpoint);
                    if (states) {
                      // What is read again is held again: a repeat in unstored is harmless, the
                      // merge keeps one copy of an identity.
                      return behindTheStore(saved);
                    }
                    return saved;
                  });
    }
    reader.seek(position);
  }

  /**
   * {@code position}, moved back in each partition to where the store's writer has stored up to, if
   * it is behind; {@code position} itself if the source cannot tell now.
   */
  private Position behindTheStore(Position position) {
    Position stored;
    try {
      stored = env.source().storedUpTo();
    } catch (RuntimeException e) {
      lastError = "reading where the stored events end failed: " + Failures.describe(e);
      return position;
    }
    if (stored.offsets().isEmpty()) {
      return position; // a source that cannot tell what is stored (a feed of no store)
    }
    Map<String, Long> offsets = new HashMap<>(position.offsets());
    for (Map.Entry<String, Long> partition : stored.offsets().entrySet()) {
      offsets.put(
          partition.getKey(), Math.min(partition.getValue(), position.next(partition.getKey())));
    }
    return Position.of(offsets);
  }

  /**
   * Remembers what a state projection read live, until the store holds it: a later batch touching
   * the same aggregate must build its state from these events too, when the store's writer is
   * slower than the projection (a Kafka topic read ahead of the consumer that stores it).
   */
  private void rememberUnstored(List<Delivery> deliveries) {
    Position stored;
    try {
      stored = env.source().storedUpTo();
    } catch (RuntimeException e) {
      lastError = "reading where the stored events end failed: " + Failures.describe(e);
      stored = null; // kept until a later batch can tell
    }
    if (stored != null && stored.offsets().isEmpty()) {
      unstored.clear(); // a source that cannot tell what is stored: the batch alone is merged
      return;
    }
    for (Delivery delivery : deliveries) {
      unstored
          .computeIfAbsent(delivery.event().aggregateId(), id -> new ArrayList<>())
          .add(delivery);
    }
    if (stored == null) {
      return;
    }
    Position known = stored;
    unstored
        .values()
        .removeIf(
            held -> {
              held.removeIf(d -> d.offset() < known.next(d.partition()));
              return held.isEmpty();
            });
  }

  /** The events of {@code aggregate} read live and maybe not stored yet, then {@code batch}. */
  private List<Event> withUnstored(AggregateId aggregate, List<Event> batch) {
    List<Delivery> held = unstored.get(aggregate);
    if (held == null) {
      return batch;
    }
    List<Event> arrived = new ArrayList<>(held.size() + batch.size());
    for (Delivery delivery : held) {
      arrived.add(delivery.event());
    }
    arrived.addAll(batch); // repeats of an identity: StateLoader.merge keeps the first
    return arrived;
  }

  private void liveStep() throws InterruptedException {
    ProjectionSource.Reader source = reader;
    List<Delivery> deliveries =
        retrying(
            "reading the live source",
            () -> source.poll(projection.batchSize(), env.pollTimeout()));
    if (deliveries.isEmpty()) {
      saveUnsaved(); // nothing more to read at the moment: what was handled is saved now
      if (!serving) {
        host.rebuildLive(this);
      }
      return;
    }
    // Instances that share the source's partitions save only the partitions of their batches, so
    // that none moves back a partition another instance owns now.
    boolean shared = env.source().splitsWork();
    Checkpoint handledUpTo = unsaved != null ? unsaved : saved;
    Position base = shared ? Position.start() : handledUpTo.position();
    Map<String, Long> next = new HashMap<>();
    List<Delivery> mine = new ArrayList<>(deliveries.size());
    for (Delivery delivery : deliveries) {
      next.put(delivery.partition(), delivery.offset() + 1);
      if (!repeats.isEmpty() && repeats.remove(delivery.event().identity())) {
        continue; // the catch-up handed it over already
      }
      for (Delivery current : upcast(delivery)) {
        if (projection.reads(current.event())) {
          mine.add(current);
        }
      }
    }
    Checkpoint after = Checkpoint.live(generation, base.merge(Position.of(next)));
    if (repeatsEnd != null
        && (repeats.isEmpty()
            || handledUpTo.position().merge(after.position()).isAtOrAfter(repeatsEnd))) {
      repeats.clear(); // past where the catch-up's events can be
      repeatsEnd = null;
    }
    measureLateness(mine);
    List<Event> events = new ArrayList<>(mine.size());
    for (Delivery delivery : mine) {
      events.add(delivery.event());
    }
    if (!events.isEmpty()) {
      handleEvents(
          events,
          mine,
          after,
          i -> {
            Map<String, Long> upTo = new HashMap<>();
            for (int j = 0; j <= i; j++) {
              upTo.put(mine.get(j).partition(), mine.get(j).offset() + 1);
            }
            return Checkpoint.live(generation, base.merge(Position.of(upTo)));
          });
      Event last = events.get(events.size() - 1);
      Instant now = env.clock().instant();
      last.processingTime().ifPresent(t -> captureLag = nonNegative(Duration.between(t, now)));
    }
    unsaved =
        unsaved == null
            ? after
            : Checkpoint.live(generation, unsaved.position().merge(after.position()));
    // A batch that did not come full means the source is read to its end for now: saved at once,
    // as is a rebuild's (its take-over compares saved positions). Full batches (the projection is
    // behind) are saved once the checkpoint interval has passed since the last save.
    if (deliveries.size() < projection.batchSize()
        || !serving
        || System.nanoTime() - lastSave >= projection.checkpointInterval().toNanos()) {
      saveUnsaved();
    }
    if (!serving) {
      host.rebuildLive(this);
    }
  }

  /** Saves what live batches handled since the last save, if anything. */
  private void saveUnsaved() throws InterruptedException {
    Checkpoint pending = unsaved;
    if (pending == null) {
      return;
    }
    Position known = saved.position();
    save(pending);
    unsaved = null;
    saved = savedAs(known, pending);
  }

  /**
   * What is saved once {@code pending}, live batches' checkpoint, is, where {@code known} was saved
   * before: instances sharing the source save only their batches' partitions, so the others keep
   * what was known of them.
   */
  private Checkpoint savedAs(Position known, Checkpoint pending) {
    return env.source().splitsWork()
        ? Checkpoint.live(generation, known.merge(pending.position()))
        : pending;
  }

  /**
   * {@code delivery} at the current declarations: itself, or the events the upcasters make of an
   * older version's event, each at the delivery's offset. A failing upcaster fails the projection
   * (its checkpoint stays before the delivery, so a fixed upcaster reads it again).
   */
  // upcast returns the very event when it had nothing to do: no copy is made then
  @SuppressWarnings("ReferenceEquality")
  private List<Delivery> upcast(Delivery delivery) {
    if (env.upcasters().isEmpty()) {
      return List.of(delivery);
    }
    List<Event> current;
    try {
      current = env.upcasters().upcast(delivery.event());
    } catch (RuntimeException e) {
      fail(
          "reading the delivery at "
              + delivery.partition()
              + ":"
              + delivery.offset()
              + " failed: "
              + e.getMessage());
      throw new Abandoned();
    }
    if (current.size() == 1 && current.get(0) == delivery.event()) {
      return List.of(delivery);
    }
    List<Delivery> upcast = new ArrayList<>(current.size());
    for (Event event : current) {
      upcast.add(new Delivery(event, delivery.partition(), delivery.offset()));
    }
    return upcast;
  }

  private void measureLateness(List<Delivery> deliveries) {
    Duration batch = Duration.ZERO;
    for (Delivery delivery : deliveries) {
      Instant time = delivery.event().eventTime();
      if (newestEventTime == null || time.isAfter(newestEventTime)) {
        newestEventTime = time;
      } else {
        Duration late = Duration.between(time, newestEventTime);
        if (late.compareTo(batch) > 0) {
          batch = late;
        }
      }
    }
    lateness = batch;
    if (batch.compareTo(greatestLateness) > 0) {
      greatestLateness = batch;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Handing events and states to the handlers

  /**
   * Hands {@code events} to the projection's handlers: per event, per aggregate (states), or as a
   * batch; {@code deliveries} (live only) say where each came from, {@code checkpointAfter} what a
   * batch handler handed them one at a time should store after each.
   */
  private void handleEvents(
      List<Event> events,
      List<Delivery> deliveries,
      Checkpoint after,
      java.util.function.IntFunction<Checkpoint> checkpointAfter)
      throws InterruptedException {
    switch (projection.kind()) {
      case STATES -> {
        Map<AggregateId, List<Event>> touched = new LinkedHashMap<>();
        for (Event event : events) {
          touched.computeIfAbsent(event.aggregateId(), id -> new ArrayList<>()).add(event);
        }
        if (deliveries != null) {
          rememberUnstored(deliveries);
        }
        for (Map.Entry<AggregateId, List<Event>> aggregate : touched.entrySet()) {
          List<Event> arrived = withUnstored(aggregate.getKey(), aggregate.getValue());
          if (handleState(aggregate.getKey(), arrived, env.store())) {
            handled.addAndGet(aggregate.getValue().size());
          }
        }
      }
      case EVENTS -> {
        if (projection.batchHandler() != null) {
          handleBatch(events, deliveries, after, checkpointAfter);
        } else {
          for (int i = 0; i < events.size(); i++) {
            Event event = events.get(i);
            Delivery delivery = deliveries == null ? null : deliveries.get(i);
            if (unit(
                () -> describe(event, delivery),
                () -> {
                  for (var handler : projection.eventHandlers()) {
                    handler.accept(event);
                  }
                },
                parkingOf(event))) {
              handled.incrementAndGet();
            }
          }
        }
      }
    }
  }

  private void handleBatch(
      List<Event> events,
      List<Delivery> deliveries,
      Checkpoint after,
      java.util.function.IntFunction<Checkpoint> checkpointAfter)
      throws InterruptedException {
    BatchHandler handler = projection.batchHandler();
    int transientAttempts = 0;
    while (true) {
      try {
        handler.handle(new EventBatch(name, generation, events, after, key));
        lastError = null;
        handled.addAndGet(events.size());
        return;
      } catch (RuntimeException | Error e) {
        Failures.Verdict verdict = classify(e);
        String what =
            "handling a batch of "
                + events.size()
                + " events starting with "
                + describe(events.get(0), deliveries == null ? null : deliveries.get(0));
        if (verdict == Failures.Verdict.STOP) {
          fail(what + " failed: " + Failures.describe(e));
          throw new Abandoned();
        }
        retries.incrementAndGet();
        if (verdict == Failures.Verdict.POISON) {
          lastError = what + ": " + Failures.describe(e) + "; trying its events one at a time";
          break;
        }
        lastError = what + ": " + Failures.describe(e);
        backoff(transientAttempts++);
      }
    }
    // Poison somewhere in the batch: one event at a time finds it, and the others go through.
    for (int i = 0; i < events.size(); i++) {
      Event event = events.get(i);
      Delivery delivery = deliveries == null ? null : deliveries.get(i);
      Checkpoint single = checkpointAfter.apply(i);
      if (unit(
          () -> describe(event, delivery),
          () -> handler.handle(new EventBatch(name, generation, List.of(event), single, key)),
          parkingOf(event))) {
        handled.incrementAndGet();
      }
    }
  }

  /** Hands aggregate's state to the state handler; false if it was parked. */
  private boolean handleState(AggregateId aggregate, List<Event> arrived, EventSource from)
      throws InterruptedException {
    return unit(
        () ->
            "updating the state of "
                + aggregate
                + (arrived.isEmpty() ? "" : " after " + arrived.get(arrived.size() - 1)),
        () -> {
          Optional<Object> state =
              requireNonNull(
                  projection.stateLoader().load(from, aggregate, arrived),
                  "the state loader returned null instead of an Optional");
          StateHandler<Object, Object> handler = stateHandler();
          Object id = projection.idOf(aggregate);
          if (state.isPresent()) {
            handler.update(id, state.get());
          } else {
            handler.noState(id);
          }
        },
        parkingOf(aggregate, arrived));
  }

  private StateHandler<Object, Object> stateHandler() {
    if (stateHandler == null || stateHandlerGeneration != generation) {
      stateHandler = projection.stateHandler(generation);
      stateHandlerGeneration = generation;
    }
    return stateHandler;
  }

  /**
   * Runs {@code work} until it succeeds: transient failures are retried without limit, poison up to
   * the projection's max attempts and then parked (false), anything else fails the projection.
   */
  private boolean unit(Supplier<String> what, Work work, Parking parking)
      throws InterruptedException {
    int poisonAttempts = 0;
    int transientAttempts = 0;
    while (true) {
      try {
        work.run();
        lastError = null;
        return true;
      } catch (RuntimeException | Error e) {
        Failures.Verdict verdict = classify(e);
        if (verdict == Failures.Verdict.STOP) {
          fail(what.get() + " failed: " + Failures.describe(e));
          throw new Abandoned();
        }
        if (verdict == Failures.Verdict.TRANSIENT) {
          retries.incrementAndGet();
          lastError = what.get() + ": " + Failures.describe(e);
          backoff(transientAttempts++);
          continue;
        }
        poisonAttempts++;
        if (poisonAttempts < projection.maxAttempts()) {
          retries.incrementAndGet();
          lastError = what.get() + ": " + Failures.describe(e);
          backoff(poisonAttempts - 1);
          continue;
        }
        if (projection.failOnPoison()) {
          fail(
              what.get()
                  + " failed "
                  + poisonAttempts
                  + " times: "
                  + Failures.describe(e)
                  + " (the projection fails on poison instead of parking it)");
          throw new Abandoned();
        }
        parking.park(Failures.describe(e), poisonAttempts);
        lastError = null;
        return false;
      }
    }
  }

  private Parking parkingOf(Event event) {
    return (reason, attempts) -> {
      String parkedKey = event.identity().toString();
      Optional<ParkedEvent> before =
          retrying("reading parked events", () -> env.parked().get(name, parkedKey));
      ParkedEvent parked =
          new ParkedEvent(
              name,
              generation,
              parkedKey,
              event.aggregateId(),
              List.of(event),
              reason,
              attempts + before.map(ParkedEvent::attempts).orElse(0),
              before.map(ParkedEvent::parkedAt).orElse(env.clock().instant()));
      retrying("parking " + event, () -> park(parked));
      parkedCount.incrementAndGet();
    };
  }

  private Parking parkingOf(AggregateId aggregate, List<Event> arrived) {
    return (reason, attempts) -> {
      String parkedKey = aggregate.toString();
      Optional<ParkedEvent> before =
          retrying("reading parked events", () -> env.parked().get(name, parkedKey));
      LinkedHashSet<Event> events = new LinkedHashSet<>();
      before.ifPresent(p -> events.addAll(p.events()));
      events.addAll(arrived);
      ParkedEvent parked =
          new ParkedEvent(
              name,
              generation,
              parkedKey,
              aggregate,
              List.copyOf(events),
              reason,
              attempts + before.map(ParkedEvent::attempts).orElse(0),
              before.map(ParkedEvent::parkedAt).orElse(env.clock().instant()));
      retrying("parking the state of " + aggregate, () -> park(parked));
      parkedCount.incrementAndGet();
    };
  }

  private Void park(ParkedEvent parked) {
    env.parked().park(parked);
    return null;
  }

  /**
   * What a failure of a handler or of the state loader calls for: the projection's own test of what
   * is transient comes after what a Cursus exception says of itself.
   */
  private Failures.Verdict classify(Throwable failure) {
    Failures.Verdict verdict = Failures.classify(failure);
    return verdict == Failures.Verdict.POISON && projection.isTransient(failure)
        ? Failures.Verdict.TRANSIENT
        : verdict;
  }

  /** Calls the world until it answers: transient failures are retried, others fail the runner. */
  private <T> T retrying(String what, Call<T> call) throws InterruptedException {
    int attempt = 0;
    while (true) {
      try {
        return call.call();
      } catch (RuntimeException e) {
        if (Failures.classify(e) != Failures.Verdict.TRANSIENT) {
          fail(what + " failed: " + Failures.describe(e));
          throw new Abandoned();
        }
        retries.incrementAndGet();
        lastError = what + ": " + Failures.describe(e);
        backoff(attempt++);
      }
    }
  }

  @FunctionalInterface
  private interface Call<T> {
    T call() throws InterruptedException;
  }

  /** Waits before a retry; a pause or a stop requested meanwhile abandons the batch. */
  private void backoff(int attempt) throws InterruptedException {
    Duration wait = Failures.backoff(projection.backoffInitial(), projection.backoffMax(), attempt);
    if (env.sleeper() != null) {
      env.sleeper().sleep(wait);
    } else {
      long deadline = System.nanoTime() + wait.toNanos();
      lock.lock();
      try {
        long left;
        while (!stopRequested && !pauseRequested && (left = deadline - System.nanoTime()) > 0) {
          changed.awaitNanos(left);
        }
      } finally {
        lock.unlock();
      }
    }
    if (stopRequested || pauseRequested) {
      throw new Abandoned();
    }
  }

  private void save(Checkpoint checkpoint) throws InterruptedException {
    retrying(
        "saving the checkpoint '" + key + "'",
        () -> {
          env.checkpoints().save(key, checkpoint);
          return null;
        });
    lastSave = System.nanoTime();
    saved = checkpoint;
    host.progressed();
  }

  private void fail(String reason) {
    saveUnsavedOnce("before failing"); // the batches before the failing one were handled
    failure = reason;
    lastError = null;
    needsInit = true;
    releaseReader();
    setPhase(Phase.FAILED);
  }

  private void setPhase(Phase next) {
    if (phase != next) {
      phase = next;
      host.progressed();
    }
  }

  private static String describe(Event event, Delivery delivery) {
    return delivery == null
        ? "handling " + event
        : "handling " + event + " (" + delivery.partition() + ":" + delivery.offset() + ")";
  }

  private static Duration nonNegative(Duration duration) {
    return duration.isNegative() ? Duration.ZERO : duration;
  }

  // ---------------------------------------------------------------------------------------------
  // Commands, applied on the runner's thread between batches

  /** Queues a command whose outcome nobody waits for. */
  void request(CommandKind kind) {
    enqueue(kind, null, new CompletableFuture<>());
  }

  /** Queues a command; the future completes when the runner has applied it. */
  CompletableFuture<Object> submit(CommandKind kind, String parkedKey) {
    CompletableFuture<Object> done = new CompletableFuture<>();
    enqueue(kind, parkedKey, done);
    return done;
  }

  private void enqueue(CommandKind kind, String parkedKey, CompletableFuture<Object> done) {
    lock.lock();
    try {
      if (ended) {
        if (kind == CommandKind.STOP) {
          done.complete(status(null));
        } else {
          done.completeExceptionally(
              new IllegalStateException("projection '" + name + "' is stopped; start it again"));
        }
        return;
      }
      if (kind == CommandKind.PAUSE) {
        pauseRequested = true;
      } else if (kind == CommandKind.STOP) {
        stopRequested = true;
      }
      commands.add(new Command(kind, parkedKey, done));
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    ProjectionSource.Reader current = reader;
    if (current != null) {
      current.wakeup();
    }
  }

  private void processCommands() throws InterruptedException {
    while (true) {
      Command command;
      lock.lock();
      try {
        command = commands.poll();
      } finally {
        lock.unlock();
      }
      if (command == null) {
        return;
      }
      try {
        saveUnsaved(); // every command acts on a saved checkpoint
        command.done.complete(apply(command));
      } catch (Abandoned e) {
        command.done.completeExceptionally(
            new IllegalStateException(
                command.kind + " of projection '" + name + "' was interrupted: " + failure));
        throw e;
      } catch (RuntimeException e) {
        command.done.completeExceptionally(e);
      }
    }
  }

  private Object apply(Command command) throws InterruptedException {
    switch (command.kind) {
      case PAUSE -> {
        paused = true;
        pauseRequested = false;
        releaseReader();
        setPhase(Phase.PAUSED);
        return status(null);
      }
      case RESUME -> {
        paused = false;
        if (failure != null) {
          failure = null;
          needsInit = true;
        }
        setPhase(needsInit ? Phase.STARTING : catchUp != null ? Phase.CATCHING_UP : Phase.LIVE);
        return status(null);
      }
      case RESET -> {
        if (!paused && failure == null) {
          throw new IllegalStateException(
              "projection '" + name + "' is " + phase + "; pause it before a reset");
        }
        retrying(
            "deleting the checkpoint '" + key + "'",
            () -> {
              env.checkpoints().delete(key);
              return null;
            });
        saved = null;
        catchUp = null;
        progress = null;
        failure = null;
        paused = true;
        needsInit = true;
        newestEventTime = null;
        setPhase(Phase.PAUSED);
        return status(null);
      }
      case REDELIVER -> {
        return redeliver(command.key);
      }
      case STOP -> {
        stopRequested = true;
        return status(null);
      }
    }
    throw new IllegalStateException("unknown command " + command.kind);
  }

  private int redeliver(String onlyKey) throws InterruptedException {
    if (saved == null) {
      throw new IllegalStateException(
          "projection '" + name + "' has no checkpoint yet (starting, or reset); resume it first");
    }
    List<ParkedEvent> entries = retrying("listing parked events", () -> env.parked().list(name));
    int redelivered = 0;
    for (ParkedEvent parked : entries) {
      if ((onlyKey != null && !parked.key().equals(onlyKey)) || parked.generation() != generation) {
        continue;
      }
      boolean done;
      if (projection.kind() == Projection.Kind.STATES) {
        done = handleState(parked.aggregate(), parked.events(), env.store());
      } else {
        Event event = parked.events().get(0);
        BatchHandler batchHandler = projection.batchHandler();
        Checkpoint current = saved;
        done =
            unit(
                () -> "redelivering " + event,
                () -> {
                  if (batchHandler != null) {
                    batchHandler.handle(
                        new EventBatch(name, generation, List.of(event), current, key));
                  } else {
                    for (var handler : projection.eventHandlers()) {
                      handler.accept(event);
                    }
                  }
                },
                parkingOf(event));
      }
      if (done) {
        retrying(
            "removing a redelivered parked event",
            () -> {
              env.parked().remove(name, parked.key());
              return null;
            });
        handled.addAndGet(Math.max(1, parked.events().size()));
        redelivered++;
      }
    }
    return redelivered;
  }

  private void awaitCommand(Duration max) throws InterruptedException {
    lock.lock();
    try {
      if (max == null) {
        while (commands.isEmpty() && !stopRequested) {
          changed.await();
        }
      } else {
        long deadline = System.nanoTime() + max.toNanos();
        long left;
        while (commands.isEmpty() && !stopRequested && (left = deadline - System.nanoTime()) > 0) {
          changed.awaitNanos(left);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // What other threads ask

  String key() {
    return key;
  }

  boolean isServing() {
    return serving;
  }

  Phase phase() {
    return phase;
  }

  int generation() {
    return generation;
  }

  Optional<Checkpoint> saved() {
    return Optional.ofNullable(saved);
  }

  /** Whether the runner has stopped: it takes no more commands (its thread may still be ending). */
  boolean isStopped() {
    return ended;
  }

  CompletableFuture<ProjectionStatus> stopped() {
    return stopped;
  }

  /** Waits up to {@code timeout} for the runner to end; true if it did. */
  boolean awaitFinished(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    if (!finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      return false;
    }
    Thread own = ownThread;
    if (own != null) {
      // the runner has finished; its own thread ends just after: wait for that too, so that a
      // closed runtime leaves no thread of its own behind
      long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
      own.join(left);
      return !own.isAlive();
    }
    return true;
  }

  /** Tells the runner the thread it is started on is its own, to be waited for by close. */
  void runsOn(Thread own) {
    this.ownThread = own;
  }

  /** Interrupts the runner's thread, if it runs on one: for a close whose time ran out. */
  void interrupt() {
    Thread current = thread;
    if (current != null && finished.getCount() > 0) { // still running
      current.interrupt();
    }
  }

  /**
   * Called on this (rebuild) runner's thread when it takes over: it saves under {@code servingKey}
   * from now on, claims the name and announces its generation.
   */
  void becomeServing(String servingKey) throws InterruptedException {
    Checkpoint checkpoint = saved;
    key = servingKey;
    serving = true;
    save(checkpoint);
    announced = generation;
    projection.whenServing(generation);
  }

  /** Stops without releasing the claim: a rebuild in the same runtime takes over. */
  void handOver() {
    releaseClaim = false;
    request(CommandKind.STOP);
  }

  ProjectionStatus status(ProjectionStatus rebuild) {
    Instant now = env.clock().instant();
    Checkpoint checkpoint = saved;
    Position position = checkpoint == null ? Position.start() : checkpoint.position();
    long lag = 0;
    Duration lagTime = null;
    try {
      Position head = env.source().head();
      lag = position.eventsBefore(head);
      lagTime =
          lag == 0
              ? Duration.ZERO
              : env.source()
                  .capturedAt(position)
                  .map(t -> nonNegative(Duration.between(t, now)))
                  .orElse(null);
    } catch (RuntimeException e) {
      // The source cannot say now; the status says so by an unknown lag time.
      lagTime = null;
    }
    return new ProjectionStatus(
        name,
        projection.kind(),
        phase,
        generation,
        position,
        progress,
        lag,
        lagTime,
        captureLag,
        lateness,
        greatestLateness,
        handled.get(),
        retries.get(),
        parkedCount.get(),
        failure,
        lastError,
        rebuild,
        now);
  }
}
