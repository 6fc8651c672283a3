package io.cursus.kotlin

import io.cursus.api.StreamTimestamp
import io.cursus.fixture.EventFixture
import io.cursus.kotlin.ParcelEvent.ArrivedAtDepot
import io.cursus.kotlin.ParcelEvent.Delivered
import io.cursus.kotlin.ParcelEvent.LoadedOntoTruck
import io.cursus.kotlin.ParcelEvent.ReceivedAtDepot
import java.time.Instant
import java.util.UUID
import kotlin.time.Duration.Companion.hours
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatThrownBy
import org.junit.jupiter.api.Test

/** The test fixture from Kotlin: sealed-class events with `at`, state from a `stateFold`. */
class EventFixtureKotlinTest {

  data class Parcel(val location: String, val delivered: Boolean = false)

  private val parcelState =
    stateFold<ParcelEvent, Parcel>(
      { first -> Parcel((first.event as ReceivedAtDepot).depotId) },
      { parcel, next ->
        when (val event = next.event) {
          is ReceivedAtDepot -> parcel
          is LoadedOntoTruck -> parcel.copy(location = event.truckId)
          is ArrivedAtDepot -> parcel.copy(location = event.depotId)
          is Delivered -> Parcel(event.destinationId, delivered = true)
          ParcelEvent.DeliveryFailed -> parcel
        }
      },
    )

  private val parcelId = UUID.fromString("3f0c1d2e-1111-4000-8000-000000000042")
  private val start = StreamTimestamp.of("depot", Instant.parse("2026-03-02T07:00:00Z"))

  @Test
  fun aLateDepotScanTakesItsPlaceBeforeTheDelivery() {
    EventFixture.create()
      .given(
        parcelId,
        Delivered("Mrs Smith") at start + 5.hours,
        ReceivedAtDepot("Lewisham") at start,
      )
      .whenArrives(parcelId, ArrivedAtDepot("Greenwich") at start + 2.hours)
      .thenStateIs(parcelState, Parcel("Mrs Smith", delivered = true))
      .thenNothingEmitted()
  }

  @Test
  fun aWrongExpectationPrintsTheHistoryInEventTimeOrder() {
    val then =
      EventFixture.create()
        .given(parcelId, LoadedOntoTruck("J98 257") at start + 1.hours)
        .and(parcelId, ReceivedAtDepot("Lewisham") at start)
        .whenArrives(parcelId, ArrivedAtDepot("Greenwich") at start + 2.hours)

    assertThatThrownBy { then.thenStateIs(parcelState, Parcel("Lewisham")) }
      .isInstanceOf(AssertionError::class.java)
      .hasMessageContaining("expected state: Parcel(location=Lewisham, delivered=false)")
      .hasMessageContaining("actual state: Parcel(location=Greenwich, delivered=false)")
      .hasMessageMatching(
        "(?s).*history of parcel/$parcelId \\(event-time order\\):" +
          "\\n  receivedAtDepot_1 .*\\n  loadedOntoTruck_1 .*\\n  arrivedAtDepot_1 .*"
      )
    assertThat(then.history().map { it.type().name() })
      .containsExactly("receivedAtDepot", "loadedOntoTruck", "arrivedAtDepot")
  }
}
