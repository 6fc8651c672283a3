package io.cursus.testkit.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.testkit.KafkaBroker;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * A dedicated Kafka broker declared as a {@code @Container} field: JUnit's Testcontainers extension
 * starts it before the tests of {@link WithTheBrokerAsAContainer} and stops it after them, with no
 * Docker involved. This outer class checks, once the nested class is done, that the broker's
 * process is gone.
 */
class EngineContainerIT {

  static final AtomicLong PID = new AtomicLong();

  @Nested
  @Testcontainers
  class WithTheBrokerAsAContainer {

    @Container
    static final EngineContainer<KafkaBroker> KAFKA =
        EngineContainer.of(KafkaBroker.builder()::start);

    @Test
    void theExtensionStartedTheBrokerBeforeTheTest() throws Exception {
      KafkaBroker kafka = KAFKA.engine();
      PID.set(kafka.pid());
      assertThat(kafka.isRunning()).isTrue();

      kafka.createTopics(1, "containers");
      try (Admin admin =
          Admin.create(
              Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
        assertThat(admin.listTopics().names().get()).contains("containers");
      }
    }
  }

  @AfterAll
  static void theExtensionStoppedTheBrokerAfterTheTests() throws Exception {
    assertThat(WithTheBrokerAsAContainer.KAFKA.isStarted())
        .as("the container is started")
        .isFalse();
    long pid = PID.get();
    assertThat(pid).as("the test saw the broker's pid").isPositive();
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isPresent()) {
      process.get().onExit().get(30, TimeUnit.SECONDS);
    }
    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
  }
}
