package io.cursus.kotlin

import io.cursus.api.StreamTimestamp
import io.cursus.api.bus.EventBus
import io.cursus.api.mapping.EventDeclaration
import io.cursus.api.mapping.EventMapper
import io.cursus.api.mapping.EventTypeRegistry
import io.cursus.api.memory.InMemoryEventStore
import io.cursus.kotlin.ParcelEvent.ArrivedAtDepot
import io.cursus.kotlin.ParcelEvent.Delivered
import io.cursus.kotlin.ParcelEvent.DeliveryFailed
import io.cursus.kotlin.ParcelEvent.LoadedOntoTruck
import io.cursus.kotlin.ParcelEvent.ReceivedAtDepot
import io.cursus.kotlin.interop.JavaLaxParcelEvents
import io.cursus.kotlin.interop.JavaParcelEvents
import io.cursus.kotlin.interop.JavaParcelRecord
import io.cursus.kotlin.interop.RecordingJavaHandler
import java.time.Instant
import java.util.UUID
import kotlin.time.Duration.Companion.hours
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatThrownBy
import org.junit.jupiter.api.Test

class InteropTest {

  private val store = InMemoryEventStore.empty()
  private val eventBus = EventBus.writingTo(store)
  private val parcelId = UUID.fromString("69016fb5-1d6a-4e2c-9a2e-2b1f4c1c0a01")
  private val start = StreamTimestamp.of("depot-1", Instant.parse("2026-03-01T09:00:00Z"))

  @Test
  fun eventsEmittedByAJavaInterfaceAreReadAsKotlinClasses() {
    val parcel = eventBus.emitter<JavaParcelEvents>()
    parcel.receivedAtDepot(start, parcelId, "Lewisham")
    parcel.loadedOntoTruck(start + 1.hours, parcelId, "J98 257")
    parcel.arrivedAtDepot(start + 2.hours, parcelId, "Croydon")
    parcel.delivered(start + 3.hours, parcelId, "SE13 5AB")
    parcel.deliveryFailed(start + 4.hours, parcelId)

    assertThat(store.history<ParcelEvent>(parcelId))
      .containsExactly(
        ReceivedAtDepot("Lewisham") at start,
        LoadedOntoTruck("J98 257") at start + 1.hours,
        ArrivedAtDepot("Croydon") at start + 2.hours,
        Delivered("SE13 5AB") at start + 3.hours,
        DeliveryFailed at start + 4.hours,
      )
  }

  @Test
  fun eventsDispatchedFromKotlinReachAJavaHandlerAndJavaRecords() {
    eventBus.dispatchTo(
      parcelId,
      ReceivedAtDepot("Lewisham") at start,
      Delivered("SE13 5AB") at start + 3.hours,
      DeliveryFailed at start + 4.hours,
    )
    val handler = RecordingJavaHandler()

    store
      .history(io.cursus.api.AggregateId.of("parcel", parcelId))
      .forEach(EventMapper.handler(JavaParcelEvents::class.java, handler).strict())

    assertThat(handler.calls())
      .containsExactly(
        "2026-03-01T09:00:00Z@depot-1 $parcelId receivedAtDepot Lewisham",
        "2026-03-01T12:00:00Z@depot-1 $parcelId delivered SE13 5AB",
        "2026-03-01T13:00:00Z@depot-1 $parcelId deliveryFailed",
      )
    assertThat(store.history<JavaParcelRecord>(parcelId).map { it.event })
      .containsExactly(
        JavaParcelRecord.ReceivedAtDepot("Lewisham"),
        JavaParcelRecord.Delivered("SE13 5AB"),
        JavaParcelRecord.DeliveryFailed(),
      )
  }

  @Test
  fun aPlainKotlinInterfaceIsAnEventInterfaceAgreeingWithTheOthers() {
    val registry =
      EventTypeRegistry.of(
        KotlinParcelEvents::class.java,
        JavaParcelEvents::class.java,
        ParcelEvent::class.java,
      )
    eventBus.emitter<KotlinParcelEvents>().receivedAtDepot(start, parcelId, "Lewisham")

    assertThat(EventDeclaration.of(KotlinParcelEvents::class.java).kind())
      .isEqualTo(EventDeclaration.Kind.INTERFACE)
    assertThat(registry.schemas()).hasSize(5)
    assertThat(store.history<ParcelEvent>(parcelId))
      .containsExactly(ReceivedAtDepot("Lewisham") at start)
  }

  @Test
  fun aNullFromJavaIsRefusedWhereKotlinSaysNonNull() {
    eventBus.emitter<JavaLaxParcelEvents>().delivered(start, parcelId, null)

    assertThatThrownBy { store.history<ParcelEvent>(parcelId) }
      .isInstanceOf(IllegalArgumentException::class.java)
      .hasMessage(
        "ParcelEvent.Delivered: parameter 'destinationId' of parcel/$parcelId is null but" +
          " java.lang.String does not allow null"
      )
  }
}

/** A plain Kotlin interface is an event interface like a Java one (names via -java-parameters). */
@io.cursus.api.HandlesEventsFor("parcel")
interface KotlinParcelEvents {
  @io.cursus.api.Initial fun receivedAtDepot(ts: StreamTimestamp, parcelId: UUID, depotId: String)

  @io.cursus.api.Terminal fun delivered(ts: StreamTimestamp, parcelId: UUID, destinationId: String)
}
