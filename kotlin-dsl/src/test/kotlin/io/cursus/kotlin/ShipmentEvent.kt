package io.cursus.kotlin

import io.cursus.api.HandlesEventsFor
import io.cursus.api.Initial
import io.cursus.api.Name
import io.cursus.api.Terminal
import io.cursus.api.Version
import java.math.BigDecimal
import java.time.Instant
import java.time.LocalDate
import java.util.UUID

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
