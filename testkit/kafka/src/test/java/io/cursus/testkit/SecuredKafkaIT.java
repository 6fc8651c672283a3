package io.cursus.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A broker started with {@code scram(user, password)}: SASL/SCRAM-SHA-512 clients only. *
 *
 * <p>Heavy: it starts a broker of its own (about 45 s on 2 busy cores); R13 runs the same engines.
 */
@Tag("heavy")
class SecuredKafkaIT {
  private static final String PASSWORD = "kafka-it-" + UUID.randomUUID();
  private static KafkaBroker kafka;

  @BeforeAll
  static void start() {
    kafka = KafkaBroker.builder().scram("cursus", PASSWORD).start();
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void aClientWithTheBrokersPropertiesProducesAndConsumes() throws Exception {
    // given
    String topic = "secured-" + UUID.randomUUID();
    kafka.createTopics(1, topic); // the testkit's own admin client authenticates too

    // when
    try (KafkaProducer<String, String> producer = producer(kafka.clientProperties())) {
      producer.send(new ProducerRecord<>(topic, "k", "v")).get();
    }

    // then
    assertThat(kafka.clientProperties())
        .containsEntry("security.protocol", "SASL_PLAINTEXT")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    assertThat(consume(topic)).containsExactly("k=v");
  }

  @Test
  void aWrongPasswordIsRefusedAsAnAuthenticationFailure() {
    // given
    Map<String, Object> wrong = new HashMap<>(kafka.clientProperties());
    wrong.put(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"cursus\" password=\"not-the-password\";");
    String topic = "secured-" + UUID.randomUUID();
    kafka.createTopics(1, topic);

    // when / then
    try (KafkaProducer<String, String> producer = producer(wrong)) {
      assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "k", "v")).get())
          .satisfiesAnyOf(
              e -> assertThat(e).isInstanceOf(SaslAuthenticationException.class),
              e ->
                  assertThat(e)
                      .isInstanceOf(ExecutionException.class)
                      .hasCauseInstanceOf(SaslAuthenticationException.class));
    }
    assertThat(consume(topic)).isEmpty();
  }

  @Test
  void aClientWithoutSaslIsNotServed() {
    // given: a plain client (no security properties)
    String topic = "secured-" + UUID.randomUUID();
    kafka.createTopics(1, topic);
    Map<String, Object> plain = Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 3_000);

    // when / then: the broker never answers it, so the producer gives up waiting for metadata
    try (KafkaProducer<String, String> producer = producer(plain)) {
      assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "k", "v")).get())
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
    }
    assertThat(consume(topic)).isEmpty();
  }

  @Test
  void thePasswordIsInNeitherTheBrokersLogNorItsDescription() throws Exception {
    assertThat(kafka.toString()).doesNotContain(PASSWORD).contains("SASL");
    assertThat(Files.readString(kafka.logFile())).doesNotContain(PASSWORD);
  }

  private static KafkaProducer<String, String> producer(Map<String, Object> security) {
    Map<String, Object> config = new HashMap<>(security);
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
    return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }

  private static List<String> consume(String topic) {
    Map<String, Object> config = new HashMap<>(kafka.clientProperties());
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "secured-" + UUID.randomUUID());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      List<String> values = new ArrayList<>();
      long deadline = System.currentTimeMillis() + 10_000;
      while (System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          values.add(record.key() + "=" + record.value());
        }
        if (!values.isEmpty()) {
          break;
        }
      }
      return values;
    }
  }
}
