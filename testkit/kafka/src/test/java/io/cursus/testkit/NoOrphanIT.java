package io.cursus.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.testkit.internal.ArtifactResolver;
import io.cursus.testkit.internal.LocalRepository;
import io.cursus.testkit.internal.Locations;
import io.cursus.testkit.internal.kafka.LocalKafkaBroker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NoOrphanIT {
  @Test
  void engineExitsWhenTheJvmThatStartedItIsKilledWithSigkill() throws Exception {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java));
    // The owner finds the broker's jars and keeps its files where this JVM would.
    for (String property :
        List.of(
            LocalKafkaBroker.LIB_PROPERTY,
            LocalRepository.PROPERTY,
            ArtifactResolver.REMOTE_PROPERTY,
            Locations.WORK_DIR)) {
      String value = System.getProperty(property);
      if (value != null) {
        command.add("-D" + property + "=" + value);
      }
    }
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), StartKafkaAndWait.class.getName()));
    Process owner = new ProcessBuilder(command).redirectErrorStream(true).start();
    Optional<ProcessHandle> broker = Optional.empty();
    try {
      long pid = brokerPid(owner);
      broker = ProcessHandle.of(pid);
      assertThat(broker).isPresent();
      assertThat(broker.get().isAlive()).isTrue();

      owner.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

      ProcessHandle orphan = broker.get();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (orphan.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(orphan.isAlive()).as("broker pid %s outlived its parent", pid).isFalse();
    } finally {
      owner.destroyForcibly();
      broker.ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  private static long brokerPid(Process owner) throws Exception {
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      if (line.startsWith("KAFKA_PID=")) {
        return Long.parseLong(line.substring("KAFKA_PID=".length()));
      }
      seen.append(line).append('\n');
    }
    throw new AssertionError("the owner JVM exited without starting Kafka:\n" + seen);
  }
}
