package io.cursus.middleware.it;

import com.datastax.oss.driver.api.core.CqlSession;
import io.cursus.api.Event;
import io.cursus.api.store.EventLog;
import io.cursus.cassandra.CassandraEventIndex;
import io.cursus.cassandra.CassandraEventStore;
import io.cursus.cassandra.CassandraSchema;
import io.cursus.cassandra.CassandraTables;
import io.cursus.json.EventJson;
import io.cursus.middleware.fixtures.Parcels;
import io.cursus.middleware.kafka.KafkaEventSink;
import io.cursus.testkit.CassandraCluster;
import io.cursus.testkit.Engines;
import io.cursus.testkit.KafkaBroker;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** One Cassandra keyspace, one Kafka broker for every test class of this module's run. */
final class SharedEngines {

  static final CassandraTables TABLES = CassandraTables.inKeyspace("cursus_middleware_it");
  static final EventJson JSON = EventJson.using(Parcels.REGISTRY);

  private static CqlSession session;
  private static CassandraEventStore store;
  private static CassandraEventIndex index;

  private SharedEngines() {}

  static synchronized CqlSession session() {
    if (session == null) {
      CassandraCluster cluster = Engines.cassandra();
      session =
          CqlSession.builder()
              .addContactPoints(cluster.contactPoints())
              .withLocalDatacenter(cluster.localDatacenter())
              .build();
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

  static KafkaBroker kafka() {
    return Engines.kafka();
  }

  /** A fresh topic of {@code partitions} partitions and its dead-letter topic, both ready. */
  static String freshTopic(String prefix, int partitions) {
    String topic = prefix + "-" + UUID.randomUUID();
    kafka().createTopics(partitions, topic);
    kafka().createTopics(1, topic + ".dlq");
    return topic;
  }

  static KafkaEventSink sink(String topic) {
    return KafkaEventSink.builder(kafka().bootstrapServers(), topic, JSON)
        .linger(Duration.ofMillis(1))
        .build();
  }

  static KafkaProducer<String, byte[]> rawProducer() {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka().bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all"),
        new StringSerializer(),
        new ByteArraySerializer());
  }

  static void produceRaw(String topic, List<Event> events) throws Exception {
    try (KafkaProducer<String, byte[]> producer = rawProducer()) {
      for (Event event : events) {
        producer
            .send(new ProducerRecord<>(topic, KafkaEventSink.keyOf(event), JSON.write(event)))
            .get();
      }
    }
  }

  /** True when {@code group} has committed the end offset of every partition of {@code topic}. */
  static boolean allCommitted(String group, String topic) {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka().bootstrapServers()))) {
      Map<TopicPartition, OffsetAndMetadata> committed = committed(admin, group);
      int partitions =
          admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      var ends = admin.listOffsets(latest).all().get();
      for (var end : ends.entrySet()) {
        OffsetAndMetadata done = committed.get(end.getKey());
        long position = done == null ? 0 : done.offset();
        if (position < end.getValue().offset()) {
          return false;
        }
      }
      return true;
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot read offsets of " + group, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading offsets of " + group, e);
    }
  }

  /**
   * The partitions each member of {@code group} holds, by member id, if the group is stable; empty
   * while it rebalances (or has no members).
   */
  static Map<String, Set<Integer>> stableAssignment(String group) {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka().bootstrapServers()))) {
      ConsumerGroupDescription description =
          admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get();
      Map<String, Set<Integer>> assignment = new HashMap<>();
      if (description.groupState() != GroupState.STABLE) {
        return assignment;
      }
      for (MemberDescription member : description.members()) {
        Set<Integer> partitions = new TreeSet<>();
        member.assignment().topicPartitions().forEach(tp -> partitions.add(tp.partition()));
        assignment.put(member.consumerId(), partitions);
      }
      return assignment;
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot describe group " + group, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted describing group " + group, e);
    }
  }

  /** The offsets {@code group} has committed. */
  static Map<TopicPartition, OffsetAndMetadata> committed(String group) {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka().bootstrapServers()))) {
      return committed(admin, group);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot read offsets of " + group, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading offsets of " + group, e);
    }
  }

  private static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String group)
      throws ExecutionException, InterruptedException {
    return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
  }

  /** Waits (polling) until {@code condition} holds, for at most {@code timeout}. */
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

  /** A log that counts the events appended through it. */
  static final class CountingLog implements EventLog {
    final EventLog delegate;
    final java.util.concurrent.atomic.AtomicLong appended =
        new java.util.concurrent.atomic.AtomicLong();

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
