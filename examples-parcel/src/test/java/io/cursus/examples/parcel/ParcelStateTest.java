package io.cursus.examples.parcel;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.api.StreamTimestamp;
import io.cursus.api.Timestamped;
import io.cursus.api.state.StateBuilder;
import io.cursus.fixture.EventFixture;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The parcel's state, given/when/then with the test fixture on the embedded default. */
class ParcelStateTest {

  private static final StateBuilder<ParcelState> PARCEL =
      StateBuilder.of(ParcelState.class, ParcelEvents.class);
  private static final UUID PARCEL_ID = UUID.fromString("69016fb5-8c5a-4c3a-9d8e-1f2a3b4c5d6e");
  private static final Instant MORNING = Instant.parse("2026-03-02T07:00:00Z");

  private static StreamTimestamp depot(int hour) {
    return StreamTimestamp.of("depot", MORNING.plusSeconds(3600L * hour));
  }

  private static StreamTimestamp truck(int hour) {
    return StreamTimestamp.of("truck", MORNING.plusSeconds(3600L * hour));
  }

  @Test
  void aDeliveryReportedByTheTruckEndsTheTrail() {
    EventFixture.create()
        .given(
            ParcelEvents.class,
            parcels -> {
              parcels.loadedOntoTruck(depot(1), PARCEL_ID, "J98 257");
              parcels.receivedAtDepot(depot(0), PARCEL_ID, "Lewisham");
            })
        // the truck speaks Kotlin: the same event, declared by the sealed class ParcelEvent
        .whenArrives(
            PARCEL_ID,
            Timestamped.of(truck(3), new ParcelEvent.Delivered("Mrs Smith", "Mrs Smith")))
        .thenState(
            PARCEL,
            parcel -> {
              assertThat(parcel.location()).isEqualTo("Mrs Smith");
              assertThat(parcel)
                  .hasToString("delivered to Mrs Smith (trail: Lewisham -> J98 257 -> Mrs Smith)");
            })
        .thenNothingEmitted();
  }

  @Test
  void aLateDepotScanDoesNotUndoTheDelivery() {
    EventFixture.create()
        .given(
            ParcelEvents.class,
            parcels -> {
              parcels.receivedAtDepot(depot(0), PARCEL_ID, "Lewisham");
              parcels.loadedOntoTruck(depot(1), PARCEL_ID, "J98 257");
              parcels.delivered(truck(3), PARCEL_ID, "Mrs Smith", "Mrs Smith");
            })
        // the depot's scan of the parcel arriving at Greenwich reaches us after the delivery
        .whenArrives(
            ParcelEvents.class, parcels -> parcels.arrivedAtDepot(depot(2), PARCEL_ID, "Greenwich"))
        .thenState(
            PARCEL,
            parcel ->
                assertThat(parcel)
                    .hasToString(
                        "delivered to Mrs Smith"
                            + " (trail: Lewisham -> J98 257 -> Greenwich -> Mrs Smith)"));
  }
}
