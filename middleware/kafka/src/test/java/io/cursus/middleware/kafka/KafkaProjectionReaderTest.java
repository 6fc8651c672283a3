package io.cursus.middleware.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.api.Event;
import io.cursus.api.TransientCursusException;
import io.cursus.api.projection.Delivery;
import io.cursus.api.projection.Position;
import io.cursus.json.EventJson;
import io.cursus.middleware.fixtures.Parcels;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The Kafka reader of a projection, on Kafka's MockConsumer. */
class KafkaProjectionReaderTest {

  private static final String TOPIC = "parcels";
  private static final Duration POLL = Duration.ofMillis(1);

  private final EventJson json = EventJson.using(Parcels.REGISTRY);
  private final MockConsumer<byte[], byte[]> kafka = new MockConsumer<>("earliest");
  private final TopicPartition p0 = new TopicPartition(TOPIC, 0);
  private final TopicPartition p1 = new TopicPartition(TOPIC, 1);
  private final List<Event> events = Parcels.journey(UUID.randomUUID(), "s");
  private final AtomicReference<Position> saved = new AtomicReference<>(Position.start());
  private final AtomicBoolean storeDown = new AtomicBoolean();
  private final KafkaProjectionReader reader =
      new KafkaProjectionReader(
          kafka,
          TOPIC,
          json,
          () -> {
            if (storeDown.get()) {
              throw new TransientCursusException("the checkpoint store is down", null);
            }
            return saved.get();
          });

  private void assign(TopicPartition... partitions) {
    Map<TopicPartition, Long> beginning = new HashMap<>();
    for (TopicPartition partition : partitions) {
      beginning.put(partition, 0L);
    }
    kafka.updateBeginningOffsets(beginning);
    kafka.rebalance(List.of(partitions));
  }

  private void add(TopicPartition partition, long offset, byte[] value) {
    kafka.addRecord(
        new ConsumerRecord<>(TOPIC, partition.partition(), offset, utf8("key-" + offset), value));
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> where(List<Delivery> deliveries) {
    return deliveries.stream().map(d -> d.partition() + "@" + d.offset()).toList();
  }

  @Test
  void aRefusedLoginIsANonTransientFailureNamingTheCredentials() {
    // given
    assign(p0);
    kafka.setPollException(
        new org.apache.kafka.common.errors.SaslAuthenticationException(
            "Authentication failed during authentication due to invalid credentials with SASL"
                + " mechanism SCRAM-SHA-512"));

    // when
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> reader.poll(10, POLL));

    // then
    assertThat(thrown)
        .isInstanceOf(io.cursus.api.NonTransientCursusException.class)
        .hasMessageContaining("Kafka refused the credentials of projection reader of parcels")
        .hasMessageContaining("authentication failed: Authentication failed")
        .hasMessageContaining("sasl.jaas.config")
        .hasCauseInstanceOf(org.apache.kafka.common.errors.SaslAuthenticationException.class);
  }

  @Test
  void resumesEachAssignedPartitionFromTheOffsetSavedForIt() throws Exception {
    // given: partition 0 handled up to offset 2, partition 1 never
    saved.set(Position.of("0", 2));

    // when
    assign(p0, p1);
    for (int i = 0; i < 4; i++) {
      add(p0, i, json.write(events.get(i)));
    }
    add(p1, 0, json.write(events.get(0)));
    List<Delivery> deliveries = reader.poll(10, POLL);

    // then
    assertThat(where(deliveries)).containsExactlyInAnyOrder("0@2", "0@3", "1@0");
    assertThat(deliveries.stream().filter(d -> d.partition().equals("0")).map(Delivery::event))
        .containsExactly(events.get(2), events.get(3));
  }

  @Test
  void aPartitionAssignedWhileTheCheckpointCannotBeReadIsReadFromItsSavedOffsetOnceItCan()
      throws Exception {
    // given: partition 0 handled up to offset 2, and a checkpoint store that cannot be read
    saved.set(Position.of("0", 2));
    storeDown.set(true);
    kafka.updateBeginningOffsets(Map.of(p0, 0L));

    // when: the partition is assigned (Kafka completes the assignment whatever the listener
    // throws, and throws it from poll), the runner polls while the store is down, then after
    try {
      kafka.rebalance(List.of(p0));
    } catch (RuntimeException e) {
      // the real consumer throws this from poll, after the assignment
    }
    for (int i = 0; i < 4; i++) {
      add(p0, i, json.write(events.get(i)));
    }
    List<Delivery> deliveries = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      try {
        deliveries.addAll(reader.poll(10, POLL));
      } catch (TransientCursusException e) {
        // the runner backs off and polls again
      }
    }
    storeDown.set(false);
    deliveries.addAll(reader.poll(10, POLL));

    // then: nothing before the saved offset was read, and the partition is not left paused
    assertThat(where(deliveries)).containsExactly("0@2", "0@3");
    assertThat(kafka.paused()).isEmpty();
  }

  @Test
  void aPartitionAssignedIsNotLeftPaused() throws Exception {
    // given
    assign(p0, p1);
    add(p1, 0, json.write(events.get(0)));

    // when
    List<Delivery> deliveries = reader.poll(10, POLL);

    // then
    assertThat(where(deliveries)).containsExactly("1@0");
    assertThat(kafka.paused()).isEmpty();
  }

  @Test
  void handsOutAtMostTheNumberAskedAndKeepsTheRestForTheNextPoll() throws Exception {
    // given
    assign(p0);
    for (int i = 0; i < 4; i++) {
      add(p0, i, json.write(events.get(i)));
    }

    // when
    List<Delivery> first = reader.poll(3, POLL);
    List<Delivery> second = reader.poll(3, POLL);

    // then
    assertThat(where(first)).containsExactly("0@0", "0@1", "0@2");
    assertThat(where(second)).containsExactly("0@3");
  }

  @Test
  void skipsARecordItCannotReadAndDeliversTheNextAtItsOwnOffset() throws Exception {
    // given
    assign(p0);
    add(p0, 0, json.write(events.get(0)));
    add(p0, 1, utf8("{not json"));
    add(p0, 2, json.write(events.get(1)));

    // when
    List<Delivery> deliveries = reader.poll(10, POLL);

    // then
    assertThat(where(deliveries)).containsExactly("0@0", "0@2");
  }

  @Test
  void forgetsWhatItHeldOfARevokedPartition() throws Exception {
    // given: four records polled, two handed out
    assign(p0, p1);
    for (int i = 0; i < 4; i++) {
      add(p0, i, json.write(events.get(i)));
    }
    assertThat(reader.poll(2, POLL)).hasSize(2);

    // when: partition 0 goes to another instance
    kafka.rebalance(List.of(p1));

    // then: its other two records are not handed out here
    assertThat(reader.poll(10, POLL)).isEmpty();
  }

  @Test
  void seeksOnlyThePartitionsItHolds() throws Exception {
    // given
    assign(p0);
    for (int i = 0; i < 3; i++) {
      add(p0, i, json.write(events.get(i)));
    }
    assertThat(reader.poll(10, POLL)).hasSize(3);

    // when: a position naming a partition it does not hold, and one it does
    reader.seek(Position.of(Map.of("0", 1L, "1", 5L)));

    // then: no failure for partition 1, and partition 0 reads again from 1
    assertThat(kafka.position(p0)).isEqualTo(1);
    assertThat(kafka.assignment()).containsExactly(p0);
  }

  @Test
  void aWakeupEndsAWaitingPollWithNothing() throws Exception {
    assign(p0);
    reader.wakeup();
    assertThat(reader.poll(10, Duration.ofSeconds(5))).isEmpty();
  }
}
