package io.cursus.middleware.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.TransientCursusException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class DeadLetterPublisherTest {

  private final ConsumerRecord<byte[], byte[]> record =
      new ConsumerRecord<>("parcels", 3, 42L, utf8("parcel-1"), utf8("{not json"));

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String header(Headers headers, String name) {
    return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  @Test
  void writesTheOriginalKeyAndValueWithHeadersSayingWhyAndWhereFrom() {
    // given
    MockProducer<byte[], byte[]> producer =
        new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    DeadLetterPublisher publisher =
        new DeadLetterPublisher(producer, "parcels.dlq", Duration.ofSeconds(1));

    // when
    publisher.publish(record, "MALFORMED", "unexpected end of input");

    // then
    assertThat(producer.history()).hasSize(1);
    ProducerRecord<byte[], byte[]> dead = producer.history().get(0);
    assertThat(dead.topic()).isEqualTo("parcels.dlq");
    assertThat(dead.key()).isEqualTo(record.key());
    assertThat(dead.value()).isEqualTo(record.value());
    assertThat(header(dead.headers(), KafkaEventConsumer.REASON_HEADER)).isEqualTo("MALFORMED");
    assertThat(header(dead.headers(), KafkaEventConsumer.ERROR_HEADER))
        .isEqualTo("unexpected end of input");
    assertThat(header(dead.headers(), KafkaEventConsumer.TOPIC_HEADER)).isEqualTo("parcels");
    assertThat(header(dead.headers(), KafkaEventConsumer.PARTITION_HEADER)).isEqualTo("3");
    assertThat(header(dead.headers(), KafkaEventConsumer.OFFSET_HEADER)).isEqualTo("42");
  }

  @Test
  void writesAnEmptyErrorWhenThereIsNoMessage() {
    // given
    MockProducer<byte[], byte[]> producer =
        new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    DeadLetterPublisher publisher =
        new DeadLetterPublisher(producer, "parcels.dlq", Duration.ofSeconds(1));

    // when
    publisher.publish(record, KafkaEventConsumer.HANDLER_FAILED, null);

    // then
    assertThat(header(producer.history().get(0).headers(), KafkaEventConsumer.ERROR_HEADER))
        .isEmpty();
  }

  @Test
  void aRefusedWriteIsTransientAndNamesTheRecordAndTheTopic() {
    // given
    MockProducer<byte[], byte[]> producer =
        new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    producer.sendException = new KafkaException("broker down");
    DeadLetterPublisher publisher =
        new DeadLetterPublisher(producer, "parcels.dlq", Duration.ofSeconds(5));

    // when / then
    assertThatThrownBy(() -> publisher.publish(record, "MALFORMED", "bad"))
        .isInstanceOf(TransientCursusException.class)
        .hasMessageContaining("parcels-3@42")
        .hasMessageContaining("parcels.dlq")
        .hasRootCauseMessage("broker down");
  }

  @Test
  void aWriteThatIsNotAcknowledgedInTimeIsTransient() {
    // given
    MockProducer<byte[], byte[]> producer =
        new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    DeadLetterPublisher publisher =
        new DeadLetterPublisher(producer, "parcels.dlq", Duration.ofMillis(1));

    // when / then
    assertThatThrownBy(() -> publisher.publish(record, "MALFORMED", "bad"))
        .isInstanceOf(TransientCursusException.class)
        .hasMessageContaining("cannot write record parcels-3@42 (MALFORMED) to parcels.dlq");
  }
}
