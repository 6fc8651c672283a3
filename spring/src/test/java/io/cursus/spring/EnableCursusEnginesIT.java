package io.cursus.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.api.AggregateId;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.projection.Projection;
import io.cursus.api.projection.ProjectionStatus;
import io.cursus.api.projection.Projections;
import io.cursus.api.store.EventIndex;
import io.cursus.api.store.EventSource;
import io.cursus.api.store.EventStore;
import io.cursus.spring.EnableCursusTest.Deliveries;
import io.cursus.spring.EnableCursusTest.ParcelEvents;
import io.cursus.spring.EnableCursusTest.Where;
import io.cursus.testkit.CassandraCluster;
import io.cursus.testkit.Engines;
import io.cursus.testkit.HazelcastMembers;
import io.cursus.testkit.KafkaBroker;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;

/**
 * {@code @EnableCursus} on the real stack the testkit starts: the Cassandra store and index, the
 * Kafka pipeline and consumer, the Hazelcast idempotency window, and a projection bean reading the
 * topic with its checkpoints in Cassandra, all from properties.
 */
class EnableCursusEnginesIT {

  @Configuration
  @EnableCursus(emitters = ParcelEvents.class)
  static class App {
    final Map<UUID, String> board = new ConcurrentHashMap<>();

    @Bean
    Deliveries deliveries() {
      return new Deliveries();
    }

    @Bean
    Projection depotBoard() {
      return Projection.states("depot-board", Where.class, ParcelEvents.class)
          .handler(UUID.class, (id, where) -> board.put(id, where.place()))
          .build();
    }
  }

  @Test
  void anEmitThroughKafkaIsStoredInCassandraIndexedAndHandledThenCloseLeavesNothingRunning()
      throws Exception {
    CassandraCluster cassandra = Engines.cassandra();
    KafkaBroker kafka = Engines.kafka();
    HazelcastMembers hazelcast = Engines.hazelcast();
    String run = UUID.randomUUID().toString().substring(0, 8);
    String topic = "spring-parcels-" + run;
    kafka.createTopics(3, topic, topic + ".dlq");
    InetSocketAddress contact = cassandra.contactPoint();
    Map<String, Object> properties = new HashMap<>();
    properties.put("cursus.store", "cassandra");
    properties.put(
        "cursus.cassandra.contact-points", contact.getHostString() + ":" + contact.getPort());
    properties.put("cursus.cassandra.local-datacenter", cassandra.localDatacenter());
    properties.put("cursus.cassandra.keyspace", "cursus_spring_" + run);
    properties.put("cursus.cassandra.read-consistency", "one");
    properties.put("cursus.cassandra.write-consistency", "one");
    properties.put("cursus.pipeline", "kafka");
    properties.put("cursus.kafka.bootstrap-servers", kafka.bootstrapServers());
    properties.put("cursus.kafka.topic", topic);
    properties.put("cursus.kafka.group", "spring-store-" + run);
    properties.put("cursus.idempotency.store", "hazelcast");
    properties.put("cursus.hazelcast.members", String.join(",", hazelcast.addresses()));
    properties.put("cursus.hazelcast.cluster-name", hazelcast.clusterName());
    properties.put("cursus.hazelcast.map", "spring-idempotency-" + run);

    Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
    AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
    context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("it", properties));
    context.register(App.class);
    context.refresh();
    UUID parcel = UUID.randomUUID();
    Instant t0 = Instant.parse("2026-03-02T07:00:00Z");
    try (context) {
      ParcelEvents parcels = context.getBean(ParcelEvents.class);
      Deliveries deliveries = context.getBean(Deliveries.class);

      // when: the delivery is emitted before the receipt that happened earlier, and a repeat
      parcels.delivered(StreamTimestamp.of("truck", t0.plusSeconds(60)), parcel, "Mrs Smith");
      parcels.receivedAtDepot(StreamTimestamp.of("depot", t0), parcel, "Lewisham");
      parcels.receivedAtDepot(StreamTimestamp.of("depot", t0), parcel, "Lewisham");

      // then: the consumer stored both, in event-time order, and notified the handler once
      EventSource history = context.getBean(EventStore.class);
      AggregateId id = AggregateId.of("parcel", parcel);
      await(() -> history.history(id).size() == 2 && deliveries.seen.size() == 1);
      assertThat(history.history(id))
          .extracting(e -> e.type().name())
          .containsExactly("receivedAtDepot", "delivered");
      assertThat(deliveries.seen).containsExactly(parcel + " -> Mrs Smith");
      assertThat(context.getBean(EventIndex.class).find("parcel", "destination", "Mrs Smith"))
          .containsExactly(id);
      assertThat(context.getBean(EventStore.class).getClass().getSimpleName())
          .isEqualTo("CassandraEventStore");

      // then: the projection bean, reading the topic, holds the state in event-time order
      await(() -> "Mrs Smith".equals(context.getBean(App.class).board.get(parcel)));
      assertThat(context.getBean(App.class).board).containsEntry(parcel, "Mrs Smith");
      Projections projections = context.getBean(Projections.class);
      await(() -> projections.status("depot-board").phase() == ProjectionStatus.Phase.LIVE);
      assertThat(projections.status("depot-board").phase()).isEqualTo(ProjectionStatus.Phase.LIVE);
    }

    // then: closing the context stopped the consumer and closed the session, the producer and
    // the Hazelcast client (their threads end; the driver's after its quiet period)
    String members = hazelcast.clusterName();
    await(() -> startedSince(before, members).isEmpty());
    assertThat(startedSince(before, members)).isEmpty();
  }

  private static List<String> startedSince(Set<Thread> before, String hazelcastMembers) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !before.contains(t) && t.isAlive())
        .map(Thread::getName)
        // not the context's: the JVM's, and the pooled threads of the testkit's Hazelcast members,
        // which run in this JVM and serve the context's client ("hz.client_..." is the client's)
        .filter(name -> !name.startsWith("ForkJoinPool") && !name.equals("process reaper"))
        .filter(name -> !name.startsWith("hz.") || name.startsWith("hz.client"))
        .filter(name -> !name.startsWith(hazelcastMembers))
        .sorted()
        .collect(Collectors.toList());
  }

  private static void await(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }
}
