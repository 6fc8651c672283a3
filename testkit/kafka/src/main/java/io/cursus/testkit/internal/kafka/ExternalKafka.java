package io.cursus.testkit.internal.kafka;

import io.cursus.testkit.KafkaBroker;
import io.cursus.testkit.internal.ExternalEngines;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** A Kafka the user runs ({@code CURSUS_KAFKA}); the testkit neither starts nor stops it. */
record ExternalKafka(String bootstrapServers) implements KafkaBroker {
  @Override
  public void createTopics(int partitions, String... topics) {
    Topics.create(bootstrapServers, Map.of(), partitions, Optional.empty(), topics);
  }

  @Override
  public boolean isExternal() {
    return true;
  }

  @Override
  public void close() {}

  @Override
  public void stop() {
    throw ExternalEngines.noFaults("Kafka at " + bootstrapServers);
  }

  @Override
  public void kill() {
    throw ExternalEngines.noFaults("Kafka at " + bootstrapServers);
  }

  @Override
  public void start() {
    throw ExternalEngines.noFaults("Kafka at " + bootstrapServers);
  }

  @Override
  public boolean isRunning() {
    return true;
  }

  @Override
  public long pid() {
    throw ExternalEngines.noFaults("Kafka at " + bootstrapServers);
  }

  @Override
  public Path logFile() {
    throw ExternalEngines.noFaults("Kafka at " + bootstrapServers);
  }
}
