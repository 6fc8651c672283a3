package io.cursus.kotlin

import io.cursus.api.HandlesEventsFor
import io.cursus.api.Initial
import io.cursus.api.Name
import io.cursus.api.StreamTimestamp
import io.cursus.api.Terminal
import io.cursus.api.Timestamped
import io.cursus.api.Version
import java.math.BigDecimal
import java.time.Instant
import java.time.LocalDate
import java.util.UUID
import kotlin.time.Duration.Companion.hours

enum class Colour {
  RED,
  GREEN,
  BLUE,
}

/** A data class used as a parameter value, inside events. */
data class Dimensions(val width: Int, val height: Int, val unit: String?)

/** A family with a value of every kind Kotlin users reach for, and a nested sealed level. */
@HandlesEventsFor("shipment")
sealed interface ShipmentEvent {
  @Initial
  data class Registered(
    val count: Int,
    val maybeCount: Int?,
    val label: String,
    val numbers: List<Int>,
    val boxes: List<Dimensions>,
    val groups: Map<String, List<UUID>>,
    val colours: Set<Colour>,
  ) : ShipmentEvent

  data class Priced(
    val amount: BigDecimal,
    val currency: String,
    val due: LocalDate?,
    val weightKg: Double,
    val fragile: Boolean,
    val quotedAt: Instant,
    val reference: Long,
  ) : ShipmentEvent

  data class Noted(val note: String?, val by: UUID?, val dimensions: Dimensions?) : ShipmentEvent

  @Name("relabelled") @Version("2") data class LabelChanged(val label: String) : ShipmentEvent

  /** A nested sealed level: its leaves are events of the family too. */
  sealed class Closed : ShipmentEvent {
    @Terminal data class Cancelled(val reason: String) : Closed()

    @Terminal object Lost : Closed()
  }
}

/** One event of every kind of [ShipmentEvent], an hour apart from [start], in event-time order. */
fun everyKindOfShipmentEvent(start: StreamTimestamp): List<Timestamped<ShipmentEvent>> =
  listOf(
    ShipmentEvent.Registered(
      count = 3,
      maybeCount = null,
      label = "fragile: glass",
      numbers = listOf(1, 2, 3),
      boxes = listOf(Dimensions(10, 20, "cm"), Dimensions(1, 2, null)),
      groups = mapOf("a" to listOf(UUID(1, 2), UUID(3, 4)), "empty" to emptyList()),
      colours = setOf(Colour.RED, Colour.BLUE),
    ) at start,
    ShipmentEvent.Priced(
      amount = BigDecimal("12.50"),
      currency = "EUR",
      due = LocalDate.of(2026, 3, 9),
      weightKg = 1.25,
      fragile = true,
      quotedAt = Instant.parse("2026-02-28T17:00:00.123Z"),
      reference = 9_000_000_000L,
    ) at start + 1.hours,
    ShipmentEvent.Noted(note = null, by = null, dimensions = null) at start + 2.hours,
    ShipmentEvent.Noted(
      note = "left at door",
      by = UUID(5, 6),
      dimensions = Dimensions(1, 1, "m"),
    ) at start + 3.hours,
    ShipmentEvent.LabelChanged("handle with care") at start + 4.hours,
    ShipmentEvent.Closed.Cancelled("customer request") at start + 5.hours,
    ShipmentEvent.Closed.Lost at start + 6.hours,
  )
