package io.cursus.api.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.Event;
import io.cursus.api.ProcessingIds;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.bus.EventBus;
import io.cursus.api.fixtures.ParcelEvents;
import io.cursus.api.projection.Delivery;
import io.cursus.api.projection.Position;
import io.cursus.api.projection.ProjectionSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InMemoryEventFeedTest {

  private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

  private final InMemoryEventStore store = InMemoryEventStore.empty();
  private final ParcelEvents parcels = EventBus.writingTo(store).emitter(ParcelEvents.class);

  @Test
  void feedHoldsTheStoredCopyOfEachNewIdentityInAcceptanceOrder() {
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    parcels.loadedOntoTruck(StreamTimestamp.of("truck", T0.plusSeconds(60)), a, "J98");
    parcels.receivedAtDepot(StreamTimestamp.of("depot", T0), b, "Lewisham");
    parcels.loadedOntoTruck(StreamTimestamp.of("truck", T0.plusSeconds(60)), a, "a repeat");
    parcels.receivedAtDepot(StreamTimestamp.of("depot", T0), a, "Croydon");

    InMemoryEventFeed feed = store.feed();

    assertThat(feed.size()).isEqualTo(3).isEqualTo(store.size());
    assertThat(feed.get(0).parameters().get("truckId")).isEqualTo("J98");
    assertThat(feed.get(1).aggregateId().id()).isEqualTo(b.toString());
    assertThat(feed.get(2).parameters().get("depotId")).isEqualTo("Croydon");
    assertThat(feed.head()).isEqualTo(Position.of(InMemoryEventFeed.PARTITION, 3));
    assertThat(feed.storedUpTo()).isEqualTo(feed.head());
  }

  @Test
  void readerReturnsEventsAfterItsPositionWithTheirOffsets() throws Exception {
    for (int i = 0; i < 5000; i++) { // more than one chunk
      parcels.receivedAtDepot(StreamTimestamp.of("depot", T0), UUID.randomUUID(), "d" + i);
    }
    try (ProjectionSource.Reader reader =
        store.feed().open("p", () -> Position.of(InMemoryEventFeed.PARTITION, 4090))) {

      List<Delivery> first = reader.poll(8, Duration.ZERO);
      List<Delivery> rest = reader.poll(10_000, Duration.ZERO);

      assertThat(first)
          .extracting(Delivery::offset)
          .containsExactly(4090L, 4091L, 4092L, 4093L, 4094L, 4095L, 4096L, 4097L);
      assertThat(first.get(6).event().parameters().get("depotId")).isEqualTo("d4096");
      assertThat(rest).hasSize(5000 - 4098);
      assertThat(reader.poll(10, Duration.ZERO)).isEmpty();
      reader.seek(Position.of(InMemoryEventFeed.PARTITION, 4999));
      assertThat(reader.poll(10, Duration.ZERO))
          .extracting(Delivery::offset)
          .containsExactly(4999L);
    }
  }

  @Test
  void aWaitingReaderWakesWhenTheStoreAcceptsAnEvent() throws Exception {
    ProjectionSource.Reader reader = store.feed().open("p", Position::start);
    CompletableFuture<List<Delivery>> polled =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return reader.poll(10, Duration.ofSeconds(30));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });

    parcels.receivedAtDepot(StreamTimestamp.of("depot", T0), UUID.randomUUID(), "Lewisham");

    assertThat(polled.get(30, TimeUnit.SECONDS)).hasSize(1);
  }

  @Test
  void wakeupEndsAWaitingPollWithNothing() throws Exception {
    ProjectionSource.Reader reader = store.feed().open("p", Position::start);
    CompletableFuture<List<Delivery>> polled =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return reader.poll(10, Duration.ofMinutes(5));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });

    while (!polled.isDone()) {
      reader.wakeup(); // may come before the poll waits: then the poll returns at once
      Thread.onSpinWait();
    }

    assertThat(polled.get(30, TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  void capturedAtIsTheProcessingTimeOfTheEventAtAPosition() {
    Instant captured = Instant.parse("2026-03-01T10:00:00Z");
    Event event =
        Event.of(
                io.cursus.api.AggregateId.of("parcel", UUID.randomUUID()),
                StreamTimestamp.of("depot", T0),
                new io.cursus.api.EventType("parcel", "receivedAtDepot", "1"),
                io.cursus.api.Parameters.of("depotId", "Lewisham"))
            .withProcessingId(ProcessingIds.latestAt(captured));
    InMemoryEventFeed feed = InMemoryEventFeed.create();
    feed.publish(List.of(event));

    assertThat(feed.capturedAt(Position.start())).isPresent();
    assertThat(Duration.between(feed.capturedAt(Position.start()).get(), captured).abs())
        .isLessThan(Duration.ofMillis(1));
    assertThat(feed.capturedAt(feed.head())).isEmpty();
  }

  @Test
  void onlyTheStoreWritesItsFeed() {
    assertThatThrownBy(() -> store.feed().publish(new ArrayList<>()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("belongs to an InMemoryEventStore");
  }
}
