package io.cursus.middleware.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.ITERABLE;

import io.cursus.api.Event;
import io.cursus.api.NonTransientCursusException;
import io.cursus.api.TransientCursusException;
import io.cursus.api.memory.InMemoryEventStore;
import io.cursus.api.store.EventLog;
import io.cursus.json.EventJson;
import io.cursus.middleware.fixtures.Parcels;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The consumer's loop against Kafka's mock clients, driven one poll at a time: each step runs at
 * the start of a poll and sees what the loop did after the poll before. Time is a fake clock.
 */
class KafkaEventConsumerTest {

  private static final String TOPIC = "parcels";
  private static final Duration INITIAL_BACKOFF = Duration.ofMillis(100);

  private final EventJson json = EventJson.using(Parcels.REGISTRY);
  private final TopicPartition p0 = new TopicPartition(TOPIC, 0);
  private final TopicPartition p1 = new TopicPartition(TOPIC, 1);
  private final CommitFailing kafka = new CommitFailing();
  private final MockProducer<byte[], byte[]> dlq =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  private final InMemoryEventStore store = InMemoryEventStore.empty();
  private final List<Map<String, Object>> consumerConfigs = new ArrayList<>();
  private final List<Event> events = Parcels.journey(UUID.randomUUID(), "s");
  private long now = 1_000_000_000L;

  /** A mock consumer whose next commits fail as told. */
  private static final class CommitFailing extends MockConsumer<byte[], byte[]> {
    final Deque<RuntimeException> commitFailures = new ArrayDeque<>();
    final Map<TopicPartition, Long> committed = new HashMap<>(); // readable after close

    CommitFailing() {
      super("earliest");
    }

    @Override
    public synchronized void commitSync(
        Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
      RuntimeException failure = commitFailures.poll();
      if (failure != null) {
        throw failure;
      }
      super.commitSync(offsets, timeout);
      offsets.forEach((partition, offset) -> committed.put(partition, offset.offset()));
    }
  }

  /** A log that fails as told before it appends. */
  private static final class FailingLog implements EventLog {
    final Deque<RuntimeException> failures = new ArrayDeque<>();
    final EventLog log;
    int appends;

    FailingLog(EventLog log) {
      this.log = log;
    }

    @Override
    public void append(List<Event> events) {
      appends++;
      RuntimeException failure = failures.poll();
      if (failure != null) {
        throw failure;
      }
      log.append(events);
    }
  }

  private KafkaEventConsumer.Builder builder(EventLog log) {
    return KafkaEventConsumer.builder("127.0.0.1:9092", TOPIC, "store", json, log)
        .backoff(INITIAL_BACKOFF, Duration.ofSeconds(1))
        .clients(
            new KafkaClients() {
              @Override
              public Consumer<byte[], byte[]> consumer(Map<String, Object> config) {
                consumerConfigs.add(config);
                return kafka;
              }

              @Override
              public Producer<byte[], byte[]> producer(Map<String, Object> config) {
                return dlq;
              }
            })
        .nanoTime(() -> now);
  }

  private void assign(TopicPartition... partitions) {
    kafka.rebalance(List.of(partitions));
    Map<TopicPartition, Long> beginning = new HashMap<>();
    for (TopicPartition partition : partitions) {
      beginning.put(partition, 0L);
    }
    kafka.updateBeginningOffsets(beginning);
  }

  private void add(TopicPartition partition, long offset, Event event) {
    add(partition, offset, json.write(event));
  }

  private void add(TopicPartition partition, long offset, byte[] value) {
    kafka.addRecord(
        new ConsumerRecord<>(TOPIC, partition.partition(), offset, utf8("key-" + offset), value));
  }

  private void addEvents(TopicPartition partition) {
    for (int i = 0; i < events.size(); i++) {
      add(partition, i, events.get(i));
    }
  }

  private @Nullable Long committed(TopicPartition partition) {
    return kafka.committed.get(partition);
  }

