package io.cursus.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.api.Event;
import io.cursus.middleware.kafka.KafkaEventSink;
import io.cursus.testkit.CassandraCluster;
import io.cursus.testkit.Engines;
import io.cursus.testkit.KafkaBroker;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** R3: the consumer process is killed with SIGKILL in the middle of a batch, then restarted. */
class R3ConsumerKillIT {

  @Test
  void aConsumerProcessKilledMidBatchLosesAndDuplicatesNothing() throws Exception {
    // given: 3,000 events acknowledged by Kafka
    Tally tally = new Tally("R3 consumer SIGKILL mid-batch");
    KafkaBroker kafka = Rig.kafka();
    Rig.session(); // the schema exists before the consumer processes start
    String topic = Rig.freshTopic(kafka, "r3", 3);
    String group = "r3-" + UUID.randomUUID();
    List<Event> all = Parcels.flatten(Parcels.journeys(750));
    try (KafkaEventSink sink = Rig.sink(kafka, topic).build()) {
      for (int i = 0; i < all.size(); i += 100) {
        List<Event> batch = all.subList(i, Math.min(all.size(), i + 100));
        sink.accept(batch);
        tally.delivered(batch);
      }
    }

    // when: the first consumer process stores 1,000 events, then half a batch, and is SIGKILLed
    Child first = Child.start(kafka, topic, group, 1_000);
    long storedByFirst;
    long committedAtKill;
    try {
      first.await("MID-BATCH", Duration.ofMinutes(2));
      storedByFirst = first.stored.get();
      first.process.destroyForcibly(); // SIGKILL on Linux
      assertThat(first.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(first.process.exitValue()).isEqualTo(137); // 128 + SIGKILL
      committedAtKill = Rig.committedTotal(kafka, group);
    } finally {
      first.kill();
    }
    assertThat(committedAtKill)
        .as("offsets committed by the killed process")
        .isLessThan(storedByFirst)
        .isPositive();

    // and a second process takes over
    Child second = Child.start(kafka, topic, group, -1);
    long storedBySecond;
    try {
      Rig.await(
          "the group committed every record",
          Duration.ofMinutes(2),
          () -> Rig.allCommitted(kafka, group, topic));
      storedBySecond = second.stored.get();
      second.process.destroy(); // SIGTERM: closes the consumer
      assertThat(second.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      second.kill();
    }

    // then
    assertThat(storedBySecond).isEqualTo(all.size() - committedAtKill);
    tally.note("first process stored " + storedByFirst + ", committed " + committedAtKill);
    tally.note("second process stored " + storedBySecond);
    tally.note("stored twice before the store's upsert " + (storedByFirst - committedAtKill));
    tally.check(Rig.store()).report().assertNothingLostOrDuplicated();
  }

  /** A {@link ConsumerMain} process and the events it says it stored. */
  private static final class Child {
    final AtomicLong stored = new AtomicLong();
    final ChildJvm jvm;
    final Process process;

    private Child(KafkaBroker kafka, String topic, String group, long pauseAfter)
        throws IOException {
      CassandraCluster cassandra = Engines.cassandra();
      this.jvm =
          ChildJvm.start(
              "consumer",
              ConsumerMain.class,
              ChildJvm.counting("stored ", stored),
              kafka.bootstrapServers(),
              topic,
              group,
              cassandra.contactPoint().getHostString(),
              Integer.toString(cassandra.contactPoint().getPort()),
              Long.toString(pauseAfter));
      this.process = jvm.process;
    }

    static Child start(KafkaBroker kafka, String topic, String group, long pauseAfter)
        throws IOException {
      return new Child(kafka, topic, group, pauseAfter);
    }

    void await(String line, Duration timeout) throws InterruptedException {
      jvm.awaitLine(line, timeout);
    }

    void kill() throws InterruptedException {
      jvm.kill();
    }
  }
}
