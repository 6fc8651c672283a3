package io.cursus.kotlin

import io.cursus.api.StreamTimestamp
import io.cursus.api.mapping.EventTypeRegistry
import io.cursus.json.EventJson
import io.cursus.json.JsonMappers
import java.time.Instant
import java.util.UUID
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test

/**
 * cursus-json registers an explicit list of Jackson modules; jackson-module-kotlin, which this
 * module brings, is on it, so Kotlin values go through the JSON envelope.
 */
class KotlinJsonTest {

  @Test
  fun theJsonMapperRegistersTheKotlinModuleThisModuleBrings() {
    assertThat(JsonMappers.strict().registeredModuleIds)
      .contains("com.fasterxml.jackson.module.kotlin.KotlinModule")
  }

  @Test
  fun kotlinDataClassesAndObjectsRoundTripThroughTheJsonEnvelope() {
    // given
    val json = EventJson.using(EventTypeRegistry.of(ShipmentEvent::class.java))
    val codec = codec<ShipmentEvent>()
    val id = UUID.randomUUID()
    val everyKind =
      everyKindOfShipmentEvent(StreamTimestamp.of("depot-1", Instant.parse("2026-03-01T09:00:00Z")))

    for (timestamped in everyKind) {
      // when
      val back = json.read(json.write(codec.toEvent(id, timestamped)))

      // then
      assertThat(codec.fromEvent(back)).isEqualTo(timestamped)
    }
  }
}
