package io.cursus.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.api.Event;
import io.cursus.middleware.kafka.KafkaEventSink;
import io.cursus.testkit.CassandraCluster;
import io.cursus.testkit.Engines;
import io.cursus.testkit.KafkaBroker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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

  /** A {@link ConsumerMain} process and what it printed. */
  private static final class Child {
    final Process process;
    final AtomicLong stored = new AtomicLong();
    final List<String> lines = new ArrayList<>();
    final AtomicBoolean midBatch = new AtomicBoolean();

    private Child(Process process) {
      this.process = process;
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader out =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith("stored ")) {
                      stored.set(Long.parseLong(line.substring("stored ".length())));
                    } else if (line.equals("MID-BATCH")) {
                      midBatch.set(true);
                    } else {
                      System.out.println("[consumer " + process.pid() + "] " + line);
                    }
                    synchronized (lines) {
                      lines.add(line);
                    }
                  }
                } catch (IOException e) {
                  // the process is gone
                }
              },
              "child-output-" + process.pid());
      reader.setDaemon(true);
      reader.start();
    }

    static Child start(KafkaBroker kafka, String topic, String group, long pauseAfter)
        throws IOException {
      CassandraCluster cassandra = Engines.cassandra();
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      ProcessBuilder builder =
          new ProcessBuilder(
                  java,
                  "-Xmx256m",
                  "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                  "-cp",
                  System.getProperty("java.class.path"),
                  ConsumerMain.class.getName(),
                  kafka.bootstrapServers(),
                  topic,
                  group,
                  cassandra.contactPoint().getHostString(),
                  Integer.toString(cassandra.contactPoint().getPort()),
                  Long.toString(pauseAfter))
              .redirectErrorStream(true);
      return new Child(builder.start());
    }

    void await(String what, Duration timeout) throws InterruptedException {
      Rig.await(
          "the consumer process printed " + what,
          timeout,
          () -> {
            if (!process.isAlive()) {
              throw new AssertionError("the consumer process exited: " + lines);
            }
            return midBatch.get();
          });
    }

    /** Kills the process if it still runs, and waits until it is gone. */
    void kill() throws InterruptedException {
      if (process.isAlive()) {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
