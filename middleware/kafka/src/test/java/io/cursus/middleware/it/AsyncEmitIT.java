package io.cursus.middleware.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.CursusException;
import io.cursus.api.Event;
import io.cursus.api.Parameters;
import io.cursus.api.bus.EventBus;
import io.cursus.api.fixtures.ParcelEvents;
import io.cursus.middleware.IdempotencyFilter;
import io.cursus.middleware.PipelineException;
import io.cursus.middleware.Pipelines;
import io.cursus.middleware.fixtures.Parcels;
import io.cursus.middleware.kafka.KafkaEventSink;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

class AsyncEmitIT {

  @Test
  void manyEmitsInFlightFromOneThreadAreAllAcknowledgedInEachAggregatesOrder() throws Exception {
    // given: an asynchronous bus over the producer pipeline, and 500 parcels whose journeys are
    // emitted interleaved and out of event-time order (3rd, 1st, 0th, 2nd event of each)
    String topic = SharedEngines.freshTopic("async", 4);
    List<List<Event>> journeys = new ArrayList<>();
    for (int p = 0; p < 500; p++) {
      journeys.add(Parcels.journey(UUID.randomUUID(), "async"));
    }
    int[] order = {3, 1, 0, 2};
    try (KafkaEventSink sink = SharedEngines.sink(topic)) {
      // tag::async-bus[]
      EventBus bus =
          EventBus.toAsync(
              Pipelines.asyncProducer(
                      Parcels.REGISTRY,
                      IdempotencyFilter.inMemory(100_000, Duration.ofMinutes(10)),
                      sink::send)
                  .buildAsync());
      // end::async-bus[]

      // when: 2,000 emits, none waited for until all are in flight
      List<CompletableFuture<Void>> acknowledged = new ArrayList<>();
      for (int step : order) {
        for (List<Event> journey : journeys) {
          acknowledged.add(bus.dispatchAsync(journey.get(step)));
        }
      }
      CompletableFuture.allOf(acknowledged.toArray(CompletableFuture[]::new))
          .get(60, TimeUnit.SECONDS);

      // then: every future completed normally, and the topic holds every event once, each
      // aggregate's in the order of the calls
      assertThat(acknowledged).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
      Map<String, List<String>> read = readAll(topic, 2_000);
      assertThat(read).hasSize(500);
      for (List<Event> journey : journeys) {
        List<String> expected = new ArrayList<>();
        for (int step : order) {
          expected.add(journey.get(step).identity().toString());
        }
        assertThat(read.get(KafkaEventSink.keyOf(journey.get(0))))
            .as("events of %s in Kafka", journey.get(0).aggregateId())
            .isEqualTo(expected);
      }
    }
  }

  @Test
  void anEmitThroughTypedInterfacesCompletesWhenKafkaAcknowledgedIt() throws Exception {
    // given
    String topic = SharedEngines.freshTopic("async-typed", 1);
    UUID parcel = UUID.randomUUID();
    try (KafkaEventSink sink = SharedEngines.sink(topic)) {
      EventBus bus =
          EventBus.toAsync(
              Pipelines.asyncProducer(
                      Parcels.REGISTRY,
                      IdempotencyFilter.inMemory(1_000, Duration.ofMinutes(10)),
                      sink::send)
                  .buildAsync());
      Event received = Parcels.one(parcel);

      // when
      // tag::async-emit[]
      CompletableFuture<Void> acknowledged =
          bus.batchAsync(
              b ->
                  b.emitter(ParcelEvents.class)
                      .receivedAtDepot(received.timestamp(), parcel, "Lewisham"));
      // end::async-emit[]
      acknowledged.get(30, TimeUnit.SECONDS);

      // then: it is in the topic by the time the future completed
      Map<String, List<String>> read = readAll(topic, 1);
      assertThat(read.get(KafkaEventSink.keyOf(received)))
          .containsExactly(received.identity().toString());
    }
  }

