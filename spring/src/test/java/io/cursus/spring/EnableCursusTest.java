package io.cursus.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.HandlesEventsFor;
import io.cursus.api.Initial;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.Version;
import io.cursus.api.bus.EventBus;
import io.cursus.api.evolution.Upcasters;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.memory.InMemoryEventStore;
import io.cursus.api.projection.Projection;
import io.cursus.api.projection.Projections;
import io.cursus.api.store.EventSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;

class EnableCursusTest {

  @HandlesEventsFor("parcel")
  public interface ParcelEvents {
    @Initial
    void receivedAtDepot(StreamTimestamp ts, UUID parcelId, String depotId);

    void delivered(StreamTimestamp ts, UUID parcelId, String destination);
  }

  @CursusHandler
  public static final class Deliveries implements ParcelEvents {
    final List<String> seen = new CopyOnWriteArrayList<>();

    @Override
    public void receivedAtDepot(StreamTimestamp ts, UUID parcelId, String depotId) {}

    @Override
    public void delivered(StreamTimestamp ts, UUID parcelId, String destination) {
      seen.add(parcelId + " -> " + destination);
    }
  }

  /** A user's service: the emitter and the history are injected. */
  public static final class Tracker {
    @Autowired ParcelEvents parcels;
    @Autowired EventSource history;
  }

  @Configuration
  @EnableCursus(emitters = ParcelEvents.class)
  static class App {
    @Bean
    Deliveries deliveries() {
      return new Deliveries();
    }

    @Bean
    Tracker tracker() {
      return new Tracker();
    }
  }

  private static final UUID PARCEL = UUID.fromString("69016fb5-8c5a-4c3a-9d8e-1f2a3b4c5d6e");
  private static final Instant T0 = Instant.parse("2026-03-02T07:00:00Z");

  private static AnnotationConfigApplicationContext context(Map<String, Object> properties) {
    AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
    context
        .getEnvironment()
        .getPropertySources()
        .addFirst(new MapPropertySource("test", properties));
    context.register(App.class);
    context.refresh();
    return context;
  }

  @Test
  void anInjectedEmitterStoresAndNotifiesTheHandlerBean() {
    try (AnnotationConfigApplicationContext context =
        context(Map.of("cursus.idempotency.window", "5m"))) {
      Tracker tracker = context.getBean(Tracker.class);

      tracker.parcels.delivered(
          StreamTimestamp.of("truck", T0.plusSeconds(60)), PARCEL, "Mrs Smith");
      tracker.parcels.receivedAtDepot(StreamTimestamp.of("depot", T0), PARCEL, "Lewisham");
      tracker.parcels.receivedAtDepot(StreamTimestamp.of("depot", T0), PARCEL, "Lewisham");

      List<Event> history = tracker.history.history(AggregateId.of("parcel", PARCEL));
      assertThat(history)
          .extracting(e -> e.type().name())
          .containsExactly("receivedAtDepot", "delivered");
      assertThat(context.getBean(Deliveries.class).seen).containsExactly(PARCEL + " -> Mrs Smith");
      assertThat(context.getBean(CursusProperties.class).idempotencyWindow()).hasMinutes(5);
    }
  }

