package io.cursus.testkit.internal;

import io.cursus.testkit.CassandraCluster;
import io.cursus.testkit.CassandraNode;
import io.cursus.testkit.KafkaBroker;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Handles of engines the user runs; the testkit neither starts nor stops them. */
public final class ExternalEngines {
  private ExternalEngines() {}

  public static CassandraCluster cassandra(InetSocketAddress contactPoint, String datacenter) {
    return new ExternalCassandra(contactPoint, datacenter);
  }

  public static KafkaBroker kafka(String bootstrapServers) {
    return new ExternalKafka(bootstrapServers);
  }

  static UnsupportedOperationException noFaults(String what) {
    return new UnsupportedOperationException(
        what
            + " was supplied by the user (CURSUS_CASSANDRA / CURSUS_KAFKA), so the testkit cannot"
            + " stop, kill or start it; fault tests need an engine the testkit started (unset the"
            + " variable, or use the builder)");
  }

  private record ExternalCassandra(InetSocketAddress contactPoint, String localDatacenter)
      implements CassandraCluster {
    @Override
    public List<InetSocketAddress> contactPoints() {
      return List.of(contactPoint);
    }

    @Override
    public List<CassandraNode> nodes() {
      throw noFaults("Cassandra at " + contactPoint);
    }

    @Override
    public boolean isExternal() {
      return true;
    }

    @Override
    public void close() {}
  }

  private record ExternalKafka(String bootstrapServers) implements KafkaBroker {
    @Override
    public void createTopics(int partitions, String... topics) {
      Topics.create(bootstrapServers, partitions, Optional.empty(), topics);
    }

    @Override
    public boolean isExternal() {
      return true;
    }

    @Override
    public void close() {}

    @Override
    public void stop() {
      throw noFaults("Kafka at " + bootstrapServers);
    }

    @Override
    public void kill() {
      throw noFaults("Kafka at " + bootstrapServers);
    }

    @Override
    public void start() {
      throw noFaults("Kafka at " + bootstrapServers);
    }

    @Override
    public boolean isRunning() {
      return true;
    }

    @Override
    public long pid() {
      throw noFaults("Kafka at " + bootstrapServers);
    }

    @Override
    public Path logFile() {
      throw noFaults("Kafka at " + bootstrapServers);
    }
  }
}
