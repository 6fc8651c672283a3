package io.cursus.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class KafkaFaultIT {
  @Test
  void killedBrokerComesBackWithItsRecordsAndStopLeavesNoProcess() throws Exception {
    KafkaBroker kafka = KafkaBroker.builder().start();
    try {
      String topic = "faults-" + UUID.randomUUID();
      kafka.createTopics(1, topic);
      KafkaIT.produce(kafka, topic, "k", "before the crash");
      long pid = kafka.pid();

      kafka.kill();

      assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();

      kafka.start();
      KafkaIT.produce(kafka, topic, "k", "after the crash");

      assertThat(KafkaIT.consume(kafka, topic, "group-" + UUID.randomUUID(), 2))
          .containsExactly("k=before the crash", "k=after the crash");

      long restartedPid = kafka.pid();
      kafka.stop();

      assertThat(kafka.isRunning()).isFalse();
      assertThat(ProcessHandle.of(restartedPid).filter(ProcessHandle::isAlive)).isEmpty();
    } finally {
      kafka.close();
    }
  }
}
