package io.cursus.kotlin

import io.cursus.api.StreamTimestamp
import io.cursus.api.Timestamped
import io.cursus.api.bus.EventBus
import io.cursus.api.mapping.EventTypeRegistry
import io.cursus.api.memory.InMemoryEventStore
import io.cursus.api.store.EventSource
import io.cursus.api.store.TimeRange
import io.cursus.kotlin.ParcelEvent.Delivered
import io.cursus.kotlin.ParcelEvent.LoadedOntoTruck
import io.cursus.kotlin.ParcelEvent.ReceivedAtDepot
import io.cursus.kotlin.interop.JavaParcelEvents
import java.nio.file.Files
import java.nio.file.Path
import java.time.Instant
import java.util.Collections
import java.util.UUID
import kotlin.io.path.readText
import kotlin.time.Duration.Companion.days
import kotlin.time.Duration.Companion.hours
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test

/** The examples of docs/kotlin.md, and a check that every Kotlin sample there is compiled here. */
class DocsExamplesTest {

  private val store = InMemoryEventStore.empty()
  private val eventBus: EventBus = EventBus.writingTo(store)
  private val eventSource: EventSource = store
  private val parcelId = UUID.fromString("69016fb5-1d6a-4e2c-9a2e-2b1f4c1c0a01")
  private val otherParcelId = UUID.fromString("0b7e7a4c-5b8e-4d55-9a36-1f2d3c4b5a69")

  @Test
  fun emitAndReadBack() {
    // docs:emit
    val start = StreamTimestamp.of("depot-7", Instant.parse("2026-03-01T09:00:00Z"))
    eventBus.dispatchTo(
      parcelId,
      ReceivedAtDepot("Lewisham") at start,
      LoadedOntoTruck("J98 257") at start + 2.days,
    )
    // docs:end
    // docs:batch
    eventBus.batch { batch ->
      batch.dispatchTo(parcelId, Delivered("SE13 5AB") at start + 3.days)
      batch.dispatchTo(otherParcelId, ReceivedAtDepot("Croydon") at start + 1.hours)
    }
    // docs:end

    // docs:history
    val history: List<Timestamped<ParcelEvent>> = eventSource.history<ParcelEvent>(parcelId)
    val lastTwo =
      eventSource.history<ParcelEvent>(
        parcelId,
        range = TimeRange.from(start.timestamp().plusSeconds(1)),
      )
    // docs:end

    assertThat(history.map { it.event })
      .containsExactly(
        ReceivedAtDepot("Lewisham"),
        LoadedOntoTruck("J98 257"),
        Delivered("SE13 5AB"),
      )
    assertThat(lastTwo).isEqualTo(history.drop(1))
    assertThat(eventSource.history<ParcelEvent>(otherParcelId).single())
      .isEqualTo(ReceivedAtDepot("Croydon") at start + 1.hours)
  }

  @Test
  fun javaAndKotlinDeclarationsAgree() {
    // docs:interop
    val registry = EventTypeRegistry.of(JavaParcelEvents::class.java, ParcelEvent::class.java)
    // docs:end
    assertThat(registry.schemas()).hasSize(5)
  }

  @Test
  fun everyKotlinSampleInTheGuideIsCompiledByTheseTests() {
    val guide = Path.of("..", "docs", "kotlin.md").readText()
    val samples =
      Regex("```kotlin\\n(.*?)```", RegexOption.DOT_MATCHES_ALL).findAll(guide).map {
        it.groupValues[1]
      }
    val sources =
      Files.walk(Path.of("src", "test")).use { paths ->
        paths
          .filter { it.toString().endsWith(".kt") || it.toString().endsWith(".java") }
          .map { significantLines(it.readText()) }
          .toList()
      }

    assertThat(samples.toList()).hasSizeGreaterThanOrEqualTo(6)
    for (sample in samples) {
      val lines = significantLines(sample)
      assertThat(sources.any { Collections.indexOfSubList(it, lines) >= 0 })
        .describedAs("sample not found in the tests:\n%s", sample)
        .isTrue
    }
  }

  private fun significantLines(text: String): List<String> =
    text.lines().map { it.trim() }.filter { it.isNotEmpty() && !it.startsWith("// docs:") }
}
