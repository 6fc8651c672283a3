package io.cursus.middleware;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.CheckReturnValue;
import io.cursus.api.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
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
 */
@CheckReturnValue
public final class Pipeline {

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
              if (!kept.isEmpty()) {
                next.accept(List.copyOf(kept));
              }
            });
  }

  /**
   * Passes on only the events {@code filter} sees for the first time; if a later stage fails, the
   * identities of the batch's passed events are {@linkplain IdempotencyFilter#forget forgotten}, so
   * the caller's retry of the same batch passes again instead of being dropped as a duplicate.
   */
  public Pipeline deduplicate(String name, IdempotencyFilter filter) {
    requireNonNull(filter, "filter must not be null");
    return add(
        name,
        next ->
            batch -> {
              List<Event> passed = new ArrayList<>(batch.size());
              for (Event event : batch) {
                try {
                  if (filter.test(event)) {
                    passed.add(event);
                  }
                } catch (RuntimeException e) {
                  forgetQuietly(filter, passed, e);
                  throw new PipelineException(name, event, 1, e);
                }
              }
              if (passed.isEmpty()) {
                return;
              }
              try {
                next.accept(List.copyOf(passed));
              } catch (RuntimeException e) {
                forgetQuietly(filter, passed, e);
                throw e;
              }
            });
  }

  private static void forgetQuietly(
      IdempotencyFilter filter, List<Event> passed, RuntimeException failure) {
    for (Event event : passed) {
      try {
        filter.forget(event);
      } catch (RuntimeException e) {
        failure.addSuppressed(e);
      }
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
              next.accept(List.copyOf(mapped));
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
              next.accept(batch);
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
              next.accept(batch);
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
              next.accept(batch);
            });
  }

  /**
   * Wraps the rest of the pipeline (every stage added after this one) with {@code wrapper}: a
   * retry, a timer, a lock, a log line. The wrapper receives the downstream consumer and returns
   * the consumer to call instead. What the wrapper throws itself is reported as this stage's
   * failure; failures of the stages it wraps pass through unchanged.
   */
  public Pipeline wrap(String name, UnaryOperator<Consumer<List<Event>>> wrapper) {
    requireNonNull(wrapper, "wrapper must not be null");
    return add(
        name,
        next -> {
          Consumer<List<Event>> wrapped =
              requireNonNull(wrapper.apply(next), () -> "wrapper '" + name + "' returned null");
          return batch -> acceptBatch(name, wrapped, batch);
        });
  }

  /** The pipeline as one batch consumer, the type {@link io.cursus.api.bus.EventBus#to} takes. */
  public Consumer<List<Event>> build() {
    Consumer<List<Event>> chain = batch -> {};
    for (int i = links.size() - 1; i >= 0; i--) {
      chain = links.get(i).around.apply(chain);
    }
    Consumer<List<Event>> built = chain;
    return batch -> {
      requireNonNull(batch, "batch must not be null");
      if (!batch.isEmpty()) {
        built.accept(batch);
      }
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

  private Pipeline add(String name, UnaryOperator<Consumer<List<Event>>> around) {
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

  private record Link(String name, UnaryOperator<Consumer<List<Event>>> around) {}
}
