package io.cursus.kotlin

import io.cursus.api.HandlesEventsFor
import io.cursus.api.Initial
import io.cursus.api.Parameters
import io.cursus.api.StreamTimestamp
import io.cursus.api.Version
import io.cursus.api.bus.EventBus
import io.cursus.api.mapping.EventTypeRegistry
import io.cursus.api.memory.InMemoryEventStore
import java.time.Instant
import java.util.UUID
import kotlin.time.Duration.Companion.seconds
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatThrownBy
import org.junit.jupiter.api.Test

@HandlesEventsFor("wallet")
sealed class WalletV1 {
  @Initial data class Opened(val owner: String) : WalletV1()

  data class Deposited(val amount: Long) : WalletV1()

  data class Noted(val text: String) : WalletV1()

  data class Transferred(val amount: Long, val to: String) : WalletV1()
}

@HandlesEventsFor("wallet")
sealed class WalletV3 {
  @Initial data class Opened(val owner: String) : WalletV3()

  @Version("3") data class Deposited(val pence: Long, val currency: String) : WalletV3()

  @Version("2") data class Withdrawn(val pence: Long) : WalletV3()

  @Version("2") data class Memo(val text: String) : WalletV3()
}

class UpcastersDslTest {

  private val walletId = UUID.randomUUID()
  private val start = StreamTimestamp.of("app", Instant.parse("2026-03-01T09:00:00Z"))

  // docs:upcasters
  private val registry =
    EventTypeRegistry.of(WalletV3::class.java).withUpcasters {
      aggregate("wallet") {
        event("deposited", fromVersion = 1) { rename("amount", to = "pence") }
        event("deposited", fromVersion = 2) { add("currency", "GBP") }
        event("noted", fromVersion = 1) { drop() }
        event("transferred", fromVersion = 1) {
          splitInto("withdrawn", "memo") { e ->
            listOf(
              Parameters.of("pence", e.parameters().get("amount")),
              Parameters.of("text", "to ${e.parameters().get("to")}"),
            )
          }
        }
      }
    }

  // docs:end

  @Test
  fun versionOneEventsAreReadAsTheKotlinVersionThreeFamily() {
    val store = InMemoryEventStore.empty()
    EventBus.writingTo(store)
      .dispatchTo(
        walletId,
        WalletV1.Opened("Ada") at start,
        WalletV1.Deposited(500) at start + 10.seconds,
        WalletV1.Noted("call back") at start + 20.seconds,
        WalletV1.Transferred(200, "Bob") at start + 30.seconds,
      )

    val history = registry.upcasters().applyTo(store).history<WalletV3>(walletId)

    assertThat(history.map { it.event })
      .containsExactly(
        WalletV3.Opened("Ada"),
        WalletV3.Deposited(500, "GBP"),
        WalletV3.Withdrawn(200),
        WalletV3.Memo("to Bob"),
      )
  }

  @Test
  fun aStepWithoutAPathNamesTheTypeAndVersion() {
    assertThatThrownBy {
        EventTypeRegistry.of(WalletV3::class.java).withUpcasters {
          aggregate("wallet") { event("deposited", fromVersion = 1) { renameTo("paidIn") } }
        }
      }
      .isInstanceOf(IllegalArgumentException::class.java)
      .hasMessageContaining("wallet/paidIn_2")
  }
}
