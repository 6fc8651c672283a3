package io.cursus.kotlin

import io.cursus.api.StreamTimestamp
import io.cursus.api.Timestamped
import io.cursus.api.bus.EventBus
import io.cursus.api.memory.InMemoryEventStore
import io.cursus.api.store.HistoryOrder
import io.cursus.kotlin.ParcelEvent.ArrivedAtDepot
import io.cursus.kotlin.ParcelEvent.Delivered
import io.cursus.kotlin.ParcelEvent.DeliveryFailed
import io.cursus.kotlin.ParcelEvent.LoadedOntoTruck
import io.cursus.kotlin.ParcelEvent.ReceivedAtDepot
import java.time.Instant
import java.util.UUID
import kotlin.time.Duration.Companion.days
import kotlin.time.Duration.Companion.hours
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test

class ReplayAndStateTest {

  // docs:state
  data class Parcel(val location: String, val delivered: Boolean = false, val moves: Int = 0)

  private val parcelState =
    stateFold<ParcelEvent, Parcel>(
      create = { first -> Parcel((first.event as ReceivedAtDepot).depotId) },
      update = { parcel, next ->
        when (val e = next.event) {
          is ReceivedAtDepot -> parcel.copy(location = e.depotId)
          is LoadedOntoTruck -> parcel.copy(location = e.truckId, moves = parcel.moves + 1)
          is ArrivedAtDepot -> parcel.copy(location = e.depotId, moves = parcel.moves + 1)
          is Delivered -> parcel.copy(location = e.destinationId, delivered = true)
          DeliveryFailed -> parcel
        }
      },
    )
  // docs:end

  private val store = InMemoryEventStore.empty()
  private val eventBus = EventBus.writingTo(store)
  private val parcelId = UUID.fromString("69016fb5-1d6a-4e2c-9a2e-2b1f4c1c0a01")
  private val start = StreamTimestamp.of("depot-1", Instant.parse("2026-03-01T09:00:00Z"))

  private fun dispatchJourney() {
    eventBus.dispatchTo(
      parcelId,
      Delivered("SE13 5AB") at start + 3.days,
      LoadedOntoTruck("J98 257") at start + 1.days,
      ReceivedAtDepot("Lewisham") at start,
      ArrivedAtDepot("Croydon") at start + 2.days,
    )
  }

  @Test
  fun replayHandsEachEventToAnExhaustiveWhen() {
    dispatchJourney()
    val seen = mutableListOf<String>()

    // docs:replay
    store.replay<ParcelEvent>(parcelId) { timestamped ->
      val line =
        when (val e = timestamped.event) {
          is ReceivedAtDepot -> "received at ${e.depotId}"
          is LoadedOntoTruck -> "loaded onto ${e.truckId}"
          is ArrivedAtDepot -> "arrived at ${e.depotId}"
          is Delivered -> "delivered to ${e.destinationId}"
          DeliveryFailed -> "delivery failed"
        }
      seen += "${timestamped.eventTime}: $line"
    }
    // docs:end

    assertThat(seen)
      .containsExactly(
        "2026-03-01T09:00:00Z: received at Lewisham",
        "2026-03-02T09:00:00Z: loaded onto J98 257",
        "2026-03-03T09:00:00Z: arrived at Croydon",
        "2026-03-04T09:00:00Z: delivered to SE13 5AB",
      )
  }

  @Test
  fun replayTakesTheSameArgumentsAsHistory() {
    dispatchJourney()
    val seen = mutableListOf<ParcelEvent>()

    store.replay<ParcelEvent>(parcelId, order = HistoryOrder.DESCENDING) { seen += it.event }

    assertThat(seen).isEqualTo(store.history<ParcelEvent>(parcelId).map { it.event }.reversed())
  }

  @Test
  fun stateIsFoldedFromPureTransitionsAndCanBeAskedForAnEarlierInstant() {
    dispatchJourney()

    // docs:time-travel
    val now = parcelState.stateOf(store, parcelId)
    val onTheSecondDay = parcelState.stateOf(store, parcelId, asOf = (start + 1.days).timestamp())
    val beforeItArrived = parcelState.stateOf(store, parcelId, asOf = (start - 1.hours).timestamp())
    // docs:end

    assertThat(now).isEqualTo(Parcel("SE13 5AB", delivered = true, moves = 2))
    assertThat(onTheSecondDay).isEqualTo(Parcel("J98 257", moves = 1))
    assertThat(beforeItArrived).isNull()
  }

  @Test
  fun foldStateOnATypedHistoryAgreesWithTheStoreAndSkipsEventsBeforeTheInitialOne() {
    val history: List<Timestamped<ParcelEvent>> =
      listOf(
        LoadedOntoTruck("lost and found") at start - 1.days, // before the initial event: skipped
        ArrivedAtDepot("Croydon") at start + 2.days,
        ReceivedAtDepot("Lewisham") at start,
        LoadedOntoTruck("J98 257") at start + 1.days,
      )

    val latest =
      history.foldState(
        create = { Parcel((it.event as ReceivedAtDepot).depotId) },
        update = { parcel, next -> parcel.copy(moves = parcel.moves + 1) },
      )
    val asOfDayTwo = parcelState.stateOf(history, asOf = (start + 1.days).timestamp())

    assertThat(latest).isEqualTo(Parcel("Lewisham", moves = 2))
    assertThat(asOfDayTwo).isEqualTo(Parcel("J98 257", moves = 1))
    assertThat(parcelState.stateOf(history.take(2))).isNull()
  }

  @Test
  fun stateOfASourceCanBeFoldedInOneCallAsKnownEarlier() {
    dispatchJourney()
    val knownThen = Instant.now()

    val moves =
      store.stateOf<ParcelEvent, Int>(
        parcelId,
        create = { 0 },
        update = { count, _ -> count + 1 },
        knownAt = knownThen,
      )
    val knownBefore =
      store.stateOf<ParcelEvent, Int>(
        parcelId,
        create = { 0 },
        update = { count, _ -> count + 1 },
        knownAt = knownThen.minusSeconds(3600),
      )

    assertThat(moves).isEqualTo(3)
    assertThat(knownBefore).isNull()
  }
}
