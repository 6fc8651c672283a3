package io.cursus.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("heavy") // three brokers and a restart take minutes on 2 cores: the heavy profile runs it
class KafkaClusterIT {

  @Test
  void threeBrokersReplicateAndSurviveTheLeadersSigkill() throws Exception {
    long began = System.nanoTime();
    try (KafkaCluster kafka = KafkaCluster.builder().brokers(3).start()) {
      long startMillis = (System.nanoTime() - began) / 1_000_000;
      String topic = "cluster-" + UUID.randomUUID();
      kafka.createTopics(1, topic);

      // then: every broker runs on its own port and the topic is replicated three times, min ISR 2
      assertThat(kafka.brokers()).hasSize(3);
      assertThat(kafka.bootstrapServers().split(",")).hasSize(3).doesNotHaveDuplicates();
      assertThat(kafka.replicationFactor()).isEqualTo(3);
      assertThat(kafka.inSyncReplicas(topic, 0)).hasSize(3);
      assertThat(topicConfig(kafka, topic).get("min.insync.replicas").value()).isEqualTo("2");
      System.out.println(
          "three Kafka brokers started in " + startMillis + " ms; idle " + memory(kafka));

      try (KafkaProducer<String, String> producer = producer(kafka)) {
        producer.send(new ProducerRecord<>(topic, "k", "before the kill")).get();

        // when: the partition's leader is killed
        KafkaBroker leader = kafka.leaderOf(topic, 0);
        assertThat(kafka.inSyncReplicas(topic, 0).get(0)).isSameAs(leader);
        long pid = leader.pid();
        leader.kill();
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();

        // then: another broker leads, and writes at acks=all go on with the two left
        KafkaBroker newLeader = kafka.leaderOf(topic, 0);
        assertThat(newLeader).isNotSameAs(leader);
        assertThat(newLeader.isRunning()).isTrue();
        producer.send(new ProducerRecord<>(topic, "k", "while it is down")).get();

        // when: it comes back, it catches up
        leader.start();
        kafka.awaitInSync(topic);
        assertThat(kafka.inSyncReplicas(topic, 0)).hasSize(3).contains(leader);
        producer.send(new ProducerRecord<>(topic, "k", "after its return")).get();
      }
      assertThat(consume(kafka, topic, 3))
          .containsExactly("k=before the kill", "k=while it is down", "k=after its return");
      System.out.println("after the kill and the restart: " + memory(kafka));

      // and: each broker's own handle
      KafkaBroker second = kafka.broker(1);
      assertThat(second.isExternal()).isFalse();
      assertThat(kafka.bootstrapServers()).contains(second.bootstrapServers());
      String other = "cluster-other-" + UUID.randomUUID();
      second.createTopics(2, other);
      assertThat(kafka.inSyncReplicas(other, 1)).hasSize(3);
    }
  }

  private static Config topicConfig(KafkaCluster kafka, String topic) throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      return admin.describeConfigs(List.of(resource)).all().get().get(resource);
    }
  }

  private static KafkaProducer<String, String> producer(KafkaCluster kafka) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true),
        new StringSerializer(),
        new StringSerializer());
  }

  private static List<String> consume(KafkaCluster kafka, String topic, int expected) {
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "group-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new StringDeserializer(),
            new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      List<String> values = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (values.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          values.add(record.key() + "=" + record.value());
        }
      }
      return values;
    }
  }

  /** Each broker's resident memory, from /proc (Linux); empty elsewhere. */
  private static String memory(KafkaCluster kafka) {
    StringBuilder line = new StringBuilder("RSS");
    long total = 0;
    for (int i = 0; i < kafka.brokers().size(); i++) {
      KafkaBroker broker = kafka.broker(i);
      long kb = 0;
      try {
        for (String s :
            Files.readAllLines(Path.of("/proc", String.valueOf(broker.pid()), "status"))) {
          if (s.startsWith("VmRSS:")) {
            kb = Long.parseLong(s.replaceAll("[^0-9]", ""));
          }
        }
      } catch (IOException e) {
        return "";
      }
      total += kb;
      line.append(i == 0 ? " broker " : ", broker ").append(i + 1).append(' ').append(kb / 1024);
      line.append(" MB");
    }
    return line.append(", together ").append(total / 1024).append(" MB").toString();
  }
}