  private Set<Event> stored() {
    return new HashSet<>(store.history(events.get(0).aggregateId()));
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Runs {@code steps}, one at the start of each poll, then closes the consumer. */
  private void run(KafkaEventConsumer consumer, Runnable... steps) {
    for (Runnable step : steps) {
      kafka.schedulePollTask(step);
    }
    kafka.schedulePollTask(consumer::close);
    consumer.run();
  }

  @Test
  void storesTheEventsOfAPollAndThenCommitsTheirOffsets() {
    // given
    KafkaEventConsumer consumer = builder(store).build();

    // when
    run(
        consumer,
        () -> {
          assign(p0);
          addEvents(p0);
        },
        () -> {});

    // then
    assertThat(stored()).containsExactlyInAnyOrderElementsOf(events);
    assertThat(committed(p0)).isEqualTo((long) events.size());
    assertThat(consumer.eventsProcessed()).isEqualTo(events.size());
    assertThat(consumer.commits()).isEqualTo(1);
    assertThat(consumer.failure()).isEmpty();
    assertThat(consumer.isRunning()).isFalse();
    assertThat(kafka.closed()).isTrue();
    assertThat(dlq.closed()).isTrue();
  }

  @Test
  void aChangeToTheBuilderAfterBuildDoesNotReachTheBuiltConsumer() {
    // given
    List<Event> first = new ArrayList<>();
    List<Event> later = new ArrayList<>();
    List<Throwable> laterFailures = new ArrayList<>();
    KafkaEventConsumer.Builder builder = builder(store).handler(first::add);
    KafkaEventConsumer consumer = builder.build();

    // when
    builder
        .deadLetterTopic("elsewhere.dlq")
        .handler(later::add)
        .property("client.id", "changed")
        .maxPollRecords(1)
        .onFailure(laterFailures::add);
    run(
        consumer,
        () -> {
          assign(p0);
          add(p0, 0, events.get(0));
          add(p0, 1, utf8("{not json"));
        },
        () -> {});

    // then
    assertThat(dlq.history()).extracting(ProducerRecord::topic).containsExactly("parcels.dlq");
    assertThat(first).containsExactly(events.get(0));
    assertThat(later).isEmpty();
    assertThat(consumerConfigs).hasSize(1);
    assertThat(consumerConfigs.get(0)).doesNotContainKey("client.id");
    assertThat(consumerConfigs.get(0)).containsEntry("max.poll.records", 500);
    assertThat(laterFailures).isEmpty();
  }

  @Test
  void aTransientStoreFailurePausesThePartitionsAndRetriesTheSameEventsAfterTheBackOff() {
    // given
    FailingLog log = new FailingLog(store);
    log.failures.add(new TransientCursusException("node down", null));
    KafkaEventConsumer consumer = builder(log).build();
    List<Set<TopicPartition>> pausedWhileWaiting = new ArrayList<>();
    List<Long> committedWhileWaiting = new ArrayList<>();

    // when
    run(
        consumer,
        () -> {
          assign(p0);
          addEvents(p0);
        },
        () -> {
          pausedWhileWaiting.add(Set.copyOf(kafka.paused()));
          committedWhileWaiting.add(committed(p0));
          now += INITIAL_BACKOFF.toNanos() - 1; // not yet due
        },
        () -> {
          pausedWhileWaiting.add(Set.copyOf(kafka.paused()));
          now += 1;
        },
        () -> {});

    // then
    assertThat(pausedWhileWaiting).containsExactly(Set.of(p0), Set.of(p0));
    assertThat(committedWhileWaiting).containsOnlyNulls();
    assertThat(log.appends).isEqualTo(2);
    assertThat(consumer.retries()).isEqualTo(1);
    assertThat(stored()).containsExactlyInAnyOrderElementsOf(events);
    assertThat(committed(p0)).isEqualTo((long) events.size());
    assertThat(kafka.paused()).isEmpty();
    assertThat(dlq.history()).isEmpty();
  }

  @Test
  void partitionsAssignedWhileBackingOffArePausedToo() {
    // given
    FailingLog log = new FailingLog(store);
    log.failures.add(new TransientCursusException("node down", null));
    KafkaEventConsumer consumer = builder(log).build();
    List<Set<TopicPartition>> paused = new ArrayList<>();

    // when
    run(
        consumer,
        () -> {
          assign(p0);
          addEvents(p0);
        },
        () -> assign(p0, p1),
        () -> paused.add(Set.copyOf(kafka.paused())));

    // then
    assertThat(paused).containsExactly(Set.of(p0, p1));
  }

  @Test
  void aCommitLostToARebalanceIsNeitherRetriedNorAFailure() {
    // given
    kafka.commitFailures.add(new CommitFailedException("group rebalanced"));
    KafkaEventConsumer consumer = builder(store).build();

    // when
    run(
        consumer,
        () -> {
          assign(p0);
          add(p0, 0, events.get(0));
        },
        () -> add(p0, 1, events.get(1)),
        () -> {});

    // then
    assertThat(consumer.retries()).isZero();
    assertThat(consumer.commits()).isEqualTo(1);
    assertThat(committed(p0)).isEqualTo(2L);
    assertThat(consumer.eventsProcessed()).isEqualTo(2);
    assertThat(consumer.failure()).isEmpty();
  }

  @Test
  void aCommitThatTimesOutIsRetriedAfterTheBackOffWithoutProcessingTheBatchAgain() {
    // given
    kafka.commitFailures.add(new TimeoutException("coordinator slow"));
    FailingLog log = new FailingLog(store);
    KafkaEventConsumer consumer = builder(log).build();

    // when
    run(
        consumer,
        () -> {
          assign(p0);
          addEvents(p0);
        },
        () -> now += INITIAL_BACKOFF.toNanos(),
        () -> {});

    // then
    assertThat(consumer.retries()).isEqualTo(1);
    assertThat(log.appends).isEqualTo(1);
    assertThat(consumer.eventsProcessed()).isEqualTo(events.size());
    assertThat(committed(p0)).isEqualTo((long) events.size());
  }

  @Test
  void aStoredBatchWhoseCommitTimedOutIsCommittedWhenItsPartitionIsRevoked() {
    // given
    kafka.commitFailures.add(new TimeoutException("coordinator slow"));
    KafkaEventConsumer consumer = builder(store).build();
    List<Long> committedAfterRevocation = new ArrayList<>();
    List<Set<TopicPartition>> pausedAfterRevocation = new ArrayList<>();

    // when
    run(
        consumer,
        () -> {
          assign(p0);
          addEvents(p0);
        },
        () -> {
          kafka.rebalance(List.of(p1));
          committedAfterRevocation.add(committed(p0));
          pausedAfterRevocation.add(Set.copyOf(kafka.paused()));
        });

    // then
    assertThat(committedAfterRevocation).containsExactly((long) events.size());
    assertThat(pausedAfterRevocation).singleElement().asInstanceOf(ITERABLE).doesNotContain(p1);
    assertThat(consumer.commits()).isEqualTo(1);
  }

  @Test
  void aLostPartitionsBatchIsDroppedWithoutACommit() {
    // given
    kafka.commitFailures.add(new TimeoutException("coordinator slow"));
    KafkaEventConsumer consumer = builder(store).build();

    // when
    run(
        consumer,
        () -> {
          assign(p0);
          addEvents(p0);
        },
        () -> {
          kafka.losePartitions(List.of(p0));
          now += INITIAL_BACKOFF.toNanos();
        },
        () -> {});

    // then
    assertThat(committed(p0)).isNull();
    assertThat(consumer.commits()).isZero();
    assertThat(stored()).containsExactlyInAnyOrderElementsOf(events);
  }

  @Test
  void anUnreadableRecordGoesToTheDeadLetterTopicAndTheRestOfTheBatchIsCommitted() {
    // given
    KafkaEventConsumer consumer = builder(store).build();

    // when
    run(
        consumer,
        () -> {
          assign(p0);
          add(p0, 0, events.get(0));
          add(p0, 1, utf8("{not json"));
          add(p0, 2, events.get(1));
        },
        () -> {});

    // then
    assertThat(dlq.history()).hasSize(1);
    ProducerRecord<byte[], byte[]> dead = dlq.history().get(0);
    assertThat(dead.topic()).isEqualTo("parcels.dlq");
    assertThat(dead.value()).isEqualTo(utf8("{not json"));
    assertThat(
            new String(
                dead.headers().lastHeader(KafkaEventConsumer.OFFSET_HEADER).value(),
                StandardCharsets.UTF_8))
        .isEqualTo("1");
    assertThat(consumer.deadLettered()).isEqualTo(1);
    assertThat(stored()).containsExactlyInAnyOrder(events.get(0), events.get(1));
    assertThat(committed(p0)).isEqualTo(3L);
  }

  @Test
  void aDeadLetterTopicThatCannotBeWrittenIsRetriedAfterTheBackOffWithoutCommitting() {
    // given
    dlq.sendException = new KafkaException("dead-letter topic not writable");
    KafkaEventConsumer consumer = builder(store).build();
    List<Long> committedWhileFailing = new ArrayList<>();

    // when
    run(
        consumer,
        () -> {
          assign(p0);
          add(p0, 0, utf8("{not json"));
          add(p0, 1, events.get(0));
        },
        () -> {
          committedWhileFailing.add(committed(p0));
          dlq.sendException = null;
          now += INITIAL_BACKOFF.toNanos();
        },
        () -> {});

    // then
    assertThat(committedWhileFailing).containsOnlyNulls();
    assertThat(consumer.retries()).isEqualTo(1);
    assertThat(consumer.deadLettered()).isEqualTo(1);
    assertThat(dlq.history()).hasSize(1);
    assertThat(stored()).containsExactly(events.get(0));
    assertThat(committed(p0)).isEqualTo(2L);
  }

  @Test
  void aNonTransientStoreFailureStopsTheLoopSetsFailureAndTellsEveryListenerOnceOnTheLoopThread() {
    // given
    FailingLog log = new FailingLog(store);
    NonTransientCursusException refused = new NonTransientCursusException("no such table", null);
    log.failures.add(refused);
    List<Throwable> told = new ArrayList<>();
    List<Object> seenByListener = new ArrayList<>();
    AtomicInteger secondCalls = new AtomicInteger();
    KafkaEventConsumer[] self = new KafkaEventConsumer[1];
    KafkaEventConsumer consumer =
        builder(log)
            .onFailure(
                failure -> {
                  told.add(failure);
                  seenByListener.add(Thread.currentThread());
                  seenByListener.add(self[0].failure().orElseThrow());
                  seenByListener.add(self[0].isRunning());
                  throw new IllegalStateException("listener bug");
                })
            .onFailure(failure -> secondCalls.incrementAndGet())
            .build();
    self[0] = consumer;
    kafka.schedulePollTask(
        () -> {
          assign(p0);
          addEvents(p0);
        });

    // when
    consumer.run();

    // then
    assertThat(consumer.failure()).isPresent();
    Throwable failure = consumer.failure().orElseThrow();
    assertThat(failure).hasRootCause(refused);
    assertThat(told).containsExactly(failure);
    assertThat(seenByListener).containsExactly(Thread.currentThread(), failure, false);
    assertThat(secondCalls).hasValue(1);
    assertThat(committed(p0)).isNull();
    assertThat(kafka.closed()).isTrue();
  }

  @Test
  void aRefusedLoginStopsTheLoopWithANonTransientFailureNamingTheCredentials() {
    // given
    List<Throwable> told = new ArrayList<>();
    KafkaEventConsumer consumer = builder(store).onFailure(told::add).build();
    SaslAuthenticationException refused =
        new SaslAuthenticationException(
            "Authentication failed during authentication due to invalid credentials with SASL"
                + " mechanism SCRAM-SHA-512");
    kafka.schedulePollTask(() -> kafka.setPollException(refused));

    // when
    consumer.run();

    // then
    Throwable failure = consumer.failure().orElseThrow();
    assertThat(failure)
        .isInstanceOf(NonTransientCursusException.class)
        .hasMessageStartingWith(
            "Kafka refused the credentials of the consumer of " + TOPIC + " in group store")
        .hasMessageContaining("authentication failed: Authentication failed")
        .hasMessageContaining("sasl.jaas.config")
        .hasCause(refused);
    assertThat(told).containsExactly(failure);
    assertThat(consumer.eventsProcessed()).isZero();
  }

  @Test
  void closingTheConsumerDoesNotTellTheFailureListeners() {
    // given
    List<Throwable> told = new ArrayList<>();
    KafkaEventConsumer consumer = builder(store).onFailure(told::add).build();

    // when
    run(consumer, () -> assign(p0));

    // then
    assertThat(consumer.failure()).isEmpty();
    assertThat(told).isEmpty();
  }

  @Test
  void theGuidesFailureListenerSampleHearsOfTheFailureThatStoppedTheLoop() {
    // given
    FailingLog log = new FailingLog(store);
    log.failures.add(new NonTransientCursusException("no such table", null));
    List<String> alerts = new ArrayList<>();
    // tag::on-failure[]
    KafkaEventConsumer watched =
        builder(log)
            .onFailure(failure -> alerts.add("store consumer stopped: " + failure.getMessage()))
            .build();
    // end::on-failure[]
    kafka.schedulePollTask(
        () -> {
          assign(p0);
          addEvents(p0);
        });

    // when
    watched.run();

    // then
    assertThat(alerts)
        .containsExactly("store consumer stopped: " + watched.failure().orElseThrow().getMessage());
    assertThat(alerts.get(0)).contains("no such table");
  }
}
