package io.cursus.kotlin

import com.datastax.oss.driver.api.core.CqlSession
import io.cursus.api.StreamTimestamp
import io.cursus.api.bus.EventBus
import io.cursus.api.mapping.EventTypeRegistry
import io.cursus.cassandra.CassandraEventStore
import io.cursus.cassandra.CassandraSchema
import io.cursus.cassandra.CassandraTables
import io.cursus.json.EventJson
import io.cursus.testkit.Engines
import java.time.Instant
import java.util.UUID
import kotlin.random.Random
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance

/**
 * Kotlin data classes, objects, nullable fields, lists and maps through the JSON envelope and
 * through the real Cassandra started by the testkit.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KotlinJsonAndCassandraIT {

  private val registry = EventTypeRegistry.of(ShipmentEvent::class.java)
  private val start = StreamTimestamp.of("depot-1", Instant.parse("2026-03-01T09:00:00Z"))
  private val everyKind = everyKindOfShipmentEvent(start)
  private val cassandra = Engines.cassandra()
  private val session: CqlSession =
    CqlSession.builder()
      .addContactPoints(cassandra.contactPoints())
      .withLocalDatacenter(cassandra.localDatacenter())
      .build()

  @AfterAll
  fun closeSession() {
    session.close()
  }

  @Test
  fun everyKindOfKotlinValueRoundTripsThroughTheJsonEnvelope() {
    val json = EventJson.using(registry)
    val codec = codec<ShipmentEvent>()
    val id = UUID.randomUUID()

    for (timestamped in everyKind) {
      val event = codec.toEvent(id, timestamped)
      val back = json.read(json.write(event))

      assertThat(back).isEqualTo(event)
      assertThat(codec.fromEvent(back)).isEqualTo(timestamped)
    }
  }

  @Test
  fun everyKindOfKotlinValueRoundTripsThroughCassandra() {
    val tables = CassandraTables.inKeyspace("cursus_kotlin")
    CassandraSchema.of(tables).create(session)
    val store = CassandraEventStore.builder(session, registry).tables(tables).build()
    val shipmentId = UUID.randomUUID()

    EventBus.writingTo(store).dispatchTo(shipmentId, *everyKind.shuffled(Random(7)).toTypedArray())
    val history = store.history<ShipmentEvent>(shipmentId)

    assertThat(history).containsExactlyElementsOf(everyKind)
    assertThat(history.last().event).isSameAs(ShipmentEvent.Closed.Lost)
  }
}