  @Test
  void aClosedContextRefusesToEmit() {
    AnnotationConfigApplicationContext context = context(Map.of());
    ParcelEvents parcels = context.getBean(ParcelEvents.class);
    context.close();

    assertThatThrownBy(() -> parcels.receivedAtDepot(StreamTimestamp.of("depot", T0), PARCEL, "X"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Cursus is not running");
  }

  @Test
  void aBadStoreKindFailsTheStartNamingThePropertyAndTheAllowedValues() {
    assertThatThrownBy(() -> context(Map.of("cursus.store", "postgres")))
        .rootCause()
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cursus.store must be one of memory, cassandra, was 'postgres'");
  }

  @Test
  void aBadPipelineOrWindowOrSizeFailsTheStart() {
    assertThatThrownBy(() -> context(Map.of("cursus.pipeline", "rabbit")))
        .rootCause()
        .hasMessage("cursus.pipeline must be one of embedded, kafka, was 'rabbit'");
    assertThatThrownBy(() -> context(Map.of("cursus.idempotency.window", "ten minutes")))
        .rootCause()
        .hasMessage(
            "cursus.idempotency.window must be a positive duration such as 10m, 30s, 500ms or"
                + " PT10M, was 'ten minutes'");
    assertThatThrownBy(() -> context(Map.of("cursus.idempotency.max-entries", "-3")))
        .rootCause()
        .hasMessage("cursus.idempotency.max-entries must be a positive integer, was '-3'");
  }

  @Test
  void aMisspeltPropertyFailsTheStart() {
    assertThatThrownBy(() -> context(Map.of("cursus.stor", "memory")))
        .rootCause()
        .hasMessageStartingWith(
            "unknown Cursus property cursus.stor; the known ones are cursus.cassandra.contact-points,")
        .hasMessageContaining(" cursus.store");
  }

  @Test
  void theCassandraStoreWithoutContactPointsOrSessionFailsTheStartNamingTheProperties() {
    assertThatThrownBy(() -> context(Map.of("cursus.store", "cassandra")))
        .rootCause()
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "cursus.store=cassandra needs cursus.cassandra.contact-points and"
                + " cursus.cassandra.local-datacenter, or a CqlSession bean of the application's"
                + " (for credentials, TLS and driver settings)");
    assertThatThrownBy(
            () ->
                context(
                    Map.of(
                        "cursus.store", "cassandra",
                        "cursus.cassandra.contact-points", "127.0.0.1:9042")))
        .rootCause()
        .hasMessage(
            "cursus.cassandra.contact-points needs cursus.cassandra.local-datacenter, the data"
                + " center the driver sends requests to");
  }

  @Test
  void badEngineSettingsFailTheStartNamingPropertyValueAndWhatIsAllowed() {
    assertThatThrownBy(() -> context(Map.of("cursus.cassandra.contact-points", "db1:90x42")))
        .rootCause()
        .hasMessage(
            "cursus.cassandra.contact-points must be a comma-separated list of host:port, was"
                + " 'db1:90x42' (bad entry 'db1:90x42')");
    assertThatThrownBy(() -> context(Map.of("cursus.cassandra.read-consistency", "most")))
        .rootCause()
        .hasMessage(
            "cursus.cassandra.read-consistency must be one of any, one, two, three, quorum, all,"
                + " local_one, local_quorum, each_quorum, was 'most'");
    assertThatThrownBy(() -> context(Map.of("cursus.cassandra.keyspace", "my-events")))
        .rootCause()
        .hasMessage(
            "cursus.cassandra.keyspace must be a letter then up to 47 letters, digits or '_', was"
                + " 'my-events'");
    assertThatThrownBy(() -> context(Map.of("cursus.kafka.consume", "yes")))
        .rootCause()
        .hasMessage("cursus.kafka.consume must be one of true, false, was 'yes'");
    assertThatThrownBy(() -> context(Map.of("cursus.kafka.topic", "parcel events")))
        .rootCause()
        .hasMessage(
            "cursus.kafka.topic must be 1 to 249 letters, digits, '.', '_' or '-', was 'parcel"
                + " events'");
  }

  @Test
  void theKafkaPipelineWithoutBrokersFailsTheStart() {
    assertThatThrownBy(() -> context(Map.of("cursus.pipeline", "kafka")))
        .rootCause()
        .hasMessage(
            "cursus.pipeline=kafka needs cursus.kafka.bootstrap-servers, the brokers as host:port,"
                + " comma separated");
  }

  @Test
  void aHazelcastWindowWithoutMembersOrInstanceFailsTheStart() {
    assertThatThrownBy(() -> context(Map.of("cursus.idempotency.store", "hazelcast")))
        .rootCause()
        .hasMessage(
            "cursus.idempotency.store=hazelcast needs cursus.hazelcast.members (host:port, comma"
                + " separated) or a HazelcastInstance bean of the application's");
  }

  @Configuration
  @EnableCursus(emitters = ParcelEvents.class)
  static class BoardApp {
    final Map<UUID, String> board = new ConcurrentHashMap<>();

    @Bean
    Projection depotBoard() {
      return Projection.states("depot-board", Where.class, ParcelEvents.class)
          .handler(UUID.class, (id, where) -> board.put(id, where.place))
          .build();
    }
  }

  /** Where a parcel is: a state class, rebuilt in event-time order. */
  public static final class Where {
    private String place;

    private Where(String place) {
      this.place = place;
    }

    public static Where receivedAtDepot(StreamTimestamp ts, UUID parcelId, String depotId) {
      return new Where(depotId);
    }

    public void delivered(String destination) {
      place = destination;
    }

    public String place() {
      return place;
    }
  }

  @HandlesEventsFor("box")
  public interface Boxes {
    @Initial
    @Version("2")
    void packed(StreamTimestamp ts, UUID boxId, String packer, String site);
  }

  /** How an older application declared it. */
  @HandlesEventsFor("box")
  public interface BoxesV1 {
    @Initial
    @Version("1")
    void packed(StreamTimestamp ts, UUID boxId, String packer);
  }

  @Configuration
  @EnableCursus(events = Boxes.class)
  static class EvolvedApp {
    @Bean
    Upcasters.Builder upcasters() {
      return Upcasters.builder().addParameter("box", "packed", 1, "site", "unknown");
    }
  }

  @Test
  void anUpcastersBuilderBeanJoinsTheRegistry() {
    AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
    context.register(EvolvedApp.class);
    context.refresh();
    try (context) {
      InMemoryEventStore olderApp = InMemoryEventStore.empty();
      EventBus.to(olderApp::append)
          .emitter(BoxesV1.class)
          .packed(StreamTimestamp.of("bench-1", T0), PARCEL, "Ann");

      EventTypeRegistry registry = context.getBean(EventTypeRegistry.class);
      Event read =
          registry.upcasters().applyTo(olderApp).history(AggregateId.of("box", PARCEL)).get(0);

      assertThat(read.type().version()).isEqualTo("2");
      assertThat(read.parameters().get("site")).isEqualTo("unknown");
    }
  }

  @Test
  void aProjectionBeanStartsWithTheContextAndSeesLateEventsInTheirPlace() throws Exception {
    AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
    context.register(BoardApp.class);
    context.refresh();
    try (context) {
      ParcelEvents parcels = context.getBean(ParcelEvents.class);
      Projections projections = context.getBean(Projections.class);

      parcels.delivered(StreamTimestamp.of("truck", T0.plusSeconds(60)), PARCEL, "Mrs Smith");
      // reported late: it happened before the delivery
      parcels.receivedAtDepot(StreamTimestamp.of("depot", T0), PARCEL, "Lewisham");

      assertThat(projections.awaitCaughtUp("depot-board", Duration.ofSeconds(30))).isTrue();
      assertThat(context.getBean(BoardApp.class).board).containsEntry(PARCEL, "Mrs Smith");
      assertThat(projections.names()).containsExactly("depot-board");
    }
    assertThat(Thread.getAllStackTraces().keySet())
        .extracting(Thread::getName)
        .noneMatch(name -> name.startsWith("cursus-projection-depot-board"));
  }
}
