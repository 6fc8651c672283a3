package io.cursus.middleware.kafka;

import static io.cursus.middleware.kafka.KafkaEventSink.nonNegative;
import static io.cursus.middleware.kafka.KafkaEventSink.positive;
import static io.cursus.middleware.kafka.KafkaEventSink.requireText;
import static java.util.Objects.requireNonNull;

import io.cursus.api.CursusException;
import io.cursus.api.Event;
import io.cursus.api.NonTransientCursusException;
import io.cursus.api.TransientCursusException;
import io.cursus.api.mapping.EventMapper;
import io.cursus.api.store.EventIndexer;
import io.cursus.api.store.EventLog;
import io.cursus.api.store.UnreadableEventException;
import io.cursus.json.EventJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer side of the Kafka buffer: a consumer-group loop that reads {@link EventJson}
 * envelopes, and per partition of each poll persists the events ({@link EventLog#append}),
 * maintains the index ({@link EventIndexer#index}), notifies the handlers, and only then commits
 * that partition's offsets.
 *
 * <pre>{@code
 * KafkaEventConsumer consumer =
 *     KafkaEventConsumer.builder(kafka.bootstrapServers(), topic, "parcel-store", json, store)
 *         .indexer(index)
 *         .handler(ParcelEvents.class, projection)
 *         .backoff(Duration.ofMillis(100), Duration.ofSeconds(5))
 *         .build()
 *         .start();
 * ...
 * consumer.close();
 * }</pre>
 *
 * <p>Failures:
 *
 * <ul>
 *   <li>A record that cannot be read (bad JSON, unknown event type, schema mismatch) goes to the
 *       dead-letter topic (default {@code <topic>.dlq}) with its original key and bytes and headers
 *       {@code cursus.dlq.reason}, {@code cursus.dlq.error}, {@code cursus.dlq.topic}, {@code
 *       cursus.dlq.partition} and {@code cursus.dlq.offset}; the loop waits for the dead-letter
 *       acknowledgement and goes on.
 *   <li>A transient failure (a {@link CursusException} that {@linkplain
 *       CursusException#isTransient() is transient}) of the store, index or a handler: nothing is
 *       committed; the consumer pauses its partitions, keeps polling (so it stays in the group),
 *       backs off exponentially up to the maximum and retries the same events. Never dead-lettered.
 *   <li>An event the index or a handler refuses for good (any failure that is not a transient
 *       {@code CursusException}), after the event was stored: it goes to the dead-letter topic like
 *       an unreadable record, with reason {@link #INDEX_FAILED} or {@link #HANDLER_FAILED} and the
 *       failure, naming stage and event, as {@code cursus.dlq.error}; it reaches no later stage,
 *       the other events of the batch go on, and the batch is committed. One event can therefore
 *       never stop a partition. If the index refuses a whole batch, each event is indexed alone to
 *       find the ones it refuses.
 *   <li>A failure of the store that is not transient stops the loop without committing the batch;
 *       {@link #failure()} holds it, and the {@linkplain Builder#onFailure failure listeners} are
 *       told. The events are not stored, so they are not skipped: a restarted consumer gets them
 *       again.
 * </ul>
 *
 * <p>On {@link #close()} or a rebalance, a batch that is not fully processed is not committed, so
 * it is delivered again (here or to the partition's new owner); the store's identity-keyed upsert
 * keeps one copy. Handlers may therefore see an event more than once (at least once).
 *
 * <p>The loop runs on one thread: the one {@link #start()} makes, or the caller's in {@link
 * #run()}. {@link #close()} may be called from any thread. The options are fixed at {@link
 * Builder#build()}: changing the builder afterwards does not change a built consumer.
 */
public final class KafkaEventConsumer implements Runnable, AutoCloseable {

  /** Header names on dead-letter records. */
  public static final String REASON_HEADER = "cursus.dlq.reason";

  public static final String ERROR_HEADER = "cursus.dlq.error";
  public static final String TOPIC_HEADER = "cursus.dlq.topic";
  public static final String PARTITION_HEADER = "cursus.dlq.partition";
  public static final String OFFSET_HEADER = "cursus.dlq.offset";

  /** The reason of an event that was stored but that the index refused for good. */
  public static final String INDEX_FAILED = "INDEX_FAILED";

  /** The reason of an event that was stored and indexed but that a handler refused for good. */
  public static final String HANDLER_FAILED = "HANDLER_FAILED";

  private static final Logger LOG = LoggerFactory.getLogger(KafkaEventConsumer.class);

  private final Options options;
  private final BatchProcessing processing;
  private final AtomicLong eventsProcessed = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong commits = new AtomicLong();
  private volatile boolean running = true;
  private volatile org.apache.kafka.clients.consumer.@Nullable Consumer<byte[], byte[]> consumer;
  private volatile @Nullable Throwable failure;
  private volatile boolean finished;
  private @Nullable Thread thread;

  private KafkaEventConsumer(Options options) {
    this.options = options;
    this.processing = new BatchProcessing(options.log, options.indexer, options.handlers);
  }

  /** What a {@link Builder} held at {@link Builder#build()}; never changes. */
  private record Options(
      String topic,
      String groupId,
      EventJson json,
      EventLog log,
      @Nullable EventIndexer indexer,
      List<Consumer<? super Event>> handlers,
      List<Consumer<? super Throwable>> failureListeners,
      String deadLetterTopic,
      Duration pollTimeout,
      Duration initialBackoff,
      Duration maxBackoff,
      Duration commitTimeout,
      Duration closeTimeout,
      Map<String, Object> consumerConfig,
      Map<String, Object> producerConfig,
      KafkaClients clients,
      LongSupplier nanoTime) {}

  /**
   * A builder for a loop in consumer group {@code groupId} that reads {@code topic} with {@code
   * json} and writes to {@code log}.
   */
  public static Builder builder(
      String bootstrapServers, String topic, String groupId, EventJson json, EventLog log) {
    return new Builder(bootstrapServers, topic, groupId, json, log);
  }

  /** Runs the loop on a new thread named after the topic and group; returns this. */
  public synchronized KafkaEventConsumer start() {
    if (thread != null) {
      throw new IllegalStateException("consumer of " + options.topic + " was already started");
    }
    thread = new Thread(this, "cursus-consumer-" + options.topic + "-" + options.groupId);
    thread.start();
    return this;
  }

  /**
   * Runs the loop on the calling thread until {@link #close()} or a non-transient failure. After a
   * failure, {@link #failure()} holds it and then the failure listeners are called on this thread.
   */
  @Override
  public void run() {
    Throwable failed = null;
    try (org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> kafka =
            options.clients.consumer(options.consumerConfig);
        Producer<byte[], byte[]> dlq = options.clients.producer(options.producerConfig)) {
      consumer = kafka;
      new Loop(kafka, new DeadLetterPublisher(dlq, options.deadLetterTopic, options.commitTimeout))
          .run();
    } catch (RuntimeException | Error e) {
      failed = refused(e);
      failure = failed;
      LOG.error(
          "consumer of {} in group {} stopped: {}", options.topic, options.groupId, failed, failed);
    } finally {
      consumer = null;
      finished = true;
    }
    if (failed != null) {
      tellListeners(failed);
    }
  }

  /**
   * {@code e}, or, if Kafka refused this consumer's (or its dead-letter producer's) credentials or
   * rights, a non-transient exception saying so, with {@code e} as its cause.
   */
  private Throwable refused(Throwable e) {
    if (e instanceof CursusException) {
      return e;
    }
    Optional<String> refusal = KafkaRefusals.describe(e);
    if (refusal.isEmpty()) {
      return e;
    }
    return new NonTransientCursusException(
        "Kafka refused the credentials of the consumer of "
            + options.topic
            + " in group "
            + options.groupId
            + " ("
            + refusal.get()
            + "); it stopped without reading, storing or committing anything more",
        e);
  }

  private void tellListeners(Throwable failed) {
    for (Consumer<? super Throwable> listener : options.failureListeners) {
      try {
        listener.accept(failed);
      } catch (RuntimeException e) {
        LOG.error("failure listener of the consumer of {} failed: {}", options.topic, e, e);
      }
    }
  }

  /**
   * Stops the loop: the batch in progress is finished or abandoned without being committed, the
   * Kafka consumer leaves the group, and, if {@link #start()} made the thread, waits for it.
   */
  @Override
  public void close() {
    running = false;
    org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> current = consumer;
    if (current != null) {
      current.wakeup();
    }
    Thread loop;
    synchronized (this) {
      loop = thread;
    }
    if (loop != null && loop != Thread.currentThread()) {
      try {
        loop.join(options.closeTimeout.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (loop.isAlive()) {
        LOG.warn("consumer of {} did not stop within {}", options.topic, options.closeTimeout);
      }
    }
  }

  /** The failure that stopped the loop, if one did. */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  /** True until the loop has ended (closed or failed). */
  public boolean isRunning() {
    return !finished;
  }

  /** Events persisted, indexed and handled so far (counting redeliveries). */
  public long eventsProcessed() {
    return eventsProcessed.get();
  }

  /**
   * Records sent to the dead-letter topic so far: unreadable ones, and events the index or a
   * handler refused.
   */
  public long deadLettered() {
    return deadLettered.get();
  }

  /** Retries after transient failures so far. */
  public long retries() {
    return retries.get();
  }

  /** Offset commits so far. */
  public long commits() {
    return commits.get();
  }

  @Override
  public String toString() {
    return "Kafka consumer of " + options.topic + " in group " + options.groupId;
  }

  /** One partition's records of one poll, and how far they got. */
  private static final class Batch {
    final TopicPartition partition;
    final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    final List<Event> events = new ArrayList<>();
    final List<ConsumerRecord<byte[], byte[]>> eventRecords = new ArrayList<>(); // per event
    final Set<Integer> deadLettered = new HashSet<>(); // positions in events
    int decoded;
    boolean processed;

    Batch(TopicPartition partition) {
      this.partition = partition;
    }

    long nextOffset() {
      return records.get(records.size() - 1).offset() + 1;
    }
  }

  private final class Loop implements ConsumerRebalanceListener {
    private final org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> kafka;
    private final DeadLetterPublisher dlq;
    private final Map<TopicPartition, Batch> pending = new LinkedHashMap<>();
    private final BackOff backoff =
        new BackOff(options.initialBackoff, options.maxBackoff, options.nanoTime);

    Loop(
        org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> kafka, DeadLetterPublisher dlq) {
      this.kafka = kafka;
      this.dlq = dlq;
    }

    void run() {
      kafka.subscribe(List.of(options.topic), this);
      try {
        while (running) {
          Duration timeout =
              pending.isEmpty() ? options.pollTimeout : backoff.remaining(options.pollTimeout);
          ConsumerRecords<byte[], byte[]> records = kafka.poll(timeout);
          for (TopicPartition partition : records.partitions()) {
            Batch batch = pending.computeIfAbsent(partition, Batch::new);
            batch.records.addAll(records.records(partition));
            batch.processed = false; // more events: process (idempotently) again
          }
          if (!pending.isEmpty() && backoff.due()) {
            drain();
          }
        }
      } catch (WakeupException e) {
        if (running) {
          throw e;
        }
      }
      LOG.info(
          "consumer of {} in group {} closing; {} uncommitted batches will be delivered again",
          options.topic,
          options.groupId,
          pending.size());
    }

    private void drain() {
      Iterator<Batch> batches = pending.values().iterator();
      while (batches.hasNext() && running) {
        Batch batch = batches.next();
        try {
          process(batch);
        } catch (CursusException e) {
          if (!e.isTransient()) {
            throw e;
          }
          Duration delay = backoff.failed();
          retries.incrementAndGet();
          kafka.pause(kafka.assignment());
          LOG.warn(
              "consumer of {}: transient failure on {}, retrying in {} without committing: {}",
              options.topic,
              batch.partition,
              delay,
              e.getMessage());
          return;
        }
        batches.remove();
      }
      if (pending.isEmpty()) {
        backoff.reset();
        kafka.resume(kafka.paused());
      }
    }

    private void process(Batch batch) {
      while (batch.decoded < batch.records.size()) {
        ConsumerRecord<byte[], byte[]> record = batch.records.get(batch.decoded);
        try {
          // through the registry's upcasters: an older producer's event may become several, or none
          for (Event event : options.json.readAll(record.value())) {
            batch.events.add(event);
            batch.eventRecords.add(record);
          }
        } catch (UnreadableEventException e) {
          deadLetter(record, e.reason().name(), e.getMessage());
        } catch (RuntimeException e) {
          deadLetter(record, UnreadableEventException.Reason.MALFORMED.name(), e.toString());
        }
        batch.decoded++;
      }
      if (!batch.processed) {
        if (batch.events.size() > batch.deadLettered.size()) {
          for (BatchProcessing.Refusal refused :
              processing.process(batch.events, batch.deadLettered)) {
            deadLetter(
                batch.eventRecords.get(refused.position()),
                refused.reason(),
                refused.failure().getMessage());
            batch.deadLettered.add(refused.position()); // not again if the batch is retried
          }
          eventsProcessed.addAndGet(batch.events.size() - batch.deadLettered.size());
        }
        batch.processed = true;
      }
      commit(batch);
    }

    private void commit(Batch batch) {
      try {
        kafka.commitSync(
            Map.of(batch.partition, new OffsetAndMetadata(batch.nextOffset())),
            options.commitTimeout);
        commits.incrementAndGet();
      } catch (CommitFailedException | RebalanceInProgressException e) {
        // the partition went to another member; it gets the records again and the store upserts
        LOG.info(
            "consumer of {}: commit of {} lost to a rebalance", options.topic, batch.partition);
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        throw new TransientCursusException(
            "commit of " + batch.partition + " at " + batch.nextOffset() + " timed out", e);
      }
    }

    private void deadLetter(
        ConsumerRecord<byte[], byte[]> record, String reason, @Nullable String error) {
      dlq.publish(record, reason, error);
      deadLettered.incrementAndGet();
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      for (TopicPartition partition : partitions) {
        Batch batch = pending.remove(partition);
        if (batch != null && batch.processed) {
          try {
            commit(batch); // done but not yet committed: save the new owner the work
          } catch (RuntimeException e) {
            LOG.info("consumer of {}: cannot commit {} on revocation", options.topic, partition);
          }
        }
      }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (!pending.isEmpty()) {
        kafka.pause(partitions); // still backing off
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      partitions.forEach(pending::remove); // not ours any more: no commit
    }
  }

  /**
   * Options of a {@link KafkaEventConsumer}. Not thread-safe. {@link #build()} copies them: a
   * consumer does not see later changes, and one builder may build several consumers.
   */
  public static final class Builder {
    private final String bootstrapServers;
    private final String topic;
    private final String groupId;
    private final EventJson json;
    private final EventLog log;
    private final List<Consumer<? super Event>> handlers = new ArrayList<>();
    private final List<Consumer<? super Throwable>> failureListeners = new ArrayList<>();
    private final Map<String, Object> extra = new HashMap<>();
    private @Nullable EventIndexer indexer;
    private KafkaClients clients = KafkaClients.REAL;
    private LongSupplier nanoTime = System::nanoTime;
    private String deadLetterTopic;
    private int maxPollRecords = 500;
    private Duration pollTimeout = Duration.ofMillis(500);
    private Duration initialBackoff = Duration.ofMillis(100);
    private Duration maxBackoff = Duration.ofSeconds(5);
    private Duration commitTimeout = Duration.ofSeconds(30);
    private Duration closeTimeout = Duration.ofSeconds(30);

    private Builder(
        String bootstrapServers, String topic, String groupId, EventJson json, EventLog log) {
      this.bootstrapServers = requireText(bootstrapServers, "bootstrap servers");
      this.topic = requireText(topic, "topic");
      this.groupId = requireText(groupId, "group id");
      this.json = requireNonNull(json, "json must not be null");
      this.log = requireNonNull(log, "log must not be null");
      this.deadLetterTopic = topic + ".dlq";
    }

    /** Keeps this index up to date after each persisted batch. */
    public Builder indexer(EventIndexer indexer) {
      this.indexer = requireNonNull(indexer, "indexer must not be null");
      return this;
    }

    /** Notifies {@code handler} of every persisted and indexed event, in partition order. */
    public Builder handler(Consumer<? super Event> handler) {
      handlers.add(requireNonNull(handler, "handler must not be null"));
      return this;
    }

    /** Notifies {@code handler}'s methods of the events {@code eventInterface} declares. */
    public <T> Builder handler(Class<T> eventInterface, T handler) {
      return handler(EventMapper.handler(eventInterface, handler));
    }

    /**
     * Where unreadable records, and events the index or a handler refused, go. Default {@code
     * <topic>.dlq}.
     */
    public Builder deadLetterTopic(String topic) {
      this.deadLetterTopic = requireText(topic, "dead-letter topic");
      return this;
    }

    /** The most records one poll returns ({@code max.poll.records}). Default 500. */
    public Builder maxPollRecords(int records) {
      if (records < 1) {
        throw new IllegalArgumentException("max poll records must be at least 1, was " + records);
      }
      this.maxPollRecords = records;
      return this;
    }

    /** How long one poll waits for records. Default 500 ms; also bounds the reaction to close. */
    public Builder pollTimeout(Duration timeout) {
      this.pollTimeout = nonNegative(timeout, "poll timeout");
      return this;
    }

    /** Backoff after a transient failure: first {@code initial}, doubling up to {@code max}. */
    public Builder backoff(Duration initial, Duration max) {
      this.initialBackoff = positive(initial, "initial backoff");
      this.maxBackoff = positive(max, "max backoff");
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException(
            "max backoff " + max + " must not be below the initial backoff " + initial);
      }
      return this;
    }

    /** How long a commit or a dead-letter write may take. Default 30 s. */
    public Builder commitTimeout(Duration timeout) {
      this.commitTimeout = positive(timeout, "commit timeout");
      return this;
    }

    /** How long {@link KafkaEventConsumer#close()} waits for the loop's thread. Default 30 s. */
    public Builder closeTimeout(Duration timeout) {
      this.closeTimeout = positive(timeout, "close timeout");
      return this;
    }

    /**
     * Calls {@code listener} when the loop stops for good on a failure (a non-transient failure of
     * the store, or an {@code Error}), so that an application need not poll {@link
     * KafkaEventConsumer#failure()}. It is called once, on the loop's thread, after the Kafka
     * clients are closed and after {@code failure()} and {@code isRunning()} tell the failure; it
     * gets the same throwable as {@code failure()}. It is not called when the loop ends by {@link
     * KafkaEventConsumer#close()}. Listeners are called in the order they were added; one that
     * throws is logged and the next is still called. A listener should not block for long (a {@code
     * close()} on another thread waits for it) and must not call {@code close()} expecting it to
     * wait for the loop.
     */
    public Builder onFailure(Consumer<? super Throwable> listener) {
      failureListeners.add(requireNonNull(listener, "failure listener must not be null"));
      return this;
    }

    /** Makes the Kafka clients: Kafka's mock clients in unit tests. */
    Builder clients(KafkaClients clients) {
      this.clients = requireNonNull(clients, "clients must not be null");
      return this;
    }

    /** The clock of the back-off, as {@link System#nanoTime()}: a fake one in unit tests. */
    Builder nanoTime(LongSupplier nanoTime) {
      this.nanoTime = requireNonNull(nanoTime, "clock must not be null");
      return this;
    }

    /**
     * A property passed through to the Kafka consumer and the dead-letter producer (SASL, TLS,
     * client id, session timeout, ...); the group id, offset commit and deserialisers are fixed.
     */
    public Builder property(String key, Object value) {
      extra.put(requireText(key, "property key"), requireNonNull(value, "value of " + key));
      return this;
    }

    /** Properties passed through; see {@link #property}. */
    public Builder properties(Map<String, ?> properties) {
      properties.forEach(this::property);
      return this;
    }

    /**
     * A consumer with the options as they are now; later changes to this builder do not reach it.
     * Call {@link KafkaEventConsumer#start()} or {@link KafkaEventConsumer#run()} to run it.
     */
    public KafkaEventConsumer build() {
      if (deadLetterTopic.equals(topic)) {
        throw new IllegalArgumentException(
            "the dead-letter topic must differ from the topic " + topic);
      }
      return new KafkaEventConsumer(
          new Options(
              topic,
              groupId,
              json,
              log,
              indexer,
              List.copyOf(handlers),
              List.copyOf(failureListeners),
              deadLetterTopic,
              pollTimeout,
              initialBackoff,
              maxBackoff,
              commitTimeout,
              closeTimeout,
              copy(consumerConfig()),
              Collections.unmodifiableMap(dlqProducerConfig()),
              clients,
              nanoTime));
    }

    /** The Kafka consumer's configuration as it is now. */
    Properties consumerConfig() {
      Properties config = new Properties();
      config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
      config.putAll(consumerOnly(extra));
      config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
      config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
      config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      return config;
    }

    private Map<String, Object> dlqProducerConfig() {
      Map<String, Object> config = new HashMap<>();
      config.putAll(producerOnly(extra));
      config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
      config.put(ProducerConfig.ACKS_CONFIG, "all");
      config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      return config;
    }

    private static Map<String, Object> copy(Properties config) {
      Map<String, Object> copy = new HashMap<>();
      config.forEach((k, v) -> copy.put((String) k, v));
      return Collections.unmodifiableMap(copy);
    }

    private static Map<String, Object> consumerOnly(Map<String, Object> all) {
      Map<String, Object> known = new HashMap<>();
      all.forEach(
          (k, v) -> {
            if (ConsumerConfig.configNames().contains(k)
                || !ProducerConfig.configNames().contains(k)) {
              known.put(k, v);
            }
          });
      return known;
    }

    private static Map<String, Object> producerOnly(Map<String, Object> all) {
      Map<String, Object> known = new HashMap<>();
      all.forEach(
          (k, v) -> {
            if (ProducerConfig.configNames().contains(k)
                || !ConsumerConfig.configNames().contains(k)) {
              known.put(k, v);
            }
          });
      return known;
    }
  }
}
