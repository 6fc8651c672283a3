package io.cursus.kotlin

import io.cursus.api.StreamTimestamp
import io.cursus.api.bus.EventBus
import io.cursus.api.memory.InMemoryEventStore
import io.cursus.api.projection.Projection
import io.cursus.api.projection.ProjectionStatus
import io.cursus.api.projection.Projections
import io.cursus.kotlin.ParcelEvent.ArrivedAtDepot
import io.cursus.kotlin.ParcelEvent.LoadedOntoTruck
import io.cursus.kotlin.ParcelEvent.ReceivedAtDepot
import java.time.Duration
import java.time.Instant
import java.util.Collections
import java.util.UUID
import java.util.concurrent.ConcurrentHashMap
import kotlin.time.Duration.Companion.minutes
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test

/** Projections from Kotlin: the api's builders, and the reified idioms of this module. */
class ProjectionsTest {

  private val store = InMemoryEventStore.empty()
  private val eventBus = EventBus.writingTo(store)
  private val parcelId = UUID.fromString("69016fb5-1d6a-4e2c-9a2e-2b1f4c1c0a01")
  private val start = StreamTimestamp.of("depot-7", Instant.parse("2026-03-01T09:00:00Z"))

  @Test
  fun foldProjectionHoldsTheCorrectedStateAfterALateEvent() {
    Projections.embedded(store).use { projections ->
      // docs:projection
      val board = ConcurrentHashMap<UUID, String>()
      val where =
        stateFold<ParcelEvent, String>(
          create = { (it.event as ReceivedAtDepot).depotId },
          update = { place, next ->
            when (val event = next.event) {
              is LoadedOntoTruck -> event.truckId
              is ArrivedAtDepot -> event.depotId
              else -> place
            }
          },
        )
      projections.start(
        where.projection("where").onState<UUID, String> { id, place -> board[id] = place }.build()
      )
      // docs:end
      assertThat(projections.awaitCaughtUp("where", Duration.ofSeconds(30))).isTrue()

      eventBus.dispatchTo(
        parcelId,
        ReceivedAtDepot("Lewisham") at start,
        LoadedOntoTruck("J98 257") at start + 20.minutes,
      )
      assertThat(projections.awaitCaughtUp("where", Duration.ofSeconds(30))).isTrue()
      eventBus.dispatchTo(parcelId, ArrivedAtDepot("Croydon") at start + 10.minutes) // late

      assertThat(projections.awaitCaughtUp("where", Duration.ofSeconds(30))).isTrue()
      assertThat(board).containsEntry(parcelId, "J98 257")
      assertThat(projections.status("where").greatestLateness()).isEqualTo(Duration.ofMinutes(10))
    }
  }

  @Test
  fun stateClassAndTypedEventProjections() {
    val locations = ConcurrentHashMap<UUID, String>()
    val seen = Collections.synchronizedList(mutableListOf<String>())
    Projections.embedded(store).use { projections ->
      // docs:kinds
      projections.start(
        stateProjection<KotlinStateClassTest.Parcel, ParcelEvent>("locations")
          .onState<UUID, KotlinStateClassTest.Parcel> { id, parcel ->
            locations[id] = parcel.location
          }
          .build()
      )
      projections.start(
        Projection.events("audit").on<ParcelEvent> { seen += it.event.toString() }.build()
      )
      // docs:end
      eventBus.dispatchTo(
        parcelId,
        ReceivedAtDepot("Lewisham") at start,
        LoadedOntoTruck("J98 257") at start + 20.minutes,
      )

      assertThat(projections.awaitCaughtUp("locations", Duration.ofSeconds(30))).isTrue()
      assertThat(projections.awaitCaughtUp("audit", Duration.ofSeconds(30))).isTrue()
      assertThat(locations).containsEntry(parcelId, "J98 257")
      assertThat(seen)
        .containsExactly("ReceivedAtDepot(depotId=Lewisham)", "LoadedOntoTruck(truckId=J98 257)")
      assertThat(projections.statuses().map { it.phase() })
        .containsOnly(ProjectionStatus.Phase.LIVE)
    }
  }
}
