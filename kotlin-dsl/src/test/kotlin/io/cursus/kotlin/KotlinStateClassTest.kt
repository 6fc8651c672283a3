package io.cursus.kotlin

import io.cursus.api.EventType
import io.cursus.api.StreamTimestamp
import io.cursus.api.bus.EventBus
import io.cursus.api.memory.InMemoryEventStore
import io.cursus.api.state.StateBuilder
import io.cursus.api.store.HistoryQuery
import io.cursus.kotlin.ParcelEvent.ArrivedAtDepot
import io.cursus.kotlin.ParcelEvent.Delivered
import io.cursus.kotlin.ParcelEvent.DeliveryFailed
import io.cursus.kotlin.ParcelEvent.LoadedOntoTruck
import io.cursus.kotlin.ParcelEvent.ReceivedAtDepot
import java.time.Instant
import java.util.UUID
import kotlin.time.Duration.Companion.days
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test

/** Kotlin state classes, public or private, built by the Java StateBuilder from a sealed family. */
class KotlinStateClassTest {

  /** A companion factory made static, and updates returning Unit or the state. */
  class Parcel private constructor(val parcelId: UUID, var location: String) {
    var moves = 0
    var delivered = false

    fun loadedOntoTruck(truckId: String) {
      location = truckId
      moves++
    }

    fun arrivedAtDepot(ts: StreamTimestamp, depotId: String): Parcel {
      location = depotId
      moves++
      return this
    }

    fun delivered(destinationId: String) {
      location = destinationId
      delivered = true
    }

    companion object {
      @JvmStatic
      fun receivedAtDepot(ts: StreamTimestamp, parcelId: UUID, depotId: String) =
        Parcel(parcelId, depotId)
    }
  }

  /** The same, private: the builder calls its methods through their handles. */
  private class Hidden private constructor(var location: String) {
    fun loadedOntoTruck(truckId: String) {
      location = truckId
    }

    fun delivered(destinationId: String): Hidden = Hidden(destinationId)

    companion object {
      @JvmStatic fun receivedAtDepot(depotId: String) = Hidden(depotId)
    }
  }

  /** Whether the builder calls the method of [event] directly (a test hook of the Java api). */
  private fun StateBuilder<*>.callsDirectly(event: String): Boolean {
    val hook = StateBuilder::class.java.getDeclaredMethod("callsDirectly", EventType::class.java)
    hook.isAccessible = true
    return hook.invoke(this, EventType.of("parcel", event)) as Boolean
  }

  private val store = InMemoryEventStore.empty()
  private val parcelId = UUID.fromString("0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5")
  private val start = StreamTimestamp.of("depot-1", Instant.parse("2026-07-01T06:00:00Z"))

  init {
    EventBus.writingTo(store)
      .dispatchTo(
        parcelId,
        ArrivedAtDepot("Croydon") at start + 2.days,
        ReceivedAtDepot("Lewisham") at start,
        LoadedOntoTruck("J98 257") at start + 1.days,
        DeliveryFailed at start + 3.days,
        Delivered("SE13 5AB") at start + 4.days,
      )
  }

  @Test
  fun aKotlinStateClassIsBuiltFromASealedFamily() {
    val builder = StateBuilder.of(Parcel::class.java, ParcelEvent::class.java)
    val parcel = builder.build(store, parcelId, HistoryQuery.all()).orElseThrow()

    assertThat(parcel.parcelId).isEqualTo(parcelId)
    assertThat(parcel.location).isEqualTo("SE13 5AB")
    assertThat(parcel.moves).isEqualTo(2)
    assertThat(parcel.delivered).isTrue()
    assertThat(listOf("receivedAtDepot", "loadedOntoTruck", "arrivedAtDepot", "delivered"))
      .allMatch { builder.callsDirectly(it) }
  }

  @Test
  fun aPrivateKotlinStateClassIsBuiltToo() {
    val builder = StateBuilder.of(Hidden::class.java, ParcelEvent::class.java)

    assertThat(builder.build(store, parcelId, HistoryQuery.all()).orElseThrow().location)
      .isEqualTo("SE13 5AB")
    assertThat(
        builder
          .buildAsOf(
            store.history(io.cursus.api.AggregateId.of("parcel", parcelId), HistoryQuery.all()),
            (start + 1.days).timestamp(),
          )
          .orElseThrow()
          .location
      )
      .isEqualTo("J98 257")
    assertThat(listOf("receivedAtDepot", "loadedOntoTruck", "delivered")).noneMatch {
      builder.callsDirectly(it)
    }
  }
}
