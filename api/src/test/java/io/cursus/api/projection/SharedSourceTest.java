package io.cursus.api.projection;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.api.Event;
import io.cursus.api.NonTransientCursusException;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.bus.EventBus;
import io.cursus.api.fixtures.ParcelEvents;
import io.cursus.api.memory.InMemoryEventFeed;
import io.cursus.api.memory.InMemoryEventStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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

  /**
   * {@link #shared}, counting the readers opened and those still open: a reader open is a member of
   * the group, holding partitions.
   */
  private static final class Membership implements ProjectionSource {
    final InMemoryEventFeed feed;
    final AtomicInteger opened = new AtomicInteger();
    final AtomicInteger open = new AtomicInteger();

    Membership(InMemoryEventFeed feed) {
      this.feed = feed;
    }

    @Override
    public Reader open(String projection, Supplier<Position> committed) {
      Reader reader = feed.open(projection, committed);
      opened.incrementAndGet();
      open.incrementAndGet();
      AtomicBoolean closed = new AtomicBoolean();
      return new Reader() {
        @Override
        public List<Delivery> poll(int max, Duration timeout) throws InterruptedException {
          return reader.poll(max, timeout);
        }

        @Override
        public void seek(Position position) {
          reader.seek(position);
        }

        @Override
        public void wakeup() {
          reader.wakeup();
        }

        @Override
        public void close() {
          if (closed.compareAndSet(false, true)) {
            open.decrementAndGet();
          }
          reader.close();
        }
      };
    }

    @Override
    public Position head() {
      return feed.head();
    }

    @Override
    public boolean splitsWork() {
      return true;
    }
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

  @Test
  void aPausedOrFailedInstanceLeavesTheGroupAndJoinsItAgainOnResume() throws Exception {
    // given: a live instance, and a handler that refuses events for good while told to
    InMemoryEventFeed feed = InMemoryEventFeed.create();
    InMemoryEventStore store = InMemoryEventStore.empty();
    Membership source = new Membership(feed);
    AtomicBoolean refusing = new AtomicBoolean();
    AtomicInteger handled = new AtomicInteger();
    try (Projections projections =
        Projections.builder(source, store, store).checkpoints(CheckpointStore.inMemory()).build()) {
      projections.start(
          Projection.events("audit")
              .aggregateTypes("parcel")
              .handler(
                  event -> {
                    if (refusing.get()) {
                      throw new NonTransientCursusException("the view's table is gone", null);
                    }
                    handled.incrementAndGet();
                  })
              .build());
      Await.until(
          "the instance reads live",
          () ->
              projections.status("audit").phase() == ProjectionStatus.Phase.LIVE
                  && source.open.get() == 1);

      // when it is paused, then: it holds no reader (its partitions can go to another instance)
      projections.pause("audit").get(30, TimeUnit.SECONDS);
      assertThat(source.open.get()).isZero();

      // when it resumes: it reads again, from its checkpoint
      projections.resume("audit").get(30, TimeUnit.SECONDS);
      feed.publish(received());
      Await.until("the event is handled", () -> handled.get() == 1);
      assertThat(source.opened.get()).isEqualTo(2);
      assertThat(source.open.get()).isOne();

      // when it fails, then: it holds no reader either
      refusing.set(true);
      feed.publish(received());
      Await.until(
          "the instance failed",
          () -> projections.status("audit").phase() == ProjectionStatus.Phase.FAILED);
      assertThat(source.open.get()).isZero();

      // when it is fixed and resumed: it joins again and handles the event it failed on
      refusing.set(false);
      projections.resume("audit").get(30, TimeUnit.SECONDS);
      Await.until("the failed event is handled", () -> handled.get() == 2);
      assertThat(source.open.get()).isOne();
    }
  }

  private static List<Event> received() {
    List<Event> events = new ArrayList<>();
    EventBus.to(events::addAll)
        .emitter(ParcelEvents.class)
        .receivedAtDepot(StreamTimestamp.of("depot", T0), UUID.randomUUID(), "Lewisham");
    return events;
  }
}
