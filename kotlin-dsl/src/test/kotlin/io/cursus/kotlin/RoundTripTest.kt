package io.cursus.kotlin

import io.cursus.api.AggregateId
import io.cursus.api.Event
import io.cursus.api.EventType
import io.cursus.api.Parameters
import io.cursus.api.StreamTimestamp
import io.cursus.api.Timestamped
import io.cursus.api.bus.EventBus
import io.cursus.api.mapping.DeclarationException
import io.cursus.api.memory.InMemoryEventStore
import io.cursus.api.store.HistoryOrder
import io.cursus.api.store.TimeRange
import io.cursus.kotlin.ParcelEvent.Delivered
import io.cursus.kotlin.ParcelEvent.DeliveryFailed
import io.cursus.kotlin.ParcelEvent.LoadedOntoTruck
import io.cursus.kotlin.ParcelEvent.ReceivedAtDepot
import io.cursus.kotlin.ShipmentEvent.Closed
import io.cursus.kotlin.ShipmentEvent.LabelChanged
import io.cursus.kotlin.ShipmentEvent.Noted
import java.time.Instant
import java.util.UUID
import kotlin.random.Random
import kotlin.time.Duration.Companion.days
import kotlin.time.Duration.Companion.hours
import kotlin.time.Duration.Companion.minutes
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatThrownBy
import org.junit.jupiter.api.Test

class RoundTripTest {

  private val store = InMemoryEventStore.empty()
  private val eventBus = EventBus.writingTo(store)
  private val shipmentId = UUID.fromString("0b7e7a4c-5b8e-4d55-9a36-1f2d3c4b5a69")
  private val start = StreamTimestamp.of("depot-1", Instant.parse("2026-03-01T09:00:00Z"))

  private val everyKind: List<Timestamped<ShipmentEvent>> = everyKindOfShipmentEvent(start)

  @Test
  fun everyKindOfValueComesBackAsDispatchedInEventTimeOrder() {
    eventBus.dispatchTo(shipmentId, *everyKind.shuffled(Random(42)).toTypedArray())

    val history = store.history<ShipmentEvent>(shipmentId)

    assertThat(history).containsExactlyElementsOf(everyKind)
    assertThat(history.map { it.event }.last()).isSameAs(Closed.Lost)
    assertThat(history).allSatisfy { assertThat(it.processingId()).isPresent }
  }

  @Test
  fun historyTakesARangeAnOrderAndAKnownAtTime() {
    eventBus.dispatchTo(shipmentId, *everyKind.toTypedArray())
    val capturedBy = Instant.now()

    val middle =
      store.history<ShipmentEvent>(
        shipmentId,
        range = TimeRange.from((start + 1.hours).timestamp()).before((start + 3.hours).timestamp()),
        order = HistoryOrder.DESCENDING,
      )
    assertThat(middle.map { it.event }).containsExactly(everyKind[2].event, everyKind[1].event)

    val knownBefore =
      store.history<ShipmentEvent>(shipmentId, knownAt = capturedBy.minusSeconds(60))
    assertThat(knownBefore).isEmpty()
    assertThat(store.history<ShipmentEvent>(shipmentId, knownAt = capturedBy))
      .hasSize(everyKind.size)
  }

  @Test
  fun aNullablePropertyGivenNullRoundTripsAsNull() {
    eventBus.dispatchTo(shipmentId, Noted(null, null, null) at start)

    val stored = store.history(AggregateId.of("shipment", shipmentId)).single()
    assertThat(stored.parameters().asMap())
      .containsEntry("note", null)
      .containsEntry("by", null)
      .containsEntry("dimensions", null)
    assertThat(store.history<ShipmentEvent>(shipmentId).single().event)
      .isEqualTo(Noted(null, null, null))
  }

  @Test
  fun aNonNullPropertyIsNeverReadBackAsNull() {
    val parcelId = UUID(7, 7)
    store.append(
      Event.of(
        AggregateId.of("parcel", parcelId),
        start,
        EventType.of("parcel", "delivered"),
        Parameters.of("destinationId", null),
      )
    )

    assertThatThrownBy { store.history<ParcelEvent>(parcelId) }
      .isInstanceOf(IllegalArgumentException::class.java)
      .hasMessage(
        "ParcelEvent.Delivered: parameter 'destinationId' of parcel/$parcelId is null but" +
          " java.lang.String does not allow null"
      )
  }

  @Test
  fun dispatchToWritesOneBatchOrNothing() {
    val parcelId = UUID(1, 1)
    val notAnEvent = "just a string" at start + 1.minutes

    assertThatThrownBy {
        eventBus.dispatchTo(parcelId, ReceivedAtDepot("Lewisham") at start, notAnEvent)
      }
      .isInstanceOf(DeclarationException::class.java)
      .hasMessageContaining(
        "java.lang.String: neither it nor a supertype is annotated @HandlesEventsFor"
      )
    assertThat(store.size()).isZero()

    eventBus.dispatchTo(
      parcelId,
      ReceivedAtDepot("Lewisham") at start,
      DeliveryFailed at start + 2.days,
    )
    assertThat(store.size()).isEqualTo(2)
  }

  @Test
  fun aBatchSpansAggregatesAndFamilies() {
    val parcelId = UUID(2, 2)

    eventBus.batch { batch ->
      batch.dispatchTo(
        parcelId,
        ReceivedAtDepot("Lewisham") at start,
        LoadedOntoTruck("J98 257") at start + 1.hours,
      )
      batch.dispatchTo(shipmentId, LabelChanged("x") at start.timestamp())
    }

    assertThat(store.history<ParcelEvent>(parcelId).map { it.event })
      .containsExactly(ReceivedAtDepot("Lewisham"), LoadedOntoTruck("J98 257"))
    assertThat(store.history<ShipmentEvent>(shipmentId).single())
      .isEqualTo(LabelChanged("x") at StreamTimestamp.of(start.timestamp()))
  }

  @Test
  fun atBuildsTimestampsOnStreams() {
    val instant = Instant.parse("2026-03-01T09:00:00.123456Z")

    assertThat(Delivered("x") at instant)
      .isEqualTo(Delivered("x") at StreamTimestamp.of(instant.minusNanos(456_000)))
    assertThat(Delivered("x").at(instant, "truck-7").timestamp)
      .isEqualTo(StreamTimestamp.of("truck-7", instant))
    assertThat(instant on "truck-7").isEqualTo(StreamTimestamp.of("truck-7", instant))
    assertThat((start + 2.days - 1.hours).timestamp())
      .isEqualTo(Instant.parse("2026-03-03T08:00:00Z"))
    assertThat((start + 2.days).streamId()).isEqualTo("depot-1")
    val (event, timestamp) = Delivered("x") at start
    assertThat(event).isEqualTo(Delivered("x"))
    assertThat(timestamp).isEqualTo(start)
  }
}
