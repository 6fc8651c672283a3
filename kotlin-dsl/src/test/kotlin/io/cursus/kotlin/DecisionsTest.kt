package io.cursus.kotlin

import io.cursus.api.StreamTimestamp
import io.cursus.api.bus.EventBus
import io.cursus.api.memory.InMemoryEventStore
import io.cursus.api.store.AppendConflictException
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

class DecisionsTest {

  data class Parcel(val location: String, val delivered: Boolean = false)

  private val parcelState =
    stateFold<ParcelEvent, Parcel>(
      create = { first -> Parcel((first.event as ReceivedAtDepot).depotId) },
      update = { parcel, next ->
        when (val e = next.event) {
          is LoadedOntoTruck -> parcel.copy(location = e.truckId)
          is ArrivedAtDepot -> parcel.copy(location = e.depotId)
          is Delivered -> parcel.copy(location = e.destinationId, delivered = true)
          else -> parcel
        }
      },
    )

  private val store = InMemoryEventStore.empty()
  private val facts = EventBus.writingTo(store)
  private val parcelId = UUID.randomUUID()
  private val start = StreamTimestamp.of("depot-1", Instant.parse("2026-03-01T09:00:00Z"))

  @Test
  fun decidesFromTheStateAndEmitsIntoTheBatchItIsCalledOn() {
    facts.dispatchTo(parcelId, ReceivedAtDepot("Lewisham") at start)

    // docs:decide
    val parcels = parcelState.decider(store, retries = 3, "delivered")
    val decided =
      parcels.decide(parcelId) { parcel ->
        check(parcel != null && !parcel.delivered) { "parcel $parcelId cannot be redirected" }
        dispatchTo(parcelId, ArrivedAtDepot("Croydon") at StreamTimestamp.now("desk"))
      }
    // docs:end

    assertThat(decided.stateOrNull).isEqualTo(Parcel("Lewisham"))
    assertThat(decided.events()).hasSize(1)
    assertThat(parcelState.stateOf(store, parcelId)?.location).isEqualTo("Croydon")
  }

  @Test
  fun decidesAgainWhenAFactArrivedMeanwhileAndRefusesOnTheNewState() {
    facts.dispatchTo(parcelId, ReceivedAtDepot("Lewisham") at start)
    var calls = 0

    assertThatThrownBy {
        parcelState.decider(store).decide(parcelId) { parcel ->
          calls++
          if (calls == 1) facts.dispatchTo(parcelId, Delivered("SE13") at start + 2.hours)
          check(parcel?.delivered == false) { "parcel $parcelId was delivered" }
          dispatchTo(parcelId, LoadedOntoTruck("J98") at start + 3.hours)
        }
      }
      .isInstanceOf(IllegalStateException::class.java)
      .hasMessageContaining("was delivered")
    assertThat(calls).isEqualTo(2)
    assertThat(parcelState.stateOf(store, parcelId)).isEqualTo(Parcel("SE13", delivered = true))
  }

  @Test
  fun givesTheConflictToTheCallerAfterItsRetries() {
    facts.dispatchTo(parcelId, ReceivedAtDepot("Lewisham") at start)
    var calls = 0

    assertThatThrownBy {
        parcelState.decider(store, retries = 1).decide(parcelId) { _ ->
          calls++
          facts.dispatchTo(parcelId, ArrivedAtDepot("hub-$calls") at start + calls.hours)
          dispatchTo(parcelId, LoadedOntoTruck("J98") at start + 5.hours)
        }
      }
      .isInstanceOf(AppendConflictException::class.java)
    assertThat(calls).isEqualTo(2)
  }
}
