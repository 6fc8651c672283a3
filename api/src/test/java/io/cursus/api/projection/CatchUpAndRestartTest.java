package io.cursus.api.projection;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.api.AggregateId;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.bus.EventBus;
import io.cursus.api.fixtures.ParcelEvents;
import io.cursus.api.fixtures.ParcelState;
import io.cursus.api.memory.InMemoryEventStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CatchUpAndRestartTest {

  private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

  private final InMemoryEventStore store = InMemoryEventStore.empty();
  private final ParcelEvents parcels = EventBus.writingTo(store).emitter(ParcelEvents.class);
  private final CheckpointStore checkpoints = CheckpointStore.inMemory();
  private final List<Projections> opened = new ArrayList<>();

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

  @Test
  void aCatchUpStoppedHalfWayResumesAfterTheLastAggregateItSaved() throws Exception {
    // given 30 parcels, and a first runtime stopped while its catch-up handles the second chunk
    receive(30);
    List<AggregateId> first = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch inSecondChunk = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Projections before = runtime();
    before.start(
        Projection.states("board", "parcel", history -> java.util.Optional.of(history.size()))
            .handler(
                (AggregateId id, Integer events) -> {
                  first.add(id);
                  if (first.size() == 15) {
                    inSecondChunk.countDown();
                    await(release);
                  }
                })
            .catchUpAggregates(10)
            .build());
    assertThat(inSecondChunk.await(30, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<ProjectionStatus> stopping = before.stop("board");
    release.countDown();
    ProjectionStatus stopped = stopping.get(30, TimeUnit.SECONDS);
    assertThat(stopped.catchUp().orElseThrow().aggregatesDone()).isEqualTo(20);
    assertThat(checkpoints.load("board").orElseThrow().catchUpAfter()).contains(first.get(19));

    // when another runtime starts it
    List<AggregateId> second = Collections.synchronizedList(new ArrayList<>());
    Projections after = runtime();
    after.start(
        Projection.states("board", "parcel", history -> java.util.Optional.of(history.size()))
            .handler((AggregateId id, Integer events) -> second.add(id))
            .catchUpAggregates(10)
            .build());

    // then it reads the last ten aggregates only
    assertThat(after.awaitCaughtUp("board", Await.LONG)).isTrue();
    assertThat(first).hasSize(20);
    assertThat(second).hasSize(10).doesNotContainAnyElementsOf(first);
    List<AggregateId> all = new ArrayList<>(first);
    all.addAll(second);
    assertThat(all).isSorted().containsExactlyInAnyOrderElementsOf(store.list("parcel"));
  }

  /** The store, whose preload of the first chunk waits until three other chunks' reads began. */
  private final class ReadingAheadStore implements io.cursus.api.store.EventSource {
    final CountDownLatch othersStarted = new CountDownLatch(3);
    final List<List<AggregateId>> chunks = Collections.synchronizedList(new ArrayList<>());
    final java.util.Set<String> threads = ConcurrentHashMap.newKeySet();
    final java.util.concurrent.atomic.AtomicBoolean failedOnce =
        new java.util.concurrent.atomic.AtomicBoolean();
    volatile boolean firstWaited;

    @Override
    public java.util.stream.Stream<io.cursus.api.Event> read(
        AggregateId aggregate, io.cursus.api.store.HistoryQuery query) {
      return store.read(aggregate, query);
    }

    @Override
    public Map<AggregateId, List<io.cursus.api.Event>> preload(
        java.util.Collection<AggregateId> aggregates, io.cursus.api.store.HistoryQuery query) {
      List<AggregateId> chunk = List.copyOf(aggregates);
      boolean first = chunks.isEmpty();
      chunks.add(chunk);
      threads.add(Thread.currentThread().getName());
      if (first) {
        try {
          firstWaited = othersStarted.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      } else {
        othersStarted.countDown();
        if (chunks.size() == 3 && failedOnce.compareAndSet(false, true)) {
          throw new io.cursus.api.TransientCursusException("the third read fails once", null);
        }
      }
      return store.preload(aggregates, query);
    }
  }

  @Test
  void aCatchUpReadsChunksAheadAtOnceAndHandsThemOverInOrderOnceEach() throws Exception {
    // given 40 parcels, chunks of 5, three chunks read ahead, the third read failing once
    receive(40);
    ReadingAheadStore reading = new ReadingAheadStore();
    List<AggregateId> handled = Collections.synchronizedList(new ArrayList<>());
    Projections projections =
        Projections.builder(store.feed(), reading, store).checkpoints(checkpoints).build();
    opened.add(projections);

    // when
    projections.start(
        Projection.states("board", "parcel", history -> java.util.Optional.of(history.size()))
            .handler((AggregateId id, Integer events) -> handled.add(id))
            .catchUpAggregates(5)
            .catchUpReadAhead(3)
            .build());

    // then the first chunk's read waited for the next three, and nothing was lost or repeated
    assertThat(projections.awaitCaughtUp("board", Await.LONG)).isTrue();
    assertThat(reading.firstWaited).as("three chunks were read while the first was").isTrue();
    assertThat(reading.threads).contains("cursus-projection-board-prefetch");
    assertThat(handled).isSorted().doesNotHaveDuplicates();
    assertThat(handled).containsExactlyElementsOf(store.list("parcel").stream().sorted().toList());
    assertThat(reading.failedOnce).isTrue();
    assertThat(reading.chunks).hasSize(9); // eight chunks, the failed one read again
  }

  @Test
  void withoutReadAheadEachChunkIsReadWhenItsTurnComes() throws Exception {
    receive(12);
    List<String> readers = Collections.synchronizedList(new ArrayList<>());
    io.cursus.api.store.EventSource counting =
        new io.cursus.api.store.EventSource() {
          @Override
          public java.util.stream.Stream<io.cursus.api.Event> read(
              AggregateId aggregate, io.cursus.api.store.HistoryQuery query) {
            return store.read(aggregate, query);
          }

          @Override
          public Map<AggregateId, List<io.cursus.api.Event>> preload(
              java.util.Collection<AggregateId> aggregates,
              io.cursus.api.store.HistoryQuery query) {
            readers.add(Thread.currentThread().getName());
            return store.preload(aggregates, query);
          }
        };
    Projections projections =
        Projections.builder(store.feed(), counting, store).checkpoints(checkpoints).build();
    opened.add(projections);
    Map<AggregateId, Integer> view = new ConcurrentHashMap<>();

    projections.start(
        Projection.states("board", "parcel", history -> java.util.Optional.of(history.size()))
            .handler((AggregateId id, Integer events) -> view.put(id, events))
            .catchUpAggregates(5)
            .catchUpReadAhead(0)
            .build());

    assertThat(projections.awaitCaughtUp("board", Await.LONG)).isTrue();
    assertThat(view).hasSize(12);
    assertThat(readers).hasSize(3).allSatisfy(name -> assertThat(name).doesNotEndWith("-prefetch"));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                Projection.states("x", "parcel", h -> java.util.Optional.of(1))
                    .catchUpReadAhead(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("catch-up read-ahead must be 0 or more, was -1");
  }

  @Test
  void theDocsSampleOfASmallerReadAheadCatchesUpEveryAggregate() throws Exception {
    receive(50);
    Map<AggregateId, Integer> view = new ConcurrentHashMap<>();
    Projections projections = runtime();

    projections.start(
        Projection.states("board", "parcel", history -> Optional.of(history.size()))
            .handler((AggregateId id, Integer events) -> view.put(id, events))
            .catchUpAggregates(20) // long histories: 20 aggregates a chunk
            .catchUpReadAhead(2) // and two chunks read ahead, so at most 60 histories in memory
            .build());

    assertThat(projections.awaitCaughtUp("board", Await.LONG)).isTrue();
    assertThat(view.keySet()).containsExactlyInAnyOrderElementsOf(store.list("parcel"));
    assertThat(view.values()).containsOnly(1);
  }

  @Test
  void aPauseDuringTheCatchUpHoldsItWhereItIs() throws Exception {
    receive(12);
    List<AggregateId> seen = Collections.synchronizedList(new ArrayList<>());
    Projections projections = runtime();
    projections.start(
        Projection.states("board", ParcelState.class, ParcelEvents.class)
            .handler(
                (AggregateId id, ParcelState state) -> {
                  seen.add(id);
                  if (seen.size() == 4) {
                    var pausing = projections.pause("board"); // applied after this chunk
                    assertThat(pausing).isNotNull();
                  }
                })
            .catchUpAggregates(4)
            .build());

    Await.until(
        "the pause", () -> projections.status("board").phase() == ProjectionStatus.Phase.PAUSED);
    ProjectionStatus paused = projections.status("board");
    assertThat(paused.catchUp().orElseThrow().aggregatesDone()).isEqualTo(4);
    assertThat(seen).hasSize(4);
    projections.resume("board").get(30, TimeUnit.SECONDS);

    assertThat(projections.awaitCaughtUp("board", Await.LONG)).isTrue();
    assertThat(seen).hasSize(12).doesNotHaveDuplicates();
  }

  @Test
  void aRebuildLeftInProgressResumesWhenTheProjectionStartsAgain() throws Exception {
    // given a rebuild paused half way when its runtime closed
    receive(20);
    Map<Integer, Map<UUID, String>> views = new ConcurrentHashMap<>();
    List<Integer> serving = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Projections before = runtime();
    before.start(board(views, serving, held, release));
    assertThat(before.awaitCaughtUp("board", Await.LONG)).isTrue();
    CompletableFuture<Integer> rebuilt = before.rebuild("board");
    assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
    var pausing = before.pause("board"); // the serving generation and the rebuild, after this chunk
    release.countDown();
    assertThat(pausing.get(30, TimeUnit.SECONDS).phase()).isEqualTo(ProjectionStatus.Phase.PAUSED);
    Await.until(
        "the rebuild to pause",
        () ->
            before
                .status("board")
                .rebuild()
                .map(r -> r.phase() == ProjectionStatus.Phase.PAUSED)
                .orElse(false));
    before.close();
    assertThat(rebuilt).isCompletedExceptionally();
    assertThat(checkpoints.load("board" + Projections.REBUILD)).isPresent();

    // when the projection starts again
    List<Integer> servingAfter = Collections.synchronizedList(new ArrayList<>());
    Projections after = runtime();
    after.start(board(views, servingAfter, new CountDownLatch(0), new CountDownLatch(0)));

    // then the rebuild goes on beside generation 1 and takes over
    Await.until(
        "generation 2 to serve",
        () -> after.status("board").generation() == 2,
        () -> after.status("board"));
    assertThat(servingAfter).containsExactly(1, 2);
    assertThat(after.awaitCaughtUp("board", Await.LONG)).isTrue();
    assertThat(views.get(2)).hasSize(20).isEqualTo(views.get(1));
    assertThat(checkpoints.load("board" + Projections.REBUILD)).isEmpty();
    assertThat(checkpoints.load("board").orElseThrow().generation()).isEqualTo(2);
  }

  private static Projection board(
      Map<Integer, Map<UUID, String>> views,
      List<Integer> serving,
      CountDownLatch held,
      CountDownLatch release) {
    return Projection.states("board", ParcelState.class, ParcelEvents.class)
        .handlerPerGeneration(
            UUID.class,
            generation -> {
              Map<UUID, String> view =
                  views.computeIfAbsent(generation, g -> new ConcurrentHashMap<>());
              return (id, state) -> {
                if (generation == 2 && view.size() == 5 && held.getCount() > 0) {
                  held.countDown();
                  await(release);
                }
                view.put(id, state.location());
              };
            })
        .whenServing(serving::add)
        .catchUpAggregates(5)
        .build();
  }

  @Test
  void aClaimRunsOutUnlessRenewedSoAnotherInstanceCanTakeOver() {
    ProjectionClaims claims = ProjectionClaims.inMemory();
    Instant t = Instant.parse("2026-03-01T12:00:00Z");
    Duration ttl = Duration.ofSeconds(30);

    assertThat(claims.claim("board", "a", t, t.plus(ttl))).isTrue();
    assertThat(claims.claim("board", "b", t.plusSeconds(10), t.plusSeconds(10).plus(ttl)))
        .isFalse();
    assertThat(claims.claim("board", "a", t.plusSeconds(10), t.plusSeconds(10).plus(ttl))).isTrue();
    assertThat(claims.claim("board", "b", t.plusSeconds(39), t.plusSeconds(39).plus(ttl)))
        .isFalse();
    assertThat(claims.claim("board", "b", t.plusSeconds(40), t.plusSeconds(40).plus(ttl))).isTrue();
    claims.release("board", "a"); // no longer a's: nothing happens
    assertThat(claims.claim("board", "a", t.plusSeconds(41), t.plusSeconds(41).plus(ttl)))
        .isFalse();
    claims.release("board", "b");
    assertThat(claims.claim("board", "a", t.plusSeconds(42), t.plusSeconds(42).plus(ttl))).isTrue();
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("latch not released within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
