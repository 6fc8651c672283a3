package io.cursus.middleware.kafka;

import static io.cursus.middleware.kafka.KafkaEventConsumer.ERROR_HEADER;
import static io.cursus.middleware.kafka.KafkaEventConsumer.OFFSET_HEADER;
import static io.cursus.middleware.kafka.KafkaEventConsumer.PARTITION_HEADER;
import static io.cursus.middleware.kafka.KafkaEventConsumer.REASON_HEADER;
import static io.cursus.middleware.kafka.KafkaEventConsumer.TOPIC_HEADER;

import io.cursus.api.TransientCursusException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a consumed record to the dead-letter topic with its original key and value and the {@code
 * cursus.dlq.*} headers, and waits for the acknowledgement. Does not own the producer.
 */
final class DeadLetterPublisher {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaEventConsumer.class);

  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final Duration timeout;

  DeadLetterPublisher(Producer<byte[], byte[]> producer, String topic, Duration timeout) {
    this.producer = producer;
    this.topic = topic;
    this.timeout = timeout;
  }

  /**
   * Writes {@code record} to the dead-letter topic with {@code reason} and {@code error} (empty if
   * null) and returns once it is acknowledged.
   *
   * @throws TransientCursusException if the write fails, is not acknowledged within the timeout, or
   *     the thread is interrupted (the flag stays set): the caller retries later
   */
  void publish(ConsumerRecord<byte[], byte[]> record, String reason, @Nullable String error) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(REASON_HEADER, utf8(reason));
    headers.add(ERROR_HEADER, utf8(error == null ? "" : error));
    headers.add(TOPIC_HEADER, utf8(record.topic()));
    headers.add(PARTITION_HEADER, utf8(Integer.toString(record.partition())));
    headers.add(OFFSET_HEADER, utf8(Long.toString(record.offset())));
    ProducerRecord<byte[], byte[]> dead =
        new ProducerRecord<>(topic, null, record.key(), record.value(), headers);
    String where = record.topic() + "-" + record.partition() + "@" + record.offset();
    try {
      producer.send(dead).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      throw new TransientCursusException(
          "cannot write record " + where + " (" + reason + ") to " + topic, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransientCursusException(
          "interrupted writing record " + where + " (" + reason + ") to " + topic, e);
    }
    LOG.warn(
        "consumer of {}: {} dead-lettered to {} ({}): {}",
        record.topic(),
        where,
        topic,
        reason,
        error);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
