package io.cursus.middleware.kafka;

import static java.util.Objects.requireNonNull;

import io.cursus.api.NonTransientCursusException;
import io.cursus.api.TransientCursusException;
import io.cursus.api.projection.Position;
import io.cursus.api.projection.ProjectionSource;
import io.cursus.json.EventJson;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * The Kafka topic that {@link KafkaEventSink} writes, as the live {@link ProjectionSource} of
 * {@link io.cursus.api.projection.Projections}: each projection reads it in a consumer group of its
 * own, so its position is its own.
 *
 * <pre>{@code
 * KafkaProjectionSource source =
 *     KafkaProjectionSource.builder("127.0.0.1:9092", "parcels", "parcel-store", json).build();
 * Projections projections =
 *     Projections.builder(source, store, store)
 *         .checkpoints(CassandraCheckpointStore.using(session, tables))
 *         .parkedEvents(CassandraParkedEventStore.using(session, tables, registry))
 *         .build();
 * }</pre>
 *
 * <ul>
 *   <li><b>Consumer group</b>: {@code cursus-projection-<name>} (the prefix is {@link
 *       Builder#groupIdPrefix}). Two processes running the projection share the topic's partitions;
 *       on a rebalance, a partition assigned to a reader resumes from the offset saved for it in
 *       the checkpoint store, not from Kafka's committed offsets (the group commits none, so
 *       Kafka's tools show no lag for it: read it from {@code Projections.status}).
 *   <li><b>Positions</b>: one entry per Kafka partition, named by its number ({@code "0"}, {@code
 *       "1"}, ...), holding the offset after the last record handled.
 *   <li><b>Stored up to</b>: the offsets the store's writer ({@link KafkaEventConsumer}, consumer
 *       group {@code storeGroupId}) has committed, which it commits only after storing. A catch-up
 *       reads the store, then the topic from there, so an event in the topic but not yet stored is
 *       not skipped.
 *   <li><b>Ahead of the store</b>: a projection may read an event before the store writer has
 *       stored it. State projections merge the events of their batch with the stored history by
 *       identity ({@link io.cursus.api.projection.StateLoader#merge}), so the state they hand over
 *       includes them.
 *   <li><b>Unreadable records</b> (bad JSON, unknown type) are skipped: the store's writer sends
 *       them to its dead-letter topic, and they never enter the store.
 * </ul>
 *
 * <p>Records are read with {@code isolation.level=read_committed}. Thread-safe; {@link #close()}
 * releases the admin client used for {@link #head()} and {@link #storedUpTo()} (readers are closed
 * by the runtime).
 */
public final class KafkaProjectionSource implements ProjectionSource, AutoCloseable {

  /** The default prefix of a projection's consumer group id. */
  public static final String DEFAULT_GROUP_PREFIX = "cursus-projection-";

  private final String topic;
  private final String storeGroupId;
  private final String groupIdPrefix;
  private final EventJson json;
  private final Map<String, Object> consumerConfig;
  private final Duration requestTimeout;
  private final KafkaClients clients;
  private final Admin admin;

  private KafkaProjectionSource(Builder b) {
    this.topic = b.topic;
    this.storeGroupId = b.storeGroupId;
    this.groupIdPrefix = b.groupIdPrefix;
    this.json = b.json;
    this.requestTimeout = b.requestTimeout;
    this.clients = b.clients;
    Map<String, Object> consumer = new HashMap<>(b.extra);
    consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, b.maxPollRecords);
    consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers);
    consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.consumerConfig = Map.copyOf(consumer);
    Map<String, Object> adminConfig = new HashMap<>();
    b.extra.forEach(
        (k, v) -> {
          if (AdminClientConfig.configNames().contains(k)) {
            adminConfig.put(k, v);
          }
        });
    adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers);
    this.admin = b.admin == null ? Admin.create(adminConfig) : b.admin;
  }

  /**
   * A builder of the source reading {@code topic}, whose events the store's writer stores in
   * consumer group {@code storeGroupId}, decoding records with {@code json}.
   */
  public static Builder builder(
      String bootstrapServers, String topic, String storeGroupId, EventJson json) {
    return new Builder(bootstrapServers, topic, storeGroupId, json);
  }

  /** The consumer group id of projection {@code projection}: the prefix, then the name. */
  public String groupId(String projection) {
    return groupIdPrefix + requireNonNull(projection, "projection must not be null");
  }

  @Override
  public Reader open(String projection, Supplier<Position> committed) {
    Map<String, Object> config = new HashMap<>(consumerConfig);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId(projection));
    return new KafkaProjectionReader(clients.consumer(config), topic, json, committed);
  }

  /**
   * The end offset of every partition of the topic.
   *
   * @throws TransientCursusException if Kafka does not answer within the request timeout
   */
  @Override
  public Position head() {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (TopicPartitionInfo partition : describe().partitions()) {
      latest.put(new TopicPartition(topic, partition.partition()), OffsetSpec.latest());
    }
    Map<TopicPartition, ListOffsetsResultInfo> ends =
        await("reading the end offsets of " + topic, admin.listOffsets(latest).all());
    Map<String, Long> offsets = new HashMap<>();
    ends.forEach((tp, end) -> offsets.put(Integer.toString(tp.partition()), end.offset()));
    return Position.of(offsets);
  }

  /**
   * The offsets the store's writer has committed on the topic; a partition it has not committed is
   * at 0.
   *
   * @throws TransientCursusException if Kafka does not answer within the request timeout
   */
  @Override
  public Position storedUpTo() {
    Map<TopicPartition, OffsetAndMetadata> committed;
    try {
      committed =
          await(
              "reading the offsets committed by the store's group " + storeGroupId,
              admin.listConsumerGroupOffsets(storeGroupId).partitionsToOffsetAndMetadata());
    } catch (TransientCursusException e) {
      if (!(e.getCause() instanceof GroupIdNotFoundException)) {
        throw e;
      }
      committed = Map.of(); // the writer has not joined yet: nothing is stored from the topic
    }
    Map<String, Long> offsets = new HashMap<>();
    for (TopicPartitionInfo partition : describe().partitions()) {
      OffsetAndMetadata done = committed.get(new TopicPartition(topic, partition.partition()));
      offsets.put(Integer.toString(partition.partition()), done == null ? 0 : done.offset());
    }
    return Position.of(offsets);
  }

  /** True: instances of a projection share the topic's partitions through the consumer group. */
  @Override
  public boolean splitsWork() {
    return true;
  }

  /** Closes the admin client. */
  @Override
  public void close() {
    admin.close(requestTimeout);
  }

  @Override
  public String toString() {
    return "Kafka projection source on " + topic + " (stored by group " + storeGroupId + ")";
  }

  private TopicDescription describe() {
    return await("describing " + topic, admin.describeTopics(List.of(topic)).allTopicNames())
        .get(topic);
  }

  private <T> T await(String doing, org.apache.kafka.common.KafkaFuture<T> future) {
    try {
      return future.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Optional<String> refused = KafkaRefusals.describe(e.getCause());
      if (refused.isPresent()) {
        throw new NonTransientCursusException(
            "Kafka refused the credentials of the projection source on "
                + topic
                + " while "
                + doing
                + " ("
                + refused.get()
                + ")",
            e.getCause());
      }
      throw new TransientCursusException(
          "Kafka failed while " + doing + ": " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new TransientCursusException(
          "Kafka did not answer within " + requestTimeout + " while " + doing, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransientCursusException("interrupted while " + doing, e);
    }
  }

  /** Options of a {@link KafkaProjectionSource}. Mutable; {@link #build()} copies them. */
  public static final class Builder {
    private final String bootstrapServers;
    private final String topic;
    private final String storeGroupId;
    private final EventJson json;
    private String groupIdPrefix = DEFAULT_GROUP_PREFIX;
    private int maxPollRecords = 500;
    private Duration requestTimeout = Duration.ofSeconds(10);
    private final Map<String, Object> extra = new HashMap<>();
    private KafkaClients clients = KafkaClients.REAL;
    private Admin admin;

    private Builder(String bootstrapServers, String topic, String storeGroupId, EventJson json) {
      this.bootstrapServers = requireText(bootstrapServers, "bootstrap servers");
      this.topic = requireText(topic, "topic");
      this.storeGroupId = requireText(storeGroupId, "store group id");
      this.json = requireNonNull(json, "json must not be null");
    }

    /** The prefix of each projection's consumer group id; default {@code cursus-projection-}. */
    public Builder groupIdPrefix(String prefix) {
      this.groupIdPrefix = requireNonNull(prefix, "group id prefix must not be null");
      return this;
    }

    /** The most records one Kafka poll returns; default 500. */
    public Builder maxPollRecords(int records) {
      if (records < 1) {
        throw new IllegalArgumentException("max poll records must be positive, was " + records);
      }
      this.maxPollRecords = records;
      return this;
    }

    /** How long {@link #head()} and {@link #storedUpTo()} wait for Kafka; default 10 s. */
    public Builder requestTimeout(Duration timeout) {
      requireNonNull(timeout, "request timeout must not be null");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("request timeout must be positive, was " + timeout);
      }
      this.requestTimeout = timeout;
      return this;
    }

    /**
     * A property passed through to the consumers and the admin client (SASL, TLS, session timeout,
     * ...); the group id, offset commit, offset reset and isolation level are fixed.
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

    /** The clients, Kafka's mocks in unit tests. */
    Builder clients(KafkaClients clients, Admin admin) {
      this.clients = requireNonNull(clients, "clients must not be null");
      this.admin = requireNonNull(admin, "admin must not be null");
      return this;
    }

    /** The source; it opens an admin client, closed by {@link KafkaProjectionSource#close()}. */
    public KafkaProjectionSource build() {
      return new KafkaProjectionSource(this);
    }

    private static String requireText(String value, String what) {
      requireNonNull(value, () -> what + " must not be null");
      if (value.isBlank()) {
        throw new IllegalArgumentException(what + " must not be blank");
      }
      return value;
    }
  }
}