  @Test
  void anInvalidEventIsRefusedAtTheCallAndNothingIsSent() throws Exception {
    // given
    String topic = SharedEngines.freshTopic("async-invalid", 1);
    try (KafkaEventSink sink = SharedEngines.sink(topic)) {
      EventBus bus =
          EventBus.toAsync(
              Pipelines.asyncProducer(
                      Parcels.REGISTRY,
                      IdempotencyFilter.inMemory(1_000, Duration.ofMinutes(10)),
                      sink::send)
                  .buildAsync());
      Event good = Parcels.one(UUID.randomUUID());
      Event wrongType =
          Event.of(
              good.aggregateId(),
              good.timestamp(),
              good.type(),
              Parameters.builder().add("depotId", 42).build());

      // when / then: thrown by the call, not hidden in a future
      assertThatThrownBy(() -> bus.dispatchAsync(wrongType))
          .isInstanceOfSatisfying(
              PipelineException.class, e -> assertThat(e.stage()).isEqualTo("validate"))
          .hasRootCauseInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("depotId");
      bus.dispatchAsync(good).get(30, TimeUnit.SECONDS);
      assertThat(readAll(topic, 1).values()).containsExactly(List.of(good.identity().toString()));
    }
  }

  @Test
  void anEventKafkaRefusesFailsTheFutureNonTransientlyNamingKafkasLimit() throws Exception {
    // given: a producer whose requests may not exceed 200 bytes, less than one event
    String topic = SharedEngines.freshTopic("async-refused", 1);
    try (KafkaEventSink sink =
        KafkaEventSink.builder(SharedEngines.kafka().bootstrapServers(), topic, SharedEngines.JSON)
            .property("max.request.size", 200)
            .build()) {
      EventBus bus =
          EventBus.toAsync(
              Pipelines.asyncProducer(
                      Parcels.REGISTRY,
                      IdempotencyFilter.inMemory(1_000, Duration.ofMinutes(10)),
                      sink::send)
                  .buildAsync());
      Event event = Parcels.one(UUID.randomUUID());

      // when
      CompletableFuture<Void> acknowledged = bus.dispatchAsync(event);

      // then
      assertThatThrownBy(() -> acknowledged.get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOfSatisfying(
              PipelineException.class,
              e -> {
                assertThat(e.stage()).isEqualTo("kafka");
                assertThat(e.isTransient()).isFalse();
              })
          .hasMessageContaining("did not acknowledge 1 of 1 events sent to topic " + topic)
          .hasMessageContaining("refused it as too large")
          .hasMessageContaining("max.request.size");
      // and the identity is forgotten, so the same event is tried again rather than dropped
      CompletableFuture<Void> again = bus.dispatchAsync(event);
      assertThatThrownBy(() -> again.get(30, TimeUnit.SECONDS))
          .hasMessageContaining("refused it as too large");
    }
  }

  @Test
  void anUnreachableBrokerFailsTheFutureTransientlyWithinTheTimeouts() throws Exception {
    // given: a sink pointed at a port nobody listens on
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    try (KafkaEventSink sink =
        KafkaEventSink.builder("127.0.0.1:" + port, "nowhere", SharedEngines.JSON)
            .maxBlock(Duration.ofSeconds(1))
            .requestTimeout(Duration.ofSeconds(1))
            .deliveryTimeout(Duration.ofSeconds(2))
            .ackTimeout(Duration.ofSeconds(3))
            .build()) {
      EventBus bus =
          EventBus.toAsync(
              Pipelines.asyncProducer(
                      Parcels.REGISTRY,
                      IdempotencyFilter.inMemory(1_000, Duration.ofMinutes(10)),
                      sink::send)
                  .buildAsync());
      List<Event> journey = Parcels.journey(UUID.randomUUID(), "nowhere");

      // when
      CompletableFuture<Void> acknowledged = bus.dispatchAsync(journey);

      // then
      assertThatThrownBy(() -> acknowledged.get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOfSatisfying(CursusException.class, e -> assertThat(e.isTransient()).isTrue())
          .hasMessageContaining("did not acknowledge 4 of 4 events sent to topic nowhere")
          .hasMessageContaining("the first is " + journey.get(0))
          .hasMessageContaining("the producer gave up waiting for the broker");
    }
  }

  /** The identities in {@code topic}, per record key in offset order; waits for {@code count}. */
  private static Map<String, List<String>> readAll(String topic, int count) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedEngines.kafka().bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "read-" + UUID.randomUUID());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    Map<String, List<String>> byKey = new HashMap<>();
    int read = 0;
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (read < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          byKey
              .computeIfAbsent(record.key(), k -> new ArrayList<>())
              .add(SharedEngines.JSON.read(record.value()).identity().toString());
          read++;
        }
      }
      // anything beyond the expected count would be a duplicate: read a little longer
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
        byKey
            .computeIfAbsent(record.key(), k -> new ArrayList<>())
            .add(SharedEngines.JSON.read(record.value()).identity().toString());
        read++;
      }
    }
    assertThat(read).as("records read from %s", topic).isEqualTo(count);
    return byKey;
  }
}
