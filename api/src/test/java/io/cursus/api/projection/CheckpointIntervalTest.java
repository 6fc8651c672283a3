package io.cursus.api.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.EventIdentity;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.bus.EventBus;
import io.cursus.api.fixtures.ParcelEvents;
import io.cursus.api.memory.InMemoryEventStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A live projection behind its source saves its checkpoint once per checkpoint interval rather than
 * after every batch; whatever it does next (find the source drained, pause, stop, fail) saves what
 * it handled first.
 */
class CheckpointIntervalTest {

  private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

  private final InMemoryEventStore store = InMemoryEventStore.empty();
  private final ParcelEvents parcels = EventBus.writingTo(store).emitter(ParcelEvents.class);
  private final Counting checkpoints = new Counting();
  private final List<Projections> opened = new ArrayList<>();

  /** Counts the live checkpoints saved. */
  private static final class Counting implements CheckpointStore {
    final CheckpointStore delegate = CheckpointStore.inMemory();
    final AtomicInteger liveSaves = new AtomicInteger();

    @Override
    public Optional<Checkpoint> load(String key) {
      return delegate.load(key);
    }

    @Override
    public void save(String key, Checkpoint checkpoint) {
      if (checkpoint.isCaughtUp()) {
        liveSaves.incrementAndGet();
      }
      delegate.save(key, checkpoint);
    }

    @Override
    public void delete(String key) {
      delegate.delete(key);
    }
  }

  @AfterEach
  void closeAll() {
    opened.forEach(Projections::close);
  }

  private Projections runtime() {
    Projections projections =
        Projections.builder(store.feed(), store, store).checkpoints(checkpoints).build();
    opened.add(projections);
    return projections;
  }

  private void receive(int parcelsToStore) {
    for (int i = 0; i < parcelsToStore; i++) {
      parcels.receivedAtDepot(StreamTimestamp.of("depot", T0), UUID.randomUUID(), "d" + i);
    }
  }

  /** A projection live on an empty store, paused while {@code backlog} events arrive. */
  private Projections behindBy(int backlog, Duration interval, List<EventIdentity> seen)
      throws Exception {
    Projections projections = runtime();
    projections.start(
        Projection.events("board")
            .aggregateTypes("parcel")
            .handler(event -> seen.add(event.identity()))
            .batchSize(10)
            .checkpointInterval(interval)
            .build());
    assertThat(projections.awaitCaughtUp("board", Await.LONG)).isTrue();
    projections.pause("board").get(30, TimeUnit.SECONDS);
    receive(backlog);
    checkpoints.liveSaves.set(0);
    return projections;
  }

  @Test
  void fullBatchesAreSavedTogetherAndWhatWasHandledIsSavedOnceTheSourceIsDrained()
      throws Exception {
    List<EventIdentity> seen = Collections.synchronizedList(new ArrayList<>());
    Projections projections = behindBy(1_000, Duration.ofHours(1), seen);

    projections.resume("board").get(30, TimeUnit.SECONDS);

    assertThat(projections.awaitCaughtUp("board", Await.LONG)).isTrue();
    assertThat(seen).hasSize(1_000).doesNotHaveDuplicates();
    // 100 full batches, then a poll that finds nothing: one save, for all of them
    assertThat(checkpoints.liveSaves.get()).isBetween(1, 2);
    assertThat(checkpoints.load("board").orElseThrow().position()).isEqualTo(store.feed().head());
  }

  @Test
  void aZeroIntervalSavesAfterEveryBatch() throws Exception {
    List<EventIdentity> seen = Collections.synchronizedList(new ArrayList<>());
    Projections projections = behindBy(1_000, Duration.ZERO, seen);

    projections.resume("board").get(30, TimeUnit.SECONDS);

    assertThat(projections.awaitCaughtUp("board", Await.LONG)).isTrue();
    assertThat(checkpoints.liveSaves.get()).isGreaterThanOrEqualTo(100);
  }

  @Test
  void theDocsSampleSavesAfterEveryFullBatchToo() throws Exception {
    AtomicInteger handled = new AtomicInteger();
    Projections projections = runtime();
    projections.start(
        Projection.events("audit")
            .aggregateTypes("parcel")
            .handler(event -> handled.incrementAndGet())
            .checkpointInterval(Duration.ZERO) // a checkpoint after every batch, even when behind
            .build());
    assertThat(projections.awaitCaughtUp("audit", Await.LONG)).isTrue();
    projections.pause("audit").get(30, TimeUnit.SECONDS);
    receive(600);
    checkpoints.liveSaves.set(0);

    projections.resume("audit").get(30, TimeUnit.SECONDS);

    assertThat(projections.awaitCaughtUp("audit", Await.LONG)).isTrue();
    assertThat(handled).hasValue(600);
    assertThat(checkpoints.liveSaves.get()).isGreaterThanOrEqualTo(3); // 256, 256 and 88
  }

  @Test
  void aStopInTheMiddleOfABacklogSavesWhatWasHandledSoARestartRepeatsNothing() throws Exception {
    List<EventIdentity> seen = Collections.synchronizedList(new ArrayList<>());
    Projections projections = behindBy(5_000, Duration.ofHours(1), seen);
    projections.resume("board").get(30, TimeUnit.SECONDS);
    Await.until("some batches handled", () -> seen.size() >= 100);

    projections.stop("board").get(30, TimeUnit.SECONDS);
    int handledBeforeStop = seen.size();
    Projections again = runtime();
    again.start(
        Projection.events("board")
            .aggregateTypes("parcel")
            .handler(event -> seen.add(event.identity()))
            .batchSize(10)
            .checkpointInterval(Duration.ofHours(1))
            .build());

    assertThat(again.awaitCaughtUp("board", Await.LONG)).isTrue();
    assertThat(handledBeforeStop).isLessThanOrEqualTo(5_000);
    assertThat(seen).hasSize(5_000).doesNotHaveDuplicates();
  }

  @Test
  void aNegativeIntervalIsRefused() {
    assertThatThrownBy(
            () ->
                Projection.events("board")
                    .aggregateTypes("parcel")
                    .checkpointInterval(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("checkpoint interval must not be negative, was PT-0.001S");
  }
}
