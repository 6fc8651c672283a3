package io.cursus.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.HandlesEventsFor;
import io.cursus.api.Initial;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.store.EventSource;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
        .hasMessage("cursus.store must be one of memory, was 'postgres'");
  }

  @Test
  void aBadPipelineOrWindowOrSizeFailsTheStart() {
    assertThatThrownBy(() -> context(Map.of("cursus.pipeline", "rabbit")))
        .rootCause()
        .hasMessage("cursus.pipeline must be one of embedded, was 'rabbit'");
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
        .hasMessage(
            "unknown Cursus property cursus.stor; the known ones are cursus.idempotency.max-entries,"
                + " cursus.idempotency.window, cursus.pipeline, cursus.store");
  }
}
