package io.cursus.api.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.EventType;
import io.cursus.api.HandlesEventsFor;
import io.cursus.api.Initial;
import io.cursus.api.Parameters;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.bus.EventBus;
import io.cursus.api.mapping.EventHandlingException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How {@link StateBuilder} calls state methods: every arity, checked exceptions, bad values. */
class StateMethodCallsTest {

  private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

  @HandlesEventsFor("shipment")
  public interface ShipmentEvents {
    @Initial
    void booked(
        StreamTimestamp ts,
        long shipmentId,
        String from,
        String to,
        int parcels,
        Optional<String> note,
        List<String> tags);

    void weighed(StreamTimestamp ts, long shipmentId, int grams);

    void audited(StreamTimestamp ts, long shipmentId, String by);
  }

  /** A factory of seven arguments (called through an array) and updates of one and two. */
  public static final class Shipment {
    final long id;
    final String route;
    final int parcels;
    final Optional<String> note;
    final List<String> tags;
    int grams;

    private Shipment(long id, String route, int parcels, Optional<String> note, List<String> tags) {
      this.id = id;
      this.route = route;
      this.parcels = parcels;
      this.note = note;
      this.tags = tags;
    }

    public static Shipment booked(
        StreamTimestamp ts,
        long shipmentId,
        String from,
        String to,
        int parcels,
        Optional<String> note,
        List<String> tags) {
      return new Shipment(shipmentId, from + "->" + to, parcels, note, tags);
    }

    public Shipment weighed(StreamTimestamp ts, int grams) {
      this.grams += grams;
      return this;
    }

    @SuppressWarnings("DoNotCallSuggester") // a state method that fails, on purpose
    public void audited(String by) throws IOException {
      throw new IOException("audit log unavailable for " + by);
    }
  }

  private static List<Event> history(boolean audited) {
    List<Event> events = new ArrayList<>();
    ShipmentEvents shipment = EventBus.to(events::addAll).emitter(ShipmentEvents.class);
    shipment.booked(
        StreamTimestamp.of(T0), 42L, "Lewisham", "Croydon", 3, Optional.empty(), List.of("cold"));
    shipment.weighed(StreamTimestamp.of(T0.plusSeconds(1)), 42L, 1200);
    shipment.weighed(StreamTimestamp.of(T0.plusSeconds(2)), 42L, 800);
    if (audited) {
      shipment.audited(StreamTimestamp.of(T0.plusSeconds(3)), 42L, "inspector");
    }
    return events;
  }

  @Test
  void callsMethodsOfEveryArityWithTheAggregateIdInItsDeclaredType() {
    Shipment shipment =
        StateBuilder.of(Shipment.class, ShipmentEvents.class).build(history(false)).orElseThrow();

    assertThat(shipment.id).isEqualTo(42L);
    assertThat(shipment.route).isEqualTo("Lewisham->Croydon");
    assertThat(shipment.parcels).isEqualTo(3);
    assertThat(shipment.note).isEmpty();
    assertThat(shipment.tags).containsExactly("cold");
    assertThat(shipment.grams).isEqualTo(2000);
  }

  @Test
  void aCheckedExceptionOfAStateMethodIsWrappedNamingTheMethodAndEvent() {
    StateBuilder<Shipment> builder = StateBuilder.of(Shipment.class, ShipmentEvents.class);

    assertThatThrownBy(() -> builder.build(history(true)))
        .isInstanceOf(EventHandlingException.class)
        .hasMessageContaining("Shipment.audited threw java.io.IOException")
        .hasMessageContaining("audit log unavailable for inspector")
        .hasCauseInstanceOf(IOException.class);
  }

  @Test
  void aValueOfTheWrongTypeIsRefusedNamingTheParameterAndTheAggregate() {
    List<Event> events = new ArrayList<>(history(false));
    events.add(
        Event.of(
            AggregateId.of("shipment", 42L),
            StreamTimestamp.of(T0.plusSeconds(5)),
            EventType.of("shipment", "weighed"),
            Parameters.of("grams", "heavy")));

    assertThatThrownBy(() -> StateBuilder.of(Shipment.class, ShipmentEvents.class).build(events))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("parameter 'grams'")
        .hasMessageContaining("shipment/42")
        .hasMessageContaining("java.lang.String")
        .hasMessageContaining("int");
  }

  @Test
  void aMissingParameterIsRefusedNamingIt() {
    List<Event> events = new ArrayList<>(history(false));
    events.add(
        Event.of(
            AggregateId.of("shipment", 42L),
            StreamTimestamp.of(T0.plusSeconds(5)),
            EventType.of("shipment", "weighed"),
            Parameters.of("kilos", 3)));

    assertThatThrownBy(() -> StateBuilder.of(Shipment.class, ShipmentEvents.class).build(events))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has no parameter 'grams'")
        .hasMessageContaining("[kilos]");
  }
}
