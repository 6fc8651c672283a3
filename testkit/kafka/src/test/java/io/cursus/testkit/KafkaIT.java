package io.cursus.testkit;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

@CursusEngines
class KafkaIT {
  static void produce(KafkaBroker kafka, String topic, String key, String value) throws Exception {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true),
            new StringSerializer(),
            new StringSerializer())) {
      RecordMetadata sent = producer.send(new ProducerRecord<>(topic, key, value)).get();
      assertThat(sent.topic()).isEqualTo(topic);
    }
  }

  static List<String> consume(KafkaBroker kafka, String topic, String group, int expected) {
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new StringDeserializer(),
            new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      List<String> values = new ArrayList<>();
      long deadline = System.currentTimeMillis() + 60_000;
      while (values.size() < expected && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          values.add(record.key() + "=" + record.value());
        }
      }
      consumer.commitSync();
      return values;
    }
  }

  @Test
  void recordProducedWithAcksAllIsConsumedByAGroup(KafkaBroker kafka) throws Exception {
    String topic = "it-" + UUID.randomUUID();
    kafka.createTopics(3, topic);
    String value = "parcel " + UUID.randomUUID() + " delivered";

    produce(kafka, topic, "parcel-1", value);

    assertThat(consume(kafka, topic, "group-" + UUID.randomUUID(), 1))
        .containsExactly("parcel-1=" + value);
  }

  @Test
  void createTopicsIsIdempotent(KafkaBroker kafka) {
    String topic = "it-" + UUID.randomUUID();

    kafka.createTopics(2, topic);
    kafka.createTopics(2, topic);

    try (org.apache.kafka.clients.admin.Admin admin =
        org.apache.kafka.clients.admin.Admin.create(
            Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      assertThat(
              admin
                  .describeTopics(List.of(topic))
                  .allTopicNames()
                  .toCompletionStage()
                  .toCompletableFuture()
                  .join()
                  .get(topic)
                  .partitions())
          .hasSize(2);
    }
  }
}
