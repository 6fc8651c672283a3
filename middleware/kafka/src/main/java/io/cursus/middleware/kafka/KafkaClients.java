package io.cursus.middleware.kafka;

import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Makes the Kafka clients of a {@link KafkaEventConsumer} from their configuration: the real ones
 * by default, Kafka's {@code MockConsumer} and {@code MockProducer} in unit tests. The consumer
 * closes both when its loop ends.
 */
interface KafkaClients {

  /** The real Kafka clients, with byte-array (de)serialisers. */
  KafkaClients REAL =
      new KafkaClients() {
        @Override
        public Consumer<byte[], byte[]> consumer(Map<String, Object> config) {
          return new KafkaConsumer<>(
              config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }

        @Override
        public Producer<byte[], byte[]> producer(Map<String, Object> config) {
          return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        }
      };

  /** The group member that reads the topic. */
  Consumer<byte[], byte[]> consumer(Map<String, Object> config);

  /** The producer that writes to the dead-letter topic. */
  Producer<byte[], byte[]> producer(Map<String, Object> config);
}
