package io.cursus.reliability;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.NodeState;
import io.cursus.api.Event;
import io.cursus.api.store.EventLog;
import io.cursus.cassandra.CassandraEventIndex;
import io.cursus.cassandra.CassandraEventStore;
import io.cursus.cassandra.CassandraSchema;
import io.cursus.cassandra.CassandraTables;
import io.cursus.middleware.kafka.KafkaEventConsumer;
import io.cursus.middleware.kafka.KafkaEventSink;
import io.cursus.testkit.CassandraCluster;
import io.cursus.testkit.Engines;
import io.cursus.testkit.KafkaBroker;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The engines of the scenarios: the shared Cassandra (keyspace {@value #KEYSPACE}) and Kafka of
 * this test JVM, and helpers for dedicated ones.
 */
final class Rig {

  static final String KEYSPACE = "cursus_reliability";
  static final CassandraTables TABLES = CassandraTables.inKeyspace(KEYSPACE);

  private static CqlSession session;
  private static CassandraEventStore store;
  private static CassandraEventIndex index;

  private Rig() {}

  static synchronized CqlSession session() {
    if (session == null) {
      session = connect(Engines.cassandra().contactPoints());
      CassandraSchema.of(TABLES).create(session);
      Runtime.getRuntime().addShutdownHook(new Thread(session::close, "close-cql-session"));
    }
    return session;
  }

  static synchronized CassandraEventStore store() {
    if (store == null) {
      store = CassandraEventStore.builder(session(), Parcels.REGISTRY).tables(TABLES).build();
    }
    return store;
  }

  static synchronized CassandraEventIndex index() {
    if (index == null) {
      index = CassandraEventIndex.builder(session(), Parcels.REGISTRY).tables(TABLES).build();
    }
    return index;
  }

  /**
   * A session to {@code contactPoints} that tries to reconnect to a lost node every second (the
   * driver's default backs off to a minute, which would hide a node's return from a short test).
   */
  static CqlSession connect(List<InetSocketAddress> contactPoints) {
    return CqlSession.builder()
        .addContactPoints(contactPoints)
        .withLocalDatacenter("datacenter1")
        .withConfigLoader(
            DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.RECONNECTION_BASE_DELAY, Duration.ofMillis(500))
                .withDuration(DefaultDriverOption.RECONNECTION_MAX_DELAY, Duration.ofSeconds(1))
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(5))
                .build())
        .build();
  }

  static CqlSession connect(CassandraCluster cluster) {
    return connect(cluster.contactPoints());
  }

  static KafkaBroker kafka() {
    return Engines.kafka();
  }

  /** A fresh topic of {@code partitions} partitions and its dead-letter topic, both ready. */
  static String freshTopic(KafkaBroker kafka, String prefix, int partitions) {
    String topic = prefix + "-" + UUID.randomUUID();
    kafka.createTopics(partitions, topic);
    kafka.createTopics(1, topic + ".dlq");
    return topic;
  }

  static KafkaEventSink.Builder sink(KafkaBroker kafka, String topic) {
    return KafkaEventSink.builder(kafka.bootstrapServers(), topic, Parcels.JSON)
        .linger(Duration.ofMillis(2));
  }

  /**
   * A sink that gives up within seconds when the broker is gone (2 s to block, 2 s a request, 5 s
   * to deliver, 8 s for the acknowledgement), for the scenarios that kill it.
   */
  static KafkaEventSink sinkGivingUpSoon(KafkaBroker kafka, String topic) {
    return sink(kafka, topic)
        .maxBlock(Duration.ofSeconds(2))
        .requestTimeout(Duration.ofSeconds(2))
        .deliveryTimeout(Duration.ofSeconds(5))
        .ackTimeout(Duration.ofSeconds(8))
        .build();
  }

  /** Sleeps {@code duration}; an interrupt ends the sleep and is kept. */
  static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static KafkaEventConsumer.Builder consumer(
      KafkaBroker kafka, String topic, String group, EventLog log) {
    return KafkaEventConsumer.builder(kafka.bootstrapServers(), topic, group, Parcels.JSON, log)
        .backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
  }

  static KafkaProducer<String, byte[]> rawProducer(KafkaBroker kafka) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.LINGER_MS_CONFIG,
            2),
        new StringSerializer(),
        new ByteArraySerializer());
  }

  /** The offsets {@code group} has committed on {@code topic}, summed over its partitions. */
  static long committedTotal(KafkaBroker kafka, String group) {
    try (Admin admin = admin(kafka)) {
      return admin
          .listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata()
          .get()
          .values()
          .stream()
          .mapToLong(OffsetAndMetadata::offset)
          .sum();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot read the offsets of group " + group, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading the offsets of group " + group, e);
    }
  }

  /** True when {@code group} has committed the end offset of every partition of {@code topic}. */
  static boolean allCommitted(KafkaBroker kafka, String group, String topic) {
    return allCommitted(kafka.bootstrapServers(), group, topic);
  }

  /** As {@link #allCommitted(KafkaBroker, String, String)}, for the cluster at {@code servers}. */
  static boolean allCommitted(String servers, String group, String topic) {
    try (Admin admin = admin(servers)) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      int partitions =
          admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      for (var end : admin.listOffsets(latest).all().get().entrySet()) {
        OffsetAndMetadata done = committed.get(end.getKey());
        if ((done == null ? 0 : done.offset()) < end.getValue().offset()) {
          return false;
        }
      }
      return true;
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot read the offsets of group " + group, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading the offsets of group " + group, e);
    }
  }

  /** The records in {@code topic}: its partitions' end offsets, summed. */
  static long recordsIn(String servers, String topic) {
    try (Admin admin = admin(servers)) {
      int partitions =
          admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      return admin.listOffsets(latest).all().get().values().stream()
          .mapToLong(ListOffsetsResultInfo::offset)
          .sum();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot read the end offsets of " + topic, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading the end offsets of " + topic, e);
    }
  }

  private static Admin admin(KafkaBroker kafka) {
    return admin(kafka.bootstrapServers());
  }

  private static Admin admin(String servers) {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            servers,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
            10_000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            20_000));
  }

  /** Waits, polling, until {@code condition} holds, for at most {@code timeout}. */
  static void await(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting until " + what);
      }
      Thread.sleep(100);
    }
  }

  /** The driver's view of the node at {@code address} (for example {@code "127.0.0.2"}). */
  static Node node(CqlSession session, String address) {
    return session.getMetadata().getNodes().values().stream()
        .filter(n -> n.getEndPoint().resolve().toString().contains(address))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no node " + address + " in the driver's metadata"));
  }

  /** Waits until the driver sees the node at {@code address} in {@code state}, for at most 90 s. */
  static void awaitState(CqlSession session, String address, NodeState state)
      throws InterruptedException {
    await(
        "the driver sees " + address + " " + state,
        Duration.ofSeconds(90),
        () -> node(session, address).getState() == state);
  }

  /** A log that counts the events it appended (those whose append returned normally). */
  static final class CountingLog implements EventLog {
    final EventLog delegate;
    final AtomicLong appended = new AtomicLong();

    CountingLog(EventLog delegate) {
      this.delegate = delegate;
    }

    @Override
    public void append(List<Event> events) {
      delegate.append(events);
      appended.addAndGet(events.size());
    }
  }
}
