package com.example.notes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.Row;
import io.cursus.testkit.CassandraCluster;
import io.cursus.testkit.CursusEngines;
import io.cursus.testkit.KafkaBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * What a user of the testkit writes: a test class that asks for Cassandra and Kafka and gets them
 * started, with nothing in the build but one test dependency per engine.
 */
@CursusEngines
class NotesIT {

  @Test
  void cassandraStoresAndReadsANote(CassandraCluster cassandra) {
    try (CqlSession session =
        CqlSession.builder()
            .addContactPoint(cassandra.contactPoint())
            .withLocalDatacenter(cassandra.localDatacenter())
            // Schema changes can take longer than the default 2 s on a busy machine.
            .withConfigLoader(
                DriverConfigLoader.programmaticBuilder()
                    .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
                    .build())
            .build()) {
      session.execute(
          "CREATE KEYSPACE IF NOT EXISTS notes WITH replication ="
              + " {'class': 'SimpleStrategy', 'replication_factor': 1}");
      session.execute("CREATE TABLE IF NOT EXISTS notes.notes (id uuid PRIMARY KEY, text text)");
      UUID id = UUID.randomUUID();

      session.execute("INSERT INTO notes.notes (id, text) VALUES (?, ?)", id, "buy milk");

      Row row = session.execute("SELECT text FROM notes.notes WHERE id = ?", id).one();
      assertEquals("buy milk", row.getString("text"));
    }
  }

  @Test
  void kafkaDeliversANoteToAConsumerGroup(KafkaBroker kafka) throws Exception {
    String topic = "notes-" + UUID.randomUUID();
    kafka.createTopics(1, topic);
    Map<String, Object> producerConfig =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, "note-1", "buy milk")).get();
    }

    List<String> received = new ArrayList<>();
    Map<String, Object> consumerConfig =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            "notes-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest");
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (received.isEmpty() && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          received.add(record.key() + "=" + record.value());
        }
      }
    }
    assertEquals(List.of("note-1=buy milk"), received);
  }

  @Test
  void serversRunFromMavenRepositoryJarsThatThisClasspathNeverSees(
      CassandraCluster cassandra, KafkaBroker kafka) throws IOException {
    // No build step resolved the servers and no property points at their jars...
    assertNull(System.getProperty("cursus.engine.cassandra.lib"));
    assertNull(System.getProperty("cursus.engine.kafka.lib"));
    // ...neither server nor Hazelcast is on this test classpath...
    for (String absent :
        List.of(
            "org.apache.cassandra.service.CassandraDaemon",
            "kafka.Kafka",
            "com.hazelcast.core.Hazelcast")) {
      assertThrows(ClassNotFoundException.class, () -> Class.forName(absent), absent);
    }
    // ...and the servers run from jars in the Maven repository layout.
    assumeFalse(cassandra.isExternal() || kafka.isExternal(), "engines supplied by the user");
    Path cassandraCommand = Path.of("/proc", String.valueOf(cassandra.node(0).pid()), "cmdline");
    Path kafkaCommand = Path.of("/proc", String.valueOf(kafka.pid()), "cmdline");
    assumeTrue(Files.isReadable(cassandraCommand), "no /proc: not Linux");
    assertTrue(read(cassandraCommand).contains("/org/apache/cassandra/cassandra-all/"));
    assertTrue(read(kafkaCommand).contains("/org/apache/kafka/kafka_2.13/"));
  }

  private static String read(Path file) throws IOException {
    return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
  }
}
