package io.cursus.middleware;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.CheckReturnValue;
import io.cursus.api.CursusException;
import io.cursus.api.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A chain of named stages over batches of events, read top to bottom:
 *
 * <pre>{@code
 * Consumer<List<Event>> channel =
 *     Pipeline.start()
 *         .filter("validate", Stages.validator(registry))
 *         .deduplicate("idempotency", IdempotencyFilter.inMemory(100_000, Duration.ofMinutes(10)))
 *         .then("store", store::append)
 *         .then("index", index::index)
 *         .thenEach("notify", handler)
 *         .build();
 * EventBus bus = EventBus.to(channel);
 * }</pre>
 *
 * <p>Every stage sees a batch (a single event is a batch of one); a filter that drops every event
 * of a batch ends it there, so later stages never see empty batches. A stage that throws stops the
 * batch: the later stages do not see it, and the caller gets a {@link PipelineException} naming the
 * stage and the event. Stages run on the caller's thread, in order; the built consumer is
 * thread-safe if its stages are. A {@code Pipeline} is immutable: each method returns a new one.
 *
 * <p><b>Asynchronous stages.</b> A stage added with {@link #thenAsync} starts its work and returns
 * a {@link CompletionStage} completed when the work is done (a Kafka sink: when Kafka acknowledged
 * the batch). {@link #buildAsync()} gives the pipeline as a function whose future completes when
 * the last stage is done, so the caller's thread is free as soon as the asynchronous stage has
 * started; {@link #build()} waits for it. The stages after an asynchronous one run on the thread
 * that completed it.
 */
@CheckReturnValue
public final class Pipeline {

  /** What a stage that finished on the caller's thread returns; never handed to a caller. */
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private final List<Link> links;

  private Pipeline(List<Link> links) {
    this.links = List.copyOf(links);
  }

  /** An empty pipeline; {@link #build()} on it gives a consumer that does nothing. */
  public static Pipeline start() {
    return new Pipeline(List.of());
  }

  /** Passes on only the events {@code filter} accepts. */
  public Pipeline filter(String name, Predicate<? super Event> filter) {
    requireNonNull(filter, "filter must not be null");
    return add(
        name,
        next ->
            batch -> {
              List<Event> kept = new ArrayList<>(batch.size());
              for (Event event : batch) {
                boolean keep;
                try {
                  keep = filter.test(event);
                } catch (RuntimeException e) {
                  throw new PipelineException(name, event, 1, e);
                }
                if (keep) {
                  kept.add(event);
                }
              }
              return kept.isEmpty() ? DONE : next.run(List.copyOf(kept));
            });
  }

  /**
   * Passes on only the events {@code filter} sees for the first time, checking the whole batch at
   * once with {@link IdempotencyFilter#firstSightings} (one round to a remote filter, not one per
   * event). If a later stage fails, synchronously or by failing its future, the identities of the
   * batch's passed events are {@linkplain IdempotencyFilter#forgetAll forgotten} before the failure
   * reaches the caller, so the caller's retry of the same batch passes again instead of being
   * dropped as a duplicate.
   */
  public Pipeline deduplicate(String name, IdempotencyFilter filter) {
    requireNonNull(filter, "filter must not be null");
    return add(
        name,
        next ->
            batch -> {
              List<Event> passed;
              try {
                passed = List.copyOf(filter.firstSightings(batch));
              } catch (RuntimeException e) {
                throw new PipelineException(name, batch.get(0), batch.size(), e);
              }
              if (passed.isEmpty()) {
                return DONE;
              }
              CompletableFuture<Void> done;
              try {
                done = next.run(passed);
              } catch (RuntimeException e) {
                forgetQuietly(filter, passed, e);
                throw e;
              }
              if (isDoneWell(done)) {
                return done;
              }
              CompletableFuture<Void> result = new CompletableFuture<>();
              var unused =
                  done.whenComplete(
                      (ignored, failure) -> {
                        if (failure == null) {
                          result.complete(null);
                          return;
                        }
                        RuntimeException cause = unwrap(failure);
                        // off the completing thread (a Kafka client's I/O thread, say): forgetting
                        // is
                        // a blocking call to the filter's store
                        var unusedForget =
                            CompletableFuture.runAsync(() -> forgetQuietly(filter, passed, cause))
                                .whenComplete((v, e) -> result.completeExceptionally(cause));
                      });
              return result;
            });
  }

  private static void forgetQuietly(
      IdempotencyFilter filter, List<Event> passed, RuntimeException failure) {
    try {
      filter.forgetAll(passed);
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  /** Replaces each event with what {@code transform} returns for it. */
  public Pipeline map(String name, UnaryOperator<Event> transform) {
    requireNonNull(transform, "transform must not be null");
    return add(
        name,
        next ->
            batch -> {
              List<Event> mapped = new ArrayList<>(batch.size());
              for (Event event : batch) {
                Event result;
                try {
                  result = transform.apply(event);
                } catch (RuntimeException e) {
                  throw new PipelineException(name, event, 1, e);
                }
                if (result == null) {
                  throw new PipelineException(
                      name, event, 1, new IllegalStateException("the transform returned null"));
                }
                mapped.add(result);
              }
              return next.run(List.copyOf(mapped));
            });
  }

  /** Hands each batch to {@code stage}, then, if it returned normally, to the next stage. */
  public Pipeline then(String name, Consumer<? super List<Event>> stage) {
    requireNonNull(stage, "stage must not be null");
    return add(
        name,
        next ->
            batch -> {
              acceptBatch(name, stage, batch);
              return next.run(batch);
            });
  }

  /**
   * Hands each batch to {@code stage}, which starts its work and returns a stage completed when the
   * work is done (for example {@code sink::send} of a Kafka sink, completed when Kafka acknowledged
   * the batch); then, if it completed normally, hands the batch to the next stage, on the thread
   * that completed it. What {@code stage} throws at once, or the failure its future completes with,
   * is reported as a {@link PipelineException} of this stage. {@link #build()} waits for it; {@link
   * #buildAsync()} does not.
   */
  public Pipeline thenAsync(
      String name, Function<? super List<Event>, ? extends CompletionStage<?>> stage) {
    requireNonNull(stage, "stage must not be null");
    return add(
        name,
        next ->
            batch -> {
              CompletionStage<?> started;
              try {
                started = stage.apply(batch);
              } catch (PipelineException e) {
                throw e;
              } catch (RuntimeException e) {
                throw new PipelineException(name, batch.get(0), batch.size(), e);
              }
              if (started == null) {
                throw new PipelineException(
                    name,
                    batch.get(0),
                    batch.size(),
                    new IllegalStateException("the stage returned null instead of a future"));
              }
              if (started instanceof CompletableFuture<?> f && isDoneWell(f)) {
                return next.run(batch);
              }
              CompletableFuture<Void> result = new CompletableFuture<>();
              started.whenComplete(
                  (ignored, failure) -> {
                    if (failure != null) {
                      result.completeExceptionally(failureOf(name, batch, failure));
                      return;
                    }
                    try {
                      var unused =
                          next.run(batch)
                              .whenComplete(
                                  (v, e) -> {
                                    if (e == null) {
                                      result.complete(null);
                                    } else {
                                      result.completeExceptionally(unwrap(e));
                                    }
                                  });
                    } catch (RuntimeException e) {
                      result.completeExceptionally(e);
                    }
                  });
              return result;
            });
  }

  /** Hands each event of a batch, in order, to {@code stage}, then the batch to the next stage. */
  public Pipeline thenEach(String name, Consumer<? super Event> stage) {
    requireNonNull(stage, "stage must not be null");
    return add(
        name,
        next ->
            batch -> {
              for (Event event : batch) {
                try {
                  stage.accept(event);
                } catch (PipelineException e) {
                  throw e;
                } catch (RuntimeException e) {
                  throw new PipelineException(name, event, 1, e);
                }
              }
              return next.run(batch);
            });
  }

  /** Fans out to two branches; see {@link #to(String, List)}. */
  public Pipeline to(
      String name, Consumer<? super List<Event>> first, Consumer<? super List<Event>> second) {
    return to(name, List.of(first, second));
  }

  /**
   * Fans out: hands each batch to every one of {@code branches}, in order, then to the next stage.
   * Every branch is tried even if an earlier one failed; the first failure is thrown, with the
   * others suppressed.
   */
  public Pipeline to(String name, List<? extends Consumer<? super List<Event>>> branches) {
    List<Consumer<? super List<Event>>> all = List.copyOf(branches);
    if (all.isEmpty()) {
      throw new IllegalArgumentException("fan-out '" + name + "' needs at least one branch");
    }
    return add(
        name,
        next ->
            batch -> {
              PipelineException failure = null;
              for (Consumer<? super List<Event>> branch : all) {
                try {
                  acceptBatch(name, branch, batch);
                } catch (PipelineException e) {
                  if (failure == null) {
                    failure = e;
                  } else {
                    failure.addSuppressed(e);
                  }
                }
              }
              if (failure != null) {
                throw failure;
              }
              return next.run(batch);
            });
  }

  /**
   * Wraps the rest of the pipeline (every stage added after this one) with {@code wrapper}: a
   * retry, a timer, a lock, a log line. The wrapper receives the downstream consumer and returns
   * the consumer to call instead. What the wrapper throws itself is reported as this stage's
   * failure; failures of the stages it wraps pass through unchanged. The downstream consumer
   * returns when the stages it wraps are done, waiting for {@linkplain #thenAsync asynchronous}
   * ones, so that a retry or a timer sees their outcome.
   */
  public Pipeline wrap(String name, UnaryOperator<Consumer<List<Event>>> wrapper) {
    requireNonNull(wrapper, "wrapper must not be null");
    return add(
        name,
        next -> {
          Consumer<List<Event>> downstream = batch -> await(next.run(batch));
          Consumer<List<Event>> wrapped =
              requireNonNull(
                  wrapper.apply(downstream), () -> "wrapper '" + name + "' returned null");
          return batch -> {
            acceptBatch(name, wrapped, batch);
            return DONE;
          };
        });
  }

  /**
   * The pipeline as one batch consumer, the type {@link io.cursus.api.bus.EventBus#to} takes. It
   * returns when every stage is done, waiting for {@linkplain #thenAsync asynchronous} ones.
   */
  public Consumer<List<Event>> build() {
    Step chain = chain();
    return batch -> {
      requireNonNull(batch, "batch must not be null");
      if (!batch.isEmpty()) {
        await(chain.run(batch));
      }
    };
  }

  /**
   * The pipeline as an asynchronous channel, the type {@link io.cursus.api.bus.EventBus#toAsync}
   * takes: it runs the stages up to the first {@linkplain #thenAsync asynchronous} one on the
   * caller's thread and returns a future completed when the last stage is done.
   *
   * <p>Where a failure goes: a stage that refuses the batch or fails on a programming error (any
   * failure that is not a {@link CursusException}, such as the validate stage's {@link
   * IllegalArgumentException}) throws its {@link PipelineException} at the call, so the mistake
   * shows where it was made and nothing of the batch went on. A failure of the outside world (a
   * {@link CursusException}: the idempotency store or Kafka down, an event Kafka refused) fails the
   * future with a {@link PipelineException} naming the stage, whose {@link
   * PipelineException#isTransient()} says whether a retry can help. A future that completed
   * normally means every stage is done (for a Kafka sink: every event acknowledged).
   */
  public Function<List<Event>, CompletableFuture<Void>> buildAsync() {
    Step chain = chain();
    return batch -> {
      requireNonNull(batch, "batch must not be null");
      if (batch.isEmpty()) {
        return CompletableFuture.completedFuture(null);
      }
      CompletableFuture<Void> done;
      try {
        done = chain.run(batch);
      } catch (PipelineException e) {
        if (e.getCause() instanceof CursusException) {
          return CompletableFuture.failedFuture(e);
        }
        throw e;
      }
      return done == DONE ? CompletableFuture.completedFuture(null) : done;
    };
  }

  /** The pipeline as a per-event consumer: each event is a batch of one. */
  public Consumer<Event> buildForEach() {
    Consumer<List<Event>> batches = build();
    return event -> batches.accept(List.of(requireNonNull(event, "event must not be null")));
  }

  /** The stage names, top to bottom. */
  public List<String> stageNames() {
    return links.stream().map(Link::name).toList();
  }

  @Override
  public String toString() {
    return "Pipeline" + stageNames();
  }

  private Step chain() {
    Step chain = batch -> DONE;
    for (int i = links.size() - 1; i >= 0; i--) {
      chain = links.get(i).around.apply(chain);
    }
    return chain;
  }

  private static boolean isDoneWell(CompletableFuture<?> future) {
    return future.isDone() && !future.isCompletedExceptionally();
  }

  /** Waits for {@code done}; throws what it failed with as it was thrown. */
  private static void await(CompletableFuture<Void> done) {
    if (done == DONE) {
      return;
    }
    try {
      done.join();
    } catch (CompletionException e) {
      if (root(e) instanceof Error error) {
        throw error;
      }
      throw unwrap(e);
    }
  }

  private static Throwable root(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** What a future failed with, as the stage threw it. */
  private static RuntimeException unwrap(Throwable failure) {
    Throwable cause = root(failure);
    if (cause instanceof RuntimeException e) {
      return e;
    }
    return new CompletionException("an asynchronous stage failed: " + cause, cause);
  }

  private static PipelineException failureOf(String name, List<Event> batch, Throwable failure) {
    RuntimeException cause = unwrap(failure);
    return cause instanceof PipelineException e
        ? e
        : new PipelineException(name, batch.get(0), batch.size(), cause);
  }

  private static void acceptBatch(
      String name, Consumer<? super List<Event>> stage, List<Event> batch) {
    try {
      stage.accept(batch);
    } catch (PipelineException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new PipelineException(name, batch.get(0), batch.size(), e);
    }
  }

  private Pipeline add(String name, UnaryOperator<Step> around) {
    requireNonNull(name, "stage name must not be null");
    if (name.isBlank()) {
      throw new IllegalArgumentException("stage name must not be blank");
    }
    if (stageNames().contains(name)) {
      throw new IllegalArgumentException(
          "stage name '" + name + "' is already used in " + stageNames());
    }
    List<Link> more = new ArrayList<>(links);
    more.add(new Link(name, around));
    return new Pipeline(more);
  }

  /**
   * The rest of a pipeline from one stage on: runs on the caller's thread up to the first
   * asynchronous stage, and returns {@link #DONE} if every stage finished there, or a future of the
   * rest. A failure on the caller's thread is thrown.
   */
  private interface Step {
    CompletableFuture<Void> run(List<Event> batch);
  }

  private record Link(String name, UnaryOperator<Step> around) {}
}
