package io.cursus.api.projection;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.api.Event;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.bus.EventBus;
import io.cursus.api.fixtures.ParcelEvents;
import io.cursus.api.memory.InMemoryEventFeed;
import io.cursus.api.memory.InMemoryEventStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A source whose partitions instances share out (as a Kafka consumer group does): what one instance
 * saves must not move back the partitions another owns.
 */
class SharedSourceTest {

  private static final Instant T0 = Instant.parse("2026-11-22T09:00:00Z");

  /** The in-memory feed, posing as a source that splits its partitions among instances. */
  private static ProjectionSource shared(InMemoryEventFeed feed) {
    return new ProjectionSource() {
      @Override
      public Reader open(String projection, Supplier<Position> committed) {
        return feed.open(projection, committed);
      }

      @Override
      public Position head() {
        return feed.head();
      }

      @Override
      public boolean splitsWork() {
        return true;
      }
    };
  }

  @Test
  void anInstanceSavesOnlyThePartitionsOfItsBatchesAndLeavesAnotherInstancesAlone()
      throws Exception {
    // given: an instance live on partition "feed", while partition "other" belongs to another
    InMemoryEventFeed feed = InMemoryEventFeed.create();
    InMemoryEventStore store = InMemoryEventStore.empty();
    CheckpointStore checkpoints = CheckpointStore.inMemory();
    checkpoints.save(
        "audit",
        Checkpoint.live(1, Position.of(Map.of(InMemoryEventFeed.PARTITION, 0L, "other", 7L))));
    AtomicInteger handled = new AtomicInteger();
    List<Event> events = new ArrayList<>();
    EventBus.to(events::addAll)
        .emitter(ParcelEvents.class)
        .receivedAtDepot(StreamTimestamp.of("depot", T0), UUID.randomUUID(), "Lewisham");
    try (Projections projections =
        Projections.builder(shared(feed), store, store).checkpoints(checkpoints).build()) {
      projections.start(
          Projection.events("audit")
              .aggregateTypes("parcel")
              .handler(event -> handled.incrementAndGet())
              .build());
      Await.until(
          "the projection is live",
          () -> projections.status("audit").phase() == ProjectionStatus.Phase.LIVE);

      // when: the other instance moves its partition on, and then this one handles a batch
      checkpoints.save("audit", Checkpoint.live(1, Position.of("other", 9)));
      feed.publish(events);
      Await.until("the event is handled", () -> handled.get() == 1);
      Await.until(
          "the checkpoint is saved",
          () ->
              checkpoints.load("audit").orElseThrow().position().next(InMemoryEventFeed.PARTITION)
                  == 1);

      // then: the other instance's partition kept its offset
      assertThat(checkpoints.load("audit").orElseThrow().position().offsets())
          .containsEntry("other", 9L)
          .containsEntry(InMemoryEventFeed.PARTITION, 1L);
    }
  }
}
