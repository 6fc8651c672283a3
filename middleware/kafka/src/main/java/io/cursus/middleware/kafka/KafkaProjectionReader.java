package io.cursus.middleware.kafka;

import io.cursus.api.Event;
import io.cursus.api.NonTransientCursusException;
import io.cursus.api.projection.Delivery;
import io.cursus.api.projection.Position;
import io.cursus.api.projection.ProjectionSource;
import io.cursus.json.EventJson;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One projection's member of its consumer group: resumes each partition assigned to it from the
 * checkpoint, hands out what it polled in slices of the size asked, and forgets what it holds of a
 * partition that is revoked or sought. Used by one thread, except {@link #wakeup()}.
 *
 * <p>A partition is assigned paused, and resumed once it is sought to the offset saved for it. If
 * the checkpoint cannot be read in the rebalance listener, the partition stays paused and the next
 * {@link #poll} reads the checkpoint again before it polls Kafka, throwing what the checkpoint
 * store throws (the runner retries): a partition is never read from Kafka's reset position (the
 * group commits no offsets, so that would be its first record).
 */
final class KafkaProjectionReader implements ProjectionSource.Reader, ConsumerRebalanceListener {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaProjectionReader.class);

  private final Consumer<byte[], byte[]> kafka;
  private final String topic;
  private final EventJson json;
  private final Supplier<Position> committed;
  private final Deque<ConsumerRecord<byte[], byte[]>> pending = new ArrayDeque<>();
  // Assigned, paused, and not yet sought to their saved offsets.
  private final Set<TopicPartition> unpositioned = new LinkedHashSet<>();

  KafkaProjectionReader(
      Consumer<byte[], byte[]> kafka, String topic, EventJson json, Supplier<Position> committed) {
    this.kafka = kafka;
    this.topic = topic;
    this.json = json;
    this.committed = committed;
    kafka.subscribe(List.of(topic), this);
  }

  @Override
  public List<Delivery> poll(int max, Duration timeout) {
    if (pending.isEmpty()) {
      position();
      ConsumerRecords<byte[], byte[]> records;
      try {
        records = kafka.poll(timeout);
      } catch (WakeupException e) {
        return List.of();
      } catch (AuthenticationException | AuthorizationException e) {
        throw new NonTransientCursusException(
            "Kafka refused the credentials of "
                + this
                + " ("
                + KafkaRefusals.describe(e).orElseThrow()
                + ")",
            e);
      }
      records.forEach(pending::add);
    }
    List<Delivery> out = new ArrayList<>(Math.min(max, pending.size()));
    while (out.size() < max && !pending.isEmpty()) {
      ConsumerRecord<byte[], byte[]> record = pending.removeFirst();
      Event event;
      try {
        event = json.read(record.value());
      } catch (RuntimeException e) {
        // The store's writer dead-letters it; it never enters the store, so no projection sees it.
        LOG.debug(
            "skipping unreadable record {}-{}@{}: {}",
            topic,
            record.partition(),
            record.offset(),
            e.getMessage());
        continue;
      }
      out.add(new Delivery(event, Integer.toString(record.partition()), record.offset()));
    }
    return out;
  }

  /** Moves the partitions of {@code position} that this reader holds; others are not its own. */
  @Override
  public void seek(Position position) {
    for (TopicPartition partition : kafka.assignment()) {
      String name = Integer.toString(partition.partition());
      if (position.offsets().containsKey(name)) {
        forget(List.of(partition));
        kafka.seek(partition, position.next(name));
        if (unpositioned.remove(partition)) {
          kafka.resume(List.of(partition));
        }
      }
    }
  }

  @Override
  public void wakeup() {
    kafka.wakeup();
  }

  @Override
  public void close() {
    kafka.close(CloseOptions.timeout(Duration.ofSeconds(10)));
  }

  /**
   * Pauses the partitions, then seeks them to the offsets saved for them and resumes them; if the
   * checkpoint cannot be read now, they stay paused until {@link #poll} can read it. Never throws:
   * Kafka would finish the assignment anyway and throw from {@code poll}, leaving the partitions at
   * its reset position.
   */
  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    if (partitions.isEmpty()) {
      return;
    }
    forget(partitions);
    kafka.pause(partitions);
    unpositioned.addAll(partitions);
    try {
      position();
    } catch (RuntimeException e) {
      LOG.warn(
          "{} assigned {}, but reading the checkpoint failed; they stay paused until it is read: {}",
          this,
          partitions,
          e.toString());
    }
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    forget(partitions);
    unpositioned.removeAll(partitions);
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    forget(partitions);
    unpositioned.removeAll(partitions);
  }

  /**
   * Seeks the partitions assigned but not yet sought to the offsets saved for them, and resumes
   * them; throws what reading the checkpoint throws, leaving them paused.
   */
  private void position() {
    if (unpositioned.isEmpty()) {
      return;
    }
    Position saved = committed.get();
    List<TopicPartition> sought = List.copyOf(unpositioned);
    for (TopicPartition partition : sought) {
      kafka.seek(partition, saved.next(Integer.toString(partition.partition())));
    }
    kafka.resume(sought);
    unpositioned.clear();
    LOG.info(
        "{} (member {}) assigned {}, resuming from {}",
        this,
        kafka.groupMetadata().memberId(),
        sought,
        saved);
  }

  private void forget(Collection<TopicPartition> partitions) {
    pending.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
  }

  @Override
  public String toString() {
    return "projection reader of " + topic;
  }
}
