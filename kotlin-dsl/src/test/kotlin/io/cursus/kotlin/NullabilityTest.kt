package io.cursus.kotlin

import io.cursus.api.AggregateId
import io.cursus.api.Event
import io.cursus.api.EventCharacteristic
import io.cursus.api.EventType
import io.cursus.api.HandlesEventsFor
import io.cursus.api.Initial
import io.cursus.api.Parameters
import io.cursus.api.StreamTimestamp
import io.cursus.api.bus.EventBus
import io.cursus.api.mapping.EventDeclaration
import io.cursus.api.mapping.EventMapper
import io.cursus.api.memory.InMemoryEventStore
import io.cursus.kotlin.ParcelEvent.ReceivedAtDepot
import java.time.Instant
import java.util.UUID
import kotlin.time.Duration.Companion.hours
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatThrownBy
import org.junit.jupiter.api.Test

/** A Kotlin `String?` may be null, a `String` never, in sealed classes and in interfaces alike. */
class NullabilityTest {

  /** A plain Kotlin interface of events: its `String?` is seen through Kotlin's metadata. */
  @HandlesEventsFor("memo")
  interface KotlinMemoEvents {
    @Initial fun written(ts: StreamTimestamp, memoId: String, text: String, by: String?)
  }

  private val store = InMemoryEventStore.empty()
  private val start = StreamTimestamp.of("desk", Instant.parse("2026-11-22T09:00:00Z"))

  @Test
  fun theSchemaOfASealedFamilySaysWhichPropertiesMayBeNull() {
    val schemas = EventDeclaration.of(ShipmentEvent::class.java).events()

    assertThat(schemas.first { it.type().name() == "noted" }.parameters().map { it.nullable() })
      .containsExactly(true, true, true)
    assertThat(schemas.first { it.type().name() == "registered" }.parameters().map { "$it" })
      .startsWith(
        "count: int",
        "maybeCount: java.lang.Integer (nullable)",
        "label: java.lang.String",
      )
  }

  @Test
  fun aNullablePropertyIsStoredAndReadBackAsNull() {
    val shipmentId = UUID(1, 1)

    EventBus.writingTo(store).dispatchTo(shipmentId, ShipmentEvent.Noted(null, null, null) at start)

    assertThat(store.history<ShipmentEvent>(shipmentId))
      .containsExactly(ShipmentEvent.Noted(null, null, null) at start)
  }

  @Test
  fun aNullBuiltByHandForANonNullPropertyIsRefusedAtEmit() {
    // given: the default bus, which knows ParcelEvent from dispatching one of its events
    val parcelId = UUID(2, 2)
    val bus = EventBus.writingTo(store)
    bus.dispatchTo(parcelId, ReceivedAtDepot("Lewisham") at start)
    val delivered =
      Event.of(
        AggregateId.of("parcel", parcelId),
        start + 1.hours,
        EventType.of("parcel", "delivered"),
        Parameters.of("destinationId", null),
        setOf(EventCharacteristic.TERMINAL),
      )

    // when / then
    assertThatThrownBy { bus.dispatch(delivered) }
      .isInstanceOf(IllegalArgumentException::class.java)
      .hasMessageEndingWith(
        "(declared by ParcelEvent.Delivered): parameter 'destinationId' is null, but" +
          " java.lang.String is not declared nullable; to allow null, declare it @Nullable (in" +
          " Kotlin, of a nullable type such as String?)"
      )
    assertThat(store.history<ParcelEvent>(parcelId)).hasSize(1)
  }

  @Test
  fun aKotlinInterfacesNullableParameterMayBeNullAndItsOthersMayNot() {
    // given
    val bus = EventBus.writingTo(store)
    val memos = bus.emitter<KotlinMemoEvents>()

    // when
    memos.written(start, "m-1", "hello", null)

    // then
    val id = AggregateId.of("memo", "m-1")
    assertThat(store.history(id).single().parameters())
      .isEqualTo(Parameters.of("text", "hello", "by", null))
    assertThat(
        EventDeclaration.of(KotlinMemoEvents::class.java).events()[0].parameters().map {
          it.nullable()
        }
      )
      .containsExactly(false, true)
    val javaSide = EventMapper.emitter(KotlinMemoEvents::class.java) {}
    val written =
      KotlinMemoEvents::class
        .java
        .getMethod(
          "written",
          StreamTimestamp::class.java,
          String::class.java,
          String::class.java,
          String::class.java,
        )
    assertThatThrownBy { written.invoke(javaSide, start, "m-2", null, "Ann") }
      .cause()
      .isInstanceOf(IllegalArgumentException::class.java)
      .hasMessageStartingWith("KotlinMemoEvents.written: parameter 'text' must not be null;")
  }
}
