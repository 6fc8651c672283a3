package io.cursus.middleware.kafka;

import static java.util.Objects.requireNonNull;

import io.cursus.api.CursusException;
import io.cursus.api.Event;
import io.cursus.api.NonTransientCursusException;
import io.cursus.api.TransientCursusException;
import io.cursus.json.EventJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The producer side of the Kafka buffer: writes each batch of events to a topic as {@link
 * EventJson} envelopes keyed by aggregate ({@code type/id}), so one aggregate's events stay in
 * order on one partition, and returns only when Kafka has acknowledged every event of the batch.
 *
 * <pre>{@code
 * KafkaEventSink sink =
 *     KafkaEventSink.builder(kafka.bootstrapServers(), topic, EventJson.using(registry))
 *         .linger(Duration.ofMillis(5))
 *         .compression("lz4")
 *         .ackTimeout(Duration.ofSeconds(30))
 *         .build();
 * }</pre>
 *
 * <p>The producer runs with {@code acks=all} and idempotence on. Backpressure: when {@code
 * buffer.memory} is full, a send waits up to {@code max.block.ms}, then counts as not acknowledged.
 * If any event of a batch is not acknowledged within {@code ackTimeout}, or Kafka refuses one,
 * {@link #accept} throws a {@link CursusException} (transient if Kafka called the error retriable
 * or the wait timed out) naming how many were not acknowledged, the first of them and what happened
 * to it: no acknowledgement within the ack timeout, the producer giving up, or a refusal such as an
 * event over Kafka's {@code max.request.size}, named with the limit. Nothing is dropped silently.
 * The acknowledged part of such a batch is in Kafka, so resending the whole batch may write some
 * events twice, which the identity-keyed store absorbs.
 *
 * <p>{@link #accept} does not make its caller wait for the linger time: once the batch is sent it
 * flushes the producer, so what is buffered goes out at once. {@link #send} is the asynchronous
 * form: it sends the batch on the caller's thread and returns a future completed when Kafka has
 * acknowledged every event, without flushing, so that the sends of many callers in flight together
 * share requests as the linger time allows.
 *
 * <p>Extra {@linkplain Builder#property properties} pass through to the Kafka producer (SASL, TLS,
 * client id), except that acks, idempotence and the serialisers are fixed. Thread-safe; {@link
 * #close()} closes the producer.
 */
public final class KafkaEventSink implements Consumer<List<Event>>, AutoCloseable {

  private final String topic;
  private final EventJson json;
  private final Duration ackTimeout;
  private final KafkaProducer<String, byte[]> producer;

  private KafkaEventSink(Builder builder) {
    this.topic = builder.topic;
    this.json = builder.json;
    this.ackTimeout = builder.effectiveAckTimeout();
    this.producer =
        new KafkaProducer<>(builder.config(), new StringSerializer(), new ByteArraySerializer());
  }

  /** A builder for a sink writing to {@code topic} of the cluster at {@code bootstrapServers}. */
  public static Builder builder(String bootstrapServers, String topic, EventJson json) {
    return new Builder(bootstrapServers, topic, json);
  }

  /** The record key of {@code event}: its aggregate, {@code type/id}. */
  public static String keyOf(Event event) {
    return event.aggregateId().type() + "/" + event.aggregateId().id();
  }

  public String topic() {
    return topic;
  }

  /**
   * Sends {@code batch}, flushes the producer (so the caller does not wait for the linger time) and
   * waits until every event is acknowledged.
   *
   * @throws IllegalArgumentException if an event cannot be serialised (unknown type, parameters not
   *     matching the schema); nothing of the batch is sent then
   * @throws CursusException if an event is not acknowledged within the ack timeout
   */
  @Override
  public void accept(List<Event> batch) {
    List<ProducerRecord<String, byte[]>> records = records(batch);
    List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
    Throwable[] sendFailures = new Throwable[records.size()];
    for (int i = 0; i < records.size(); i++) {
      try {
        Future<RecordMetadata> ack = producer.send(records.get(i));
        acks.add(ack);
        Throwable blocked = blockedFailure(ack);
        if (blocked != null) { // the rest would wait as long again, each: fail them now
          for (int j = i + 1; j < records.size(); j++) {
            acks.add(null);
            sendFailures[j] = blocked;
          }
          break;
        }
      } catch (RuntimeException e) { // buffer full past max.block.ms, producer closed, ...
        acks.add(null);
        sendFailures[i] = e;
      }
    }
    long deadline = System.nanoTime() + ackTimeout.toNanos();
    flush(acks);
    int failed = 0;
    int firstFailed = -1;
    Throwable firstFailure = null;
    for (int i = 0; i < acks.size(); i++) {
      Throwable failure = sendFailures[i];
      if (failure == null) {
        try {
          acks.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
          failure = e.getCause() != null ? e.getCause() : e;
        } catch (TimeoutException e) {
          failure = e;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          failure = e;
        }
      }
      if (failure != null) {
        failed++;
        if (firstFailed < 0) {
          firstFailed = i;
          firstFailure = failure;
        }
      }
    }
    if (failed > 0) {
      throw notAcknowledged(batch, failed, firstFailed, firstFailure);
    }
  }

  /**
   * Flushes the producer unless every send already failed or was acknowledged. A flush sends what
   * is buffered at once (of every caller, not only this one) and returns when it is acknowledged or
   * has failed, so it never lasts longer than the delivery timeout.
   */
  private void flush(List<Future<RecordMetadata>> acks) {
    for (Future<RecordMetadata> ack : acks) {
      if (ack != null && !ack.isDone()) {
        try {
          producer.flush();
        } catch (org.apache.kafka.common.errors.InterruptException e) {
          Thread.currentThread().interrupt(); // the waits below then report the interruption
        }
        return;
      }
    }
  }

  /**
   * Sends {@code batch} on the caller's thread, in order, and returns at once with a future
   * completed when Kafka has acknowledged every event. Events sent from one thread keep their order
   * per aggregate (one partition per aggregate, an idempotent producer). The future is completed on
   * the producer's I/O thread: do no blocking work in callbacks chained to it without an executor
   * (the {@code ...Async} methods). It completes within the delivery timeout, after which the
   * producer gives its verdict on every record; if any event is not acknowledged, it fails with the
   * {@link CursusException} {@link #accept} throws, naming how many were not acknowledged, the
   * first of them and why (transient if Kafka called the error retriable or timed out). A send that
   * cannot even start (the buffer full past {@code max.block.ms}, the broker unreachable for
   * metadata within it, the producer closed) fails the future too, after waiting up to {@code
   * max.block.ms} on the caller's thread. It does not flush: a caller that needs the
   * acknowledgement before the linger time is up should use {@link #accept}.
   *
   * @throws IllegalArgumentException if an event cannot be serialised (unknown type, parameters not
   *     matching the schema); nothing of the batch is sent then
   */
  public CompletableFuture<Void> send(List<Event> batch) {
    List<ProducerRecord<String, byte[]>> records = records(batch);
    if (records.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    Acknowledgements acks = new Acknowledgements(batch);
    for (int i = 0; i < records.size(); i++) {
      int index = i;
      try {
        Future<RecordMetadata> ack =
            producer.send(records.get(i), (metadata, failure) -> acks.settle(index, failure));
        Throwable blocked = blockedFailure(ack);
        if (blocked != null) { // the rest would wait as long again, each: fail them now
          for (int j = i + 1; j < records.size(); j++) {
            acks.settle(j, blocked);
          }
          break;
        }
      } catch (RuntimeException e) { // buffer full past max.block.ms, producer closed, ...
        acks.settle(index, e);
      }
    }
    return acks.done;
  }

  /**
   * The failure of a send that gave up at once after waiting {@code max.block.ms} for metadata or
   * buffer space (the producer reports it through the future, not by throwing), or null.
   */
  private static Throwable blockedFailure(Future<RecordMetadata> ack) {
    if (!ack.isDone()) {
      return null;
    }
    try {
      ack.get();
      return null;
    } catch (ExecutionException e) {
      return e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException t ? t : null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private List<ProducerRecord<String, byte[]>> records(List<Event> batch) {
    requireNonNull(batch, "batch must not be null");
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>(batch.size());
    for (Event event : batch) {
      requireNonNull(event, "an event of the batch is null");
      records.add(new ProducerRecord<>(topic, keyOf(event), json.write(event)));
    }
    return records;
  }

  private CursusException notAcknowledged(
      List<Event> batch, int failed, int firstFailed, Throwable firstFailure) {
    String message =
        "Kafka did not acknowledge "
            + failed
            + " of "
            + batch.size()
            + " events sent to topic "
            + topic
            + "; the first is "
            + batch.get(firstFailed)
            + ": "
            + why(firstFailure);
    if (isRetriable(firstFailure)) {
      return new TransientCursusException(message + " (retrying may help)", firstFailure);
    }
    return new NonTransientCursusException(message + " (retrying will not help)", firstFailure);
  }

  /** The acknowledgements of one batch sent with {@link #send}, as they arrive. */
  private final class Acknowledgements {
    final CompletableFuture<Void> done = new CompletableFuture<>();
    private final List<Event> batch;
    private final AtomicInteger pending;
    private int failed;
    private int firstFailed = Integer.MAX_VALUE;
    private Throwable firstFailure;

    Acknowledgements(List<Event> batch) {
      this.batch = batch;
      this.pending = new AtomicInteger(batch.size());
    }

    void settle(int index, Throwable failure) {
      if (failure != null) {
        synchronized (this) {
          failed++;
          if (index < firstFailed) {
            firstFailed = index;
            firstFailure = failure;
          }
        }
      }
      if (pending.decrementAndGet() == 0) {
        CursusException refused;
        synchronized (this) {
          refused = failed == 0 ? null : notAcknowledged(batch, failed, firstFailed, firstFailure);
        }
        if (refused == null) {
          done.complete(null);
        } else {
          done.completeExceptionally(refused);
        }
      }
    }
  }

  /** What happened to an event Kafka did not acknowledge, and which limit or timeout it met. */
  private String why(Throwable failure) {
    return why(failure, ackTimeout);
  }

  /** As {@link #why(Throwable)}, with the sink's {@code ackTimeout}. */
  static String why(Throwable failure, Duration ackTimeout) {
    Optional<String> refused = KafkaRefusals.describe(failure);
    if (refused.isPresent()) {
      return "Kafka refused the producer's credentials or rights (" + refused.get() + ")";
    }
    if (failure instanceof RecordTooLargeException) {
      return "Kafka refused it as too large, so it was never stored: "
          + failure.getMessage()
          + " Kafka's limits are the producer's max.request.size (1 MiB unless set with"
          + " .property(\"max.request.size\", ...)), the broker's message.max.bytes and the"
          + " topic's max.message.bytes; Cursus refuses an event over"
          + " EventTypeRegistry.maxEventBytes() before it reaches Kafka, so raise that limit only"
          + " together with these";
    }
    if (failure instanceof TimeoutException) {
      return "no acknowledgement within the ack timeout of " + ackTimeout;
    }
    if (failure instanceof org.apache.kafka.common.errors.TimeoutException) {
      return "the producer gave up waiting for the broker (" + failure.getMessage() + ")";
    }
    if (failure instanceof InterruptedException) {
      return "interrupted while waiting for the acknowledgement";
    }
    return failure.toString();
  }

  private static boolean isRetriable(Throwable failure) {
    return failure instanceof RetriableException
        || failure instanceof TimeoutException
        || failure instanceof InterruptedException
        || failure instanceof org.apache.kafka.common.errors.TimeoutException;
  }

  /** Flushes what is buffered and closes the producer, waiting at most the ack timeout. */
  @Override
  public void close() {
    producer.close(ackTimeout);
  }

  @Override
  public String toString() {
    return "Kafka sink to " + topic;
  }

  /** Options of a {@link KafkaEventSink}. Not thread-safe. */
  public static final class Builder {
    private final String bootstrapServers;
    private final String topic;
    private final EventJson json;
    private final Map<String, Object> extra = new HashMap<>();
    private Duration linger = Duration.ofMillis(5);
    private int batchSize = 64 * 1024;
    private String compression = "none";
    private long bufferMemory = 32L * 1024 * 1024;
    private Duration maxBlock = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Duration deliveryTimeout = Duration.ofSeconds(30);
    private Duration ackTimeout;

    private Builder(String bootstrapServers, String topic, EventJson json) {
      this.bootstrapServers = requireText(bootstrapServers, "bootstrap servers");
      this.topic = requireText(topic, "topic");
      this.json = requireNonNull(json, "json must not be null");
    }

    /** How long the producer waits to fill a batch ({@code linger.ms}). Default 5 ms. */
    public Builder linger(Duration linger) {
      this.linger = nonNegative(linger, "linger");
      return this;
    }

    /** The most bytes per partition batch ({@code batch.size}). Default 64 KiB. */
    public Builder batchSize(int bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("batch size must not be negative, was " + bytes);
      }
      this.batchSize = bytes;
      return this;
    }

    /** {@code none}, {@code gzip}, {@code snappy}, {@code lz4} or {@code zstd}. Default none. */
    public Builder compression(String type) {
      this.compression = requireText(type, "compression type");
      return this;
    }

    /**
     * The memory for records not yet sent ({@code buffer.memory}); when it is full, sends wait
     * (backpressure) up to {@link #maxBlock}. Default 32 MiB.
     */
    public Builder bufferMemory(long bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("buffer memory must be positive, was " + bytes);
      }
      this.bufferMemory = bytes;
      return this;
    }

    /**
     * How long a send may wait for buffer space or metadata ({@code max.block.ms}). Default 10 s.
     */
    public Builder maxBlock(Duration maxBlock) {
      this.maxBlock = nonNegative(maxBlock, "max block");
      return this;
    }

    /**
     * How long the producer waits for one request's response ({@code request.timeout.ms}). Default
     * 10 s.
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout, "request timeout");
      return this;
    }

    /**
     * How long the producer keeps trying to deliver a record ({@code delivery.timeout.ms}); at
     * least linger plus request timeout. Default 30 s.
     */
    public Builder deliveryTimeout(Duration timeout) {
      this.deliveryTimeout = positive(timeout, "delivery timeout");
      return this;
    }

    /**
     * How long {@link KafkaEventSink#accept} waits for a batch's acknowledgements. Default: max
     * block plus delivery timeout (40 s with their defaults), so the producer gives its own verdict
     * first. {@code accept} flushes the producer before it waits, and a flush returns only when
     * what it sent is acknowledged or has expired, so an ack timeout shorter than the delivery
     * timeout can be overrun by up to the delivery timeout when the broker does not answer. {@link
     * KafkaEventSink#send} does not use it: its future completes within the delivery timeout.
     */
    public Builder ackTimeout(Duration timeout) {
      this.ackTimeout = positive(timeout, "ack timeout");
      return this;
    }

    /** A producer property passed through unchanged (SASL, TLS, client id, ...). */
    public Builder property(String key, Object value) {
      extra.put(requireText(key, "property key"), requireNonNull(value, "value of " + key));
      return this;
    }

    /** Producer properties passed through unchanged. */
    public Builder properties(Map<String, ?> properties) {
      properties.forEach(this::property);
      return this;
    }

    public KafkaEventSink build() {
      if (deliveryTimeout.compareTo(linger.plus(requestTimeout)) < 0) {
        throw new IllegalArgumentException(
            "delivery timeout "
                + deliveryTimeout
                + " must be at least linger "
                + linger
                + " plus request timeout "
                + requestTimeout);
      }
      return new KafkaEventSink(this);
    }

    /** The ack timeout set, or its default: max block plus delivery timeout. */
    Duration effectiveAckTimeout() {
      return ackTimeout != null ? ackTimeout : maxBlock.plus(deliveryTimeout);
    }

    Properties config() {
      Properties config = new Properties();
      config.put(ProducerConfig.LINGER_MS_CONFIG, (int) linger.toMillis());
      config.put(ProducerConfig.BATCH_SIZE_CONFIG, batchSize);
      config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
      config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, bufferMemory);
      config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, maxBlock.toMillis());
      config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) requestTimeout.toMillis());
      config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) deliveryTimeout.toMillis());
      config.putAll(extra);
      // not negotiable: these make "acknowledged" mean durable and in order
      config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
      config.put(ProducerConfig.ACKS_CONFIG, "all");
      config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      return config;
    }
  }

  static String requireText(String value, String what) {
    requireNonNull(value, what + " must not be null");
    if (value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
    return value;
  }

  static Duration positive(Duration value, String what) {
    requireNonNull(value, what + " must not be null");
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, was " + value);
    }
    return value;
  }

  static Duration nonNegative(Duration value, String what) {
    requireNonNull(value, what + " must not be null");
    if (value.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative, was " + value);
    }
    return value;
  }
}
