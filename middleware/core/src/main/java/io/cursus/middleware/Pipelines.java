package io.cursus.middleware;

import static java.util.Objects.requireNonNull;

import io.cursus.api.Event;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.store.EventIndexer;
import io.cursus.api.store.EventLog;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The assembled pipelines of the design. Each is returned as a {@link Pipeline}, so a deployment
 * can add stages before calling {@link Pipeline#build()}.
 *
 * <pre>
 * producer:       validate ─▶ idempotency ─▶ kafka (serialise, send, wait for acks)
 * asyncProducer:  validate ─▶ idempotency ─▶ kafka (serialise, send; a future of the acks)
 * embedded:  validate ─▶ idempotency ─▶ persist ─▶ index ─▶ notify
 * </pre>
 *
 * The Kafka buffer is in the artifact {@code cursus-kafka}: its producer side is {@code
 * io.cursus.middleware.kafka.KafkaEventSink}, its consumer side (consume, deserialise, persist,
 * index, notify, commit) {@code io.cursus.middleware.kafka.KafkaEventConsumer}. This class needs
 * neither: the producer pipeline takes any batch consumer as its last stage.
 */
public final class Pipelines {

  private Pipelines() {}

  /**
   * The producer side: validate against {@code registry}, drop repeats with {@code idempotency},
   * write to Kafka with {@code sink} (a {@code KafkaEventSink} of {@code cursus-kafka}, or a
   * wrapper of one). Give {@code .build()} of it to {@code EventBus.to(...)}.
   */
  public static Pipeline producer(
      EventTypeRegistry registry,
      IdempotencyFilter idempotency,
      Consumer<? super List<Event>> sink) {
    requireNonNull(sink, "sink must not be null");
    return Pipeline.start()
        .filter("validate", Stages.validator(registry))
        .deduplicate("idempotency", idempotency)
        .then("kafka", sink);
  }

  /**
   * The producer side for asynchronous emits: as {@link #producer}, but its last stage starts the
   * write and returns a future of it ({@code sink::send} of a {@code KafkaEventSink}, completed
   * when Kafka acknowledged the batch). Give {@code .buildAsync()} of it to {@code
   * EventBus.toAsync(...)}; the validate and idempotency stages run on the emitting thread, so an
   * invalid event is refused at the call.
   */
  public static Pipeline asyncProducer(
      EventTypeRegistry registry,
      IdempotencyFilter idempotency,
      Function<? super List<Event>, ? extends CompletionStage<?>> sink) {
    requireNonNull(sink, "sink must not be null");
    return Pipeline.start()
        .filter("validate", Stages.validator(registry))
        .deduplicate("idempotency", idempotency)
        .thenAsync("kafka", sink);
  }

  /**
   * The embedded default, all in process: validate against {@code registry}, drop repeats with
   * {@code idempotency}, append to {@code log}, update {@code indexer}, notify {@code handlers}.
   */
  public static Pipeline embedded(
      EventTypeRegistry registry,
      IdempotencyFilter idempotency,
      EventLog log,
      EventIndexer indexer,
      List<? extends Consumer<? super Event>> handlers) {
    requireNonNull(log, "log must not be null");
    requireNonNull(indexer, "indexer must not be null");
    return Pipeline.start()
        .filter("validate", Stages.validator(registry))
        .deduplicate("idempotency", idempotency)
        .then("persist", log::append)
        .then("index", indexer::index)
        .then("notify", Stages.notifying(handlers));
  }
}
