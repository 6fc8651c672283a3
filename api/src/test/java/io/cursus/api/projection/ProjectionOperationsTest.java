package io.cursus.api.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.EventIdentity;
import io.cursus.api.EventType;
import io.cursus.api.Parameters;
import io.cursus.api.ProcessingIds;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.bus.EventBus;
import io.cursus.api.fixtures.ParcelEvent;
import io.cursus.api.fixtures.ParcelEvents;
import io.cursus.api.fixtures.ParcelState;
import io.cursus.api.mapping.DeclarationException;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.memory.InMemoryEventFeed;
import io.cursus.api.memory.InMemoryEventStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProjectionOperationsTest {

  private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

  private final InMemoryEventStore store = InMemoryEventStore.empty();
  private final ParcelEvents parcels = EventBus.writingTo(store).emitter(ParcelEvents.class);
  private final List<Projections> opened = new ArrayList<>();

  @AfterEach
  void closeAll() {
    opened.forEach(Projections::close);
  }

  private Projections open(Projections projections) {
    opened.add(projections);
    return projections;
  }

  private static Projection counting(String name, Map<EventIdentity, Integer> counts) {
    return Projection.events(name)
        .aggregateTypes("parcel")
        .handler(e -> counts.merge(e.identity(), 1, Integer::sum))
        .build();
  }

  private void receive(int n) {
    for (int i = 0; i < n; i++) {
      parcels.receivedAtDepot(StreamTimestamp.of("depot", T0), UUID.randomUUID(), "d" + i);
    }
  }

  /** An event of a new parcel at event time {@code at}, captured at {@code capturedAt}. */
  private static Event received(Instant at, Instant capturedAt) {
    return Event.of(
            AggregateId.of("parcel", UUID.randomUUID()),
            StreamTimestamp.of("depot", at),
            EventType.of("parcel", "receivedAtDepot"),
            Parameters.of("depotId", "Lewisham"))
        .withProcessingId(ProcessingIds.latestAt(capturedAt));
  }

  @Test
  void statusReportsLagInEventsAndTimeCaptureLagAndLatenessSeparately() throws Exception {
    // given a projection on a clock we set, paused while three events arrive
    TestClock clock = new TestClock(Instant.parse("2026-03-01T12:00:00Z"));
    Projections projections =
        open(Projections.builder(store.feed(), store, store).clock(clock).build());
    projections.start(counting("c", new ConcurrentHashMap<>()));
    assertThat(projections.awaitCaughtUp("c", Await.LONG)).isTrue();
    projections.pause("c").get(30, TimeUnit.SECONDS);
    Instant captured = Instant.parse("2026-03-01T11:59:50Z");
    store.append(
        List.of(
            received(Instant.parse("2026-03-01T11:00:00Z"), captured),
            received(Instant.parse("2026-03-01T11:05:00Z"), captured.plusSeconds(1)),
            received(Instant.parse("2026-03-01T11:01:00Z"), captured.plusSeconds(2))));

    // then while paused: three events behind, the oldest waiting for 10 s
    ProjectionStatus paused = projections.status("c");
    assertThat(paused.phase()).isEqualTo(ProjectionStatus.Phase.PAUSED);
    assertThat(paused.lagEvents()).isEqualTo(3);
    assertThat(paused.lagTime())
        .hasValueSatisfying(d -> assertThat(d.toMillis()).isBetween(9_999L, 10_000L));
    assertThat(paused.captureLag()).isEmpty();

    // when it resumes 5 s later
    clock.advance(Duration.ofSeconds(5));
    projections.resume("c").get(30, TimeUnit.SECONDS);
    assertThat(projections.awaitCaughtUp("c", Await.LONG)).isTrue();

    // then no lag; the last event waited 13 s since its capture; it was 4 minutes late
    ProjectionStatus live = projections.status("c");
    assertThat(live.phase()).isEqualTo(ProjectionStatus.Phase.LIVE);
    assertThat(live.lagEvents()).isZero();
    assertThat(live.lagTime()).contains(Duration.ZERO);
    assertThat(live.captureLag())
        .hasValueSatisfying(d -> assertThat(d.toMillis()).isBetween(12_999L, 13_000L));
    assertThat(live.eventTimeLateness()).isEqualTo(Duration.ofMinutes(4));
    assertThat(live.greatestLateness()).isEqualTo(Duration.ofMinutes(4));
    assertThat(live.eventsHandled()).isEqualTo(3);
    assertThat(live.at()).isEqualTo(clock.instant());
    assertThat(live.toString()).startsWith("c (generation 1): LIVE at {feed=3}, lag 0 events");
  }

  @Test
  void catchUpReportsItsProgress() throws Exception {
    receive(12);
    List<ProjectionStatus.CatchUpProgress> seenDuring =
        Collections.synchronizedList(new ArrayList<>());
    List<ProjectionStatus.Phase> phases = Collections.synchronizedList(new ArrayList<>());
    AtomicReference<Projections> runtime = new AtomicReference<>();
    Projections projections = open(Projections.embedded(store));
    runtime.set(projections);
    projections.start(
        Projection.events("slow")
            .aggregateTypes("parcel")
            .batchHandler(
                batch -> {
                  ProjectionStatus now = runtime.get().status("slow");
                  phases.add(now.phase());
                  now.catchUp().ifPresent(seenDuring::add);
                })
            .catchUpAggregates(4)
            .build());

    assertThat(projections.awaitCaughtUp("slow", Await.LONG)).isTrue();
    assertThat(phases).containsOnly(ProjectionStatus.Phase.CATCHING_UP).hasSize(3);
    assertThat(seenDuring)
        .containsExactly(
            new ProjectionStatus.CatchUpProgress(0, 12, 0),
            new ProjectionStatus.CatchUpProgress(4, 12, 4),
            new ProjectionStatus.CatchUpProgress(8, 12, 8));
    assertThat(seenDuring.get(1).fraction()).isEqualTo(4.0 / 12);
    assertThat(projections.status("slow").catchUp()).isEmpty();
    assertThat(projections.status("slow").eventsHandled()).isEqualTo(12);
  }

  @Test
  void pauseHoldsTheProjectionAndResumeGoesOn() throws Exception {
    Map<EventIdentity, Integer> counts = new ConcurrentHashMap<>();
    Projections projections = open(Projections.embedded(store));
    projections.start(counting("c", counts));
    assertThat(projections.awaitCaughtUp("c", Await.LONG)).isTrue();

    ProjectionStatus paused = projections.pause("c").get(30, TimeUnit.SECONDS);
    receive(5);

    assertThat(paused.phase()).isEqualTo(ProjectionStatus.Phase.PAUSED);
    assertThat(projections.awaitCaughtUp("c", Duration.ofMillis(50))).isFalse();
    assertThat(counts).isEmpty();
    assertThat(projections.status("c").lagEvents()).isEqualTo(5);
    projections.resume("c").get(30, TimeUnit.SECONDS);
    assertThat(projections.awaitCaughtUp("c", Await.LONG)).isTrue();
    assertThat(counts).hasSize(5);
  }

  @Test
  void aResetWhileRunningIsRefusedAndAfterAPauseReplaysEverything() throws Exception {
    Map<EventIdentity, Integer> counts = new ConcurrentHashMap<>();
    Projections projections = open(Projections.embedded(store));
    projections.start(counting("c", counts));
    assertThat(projections.awaitCaughtUp("c", Await.LONG)).isTrue(); // live: no repeats
    receive(4);
    assertThat(projections.awaitCaughtUp("c", Await.LONG)).isTrue();
    assertThat(counts.values()).containsOnly(1);

    assertThatThrownBy(() -> projections.reset("c"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("projection 'c' is LIVE; pause it before a reset");

    projections.pause("c").get(30, TimeUnit.SECONDS);
    ProjectionStatus reset = projections.reset("c").get(30, TimeUnit.SECONDS);
    assertThat(reset.phase()).isEqualTo(ProjectionStatus.Phase.PAUSED);
    projections.resume("c").get(30, TimeUnit.SECONDS);

    assertThat(projections.awaitCaughtUp("c", Await.LONG)).isTrue();
    assertThat(counts).hasSize(4);
    assertThat(counts.values()).containsOnly(2);
  }

  @Test
  void badInputIsRefusedWhereItIsGiven() throws Exception {
    Projections projections =
        open(
            Projections.builder(store.feed(), store, store)
                .registry(EventTypeRegistry.of(ParcelEvents.class))
                .build());
    projections.start(counting("c", new ConcurrentHashMap<>()));

    assertThatThrownBy(() -> projections.status("d"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no projection named 'd' was started here; started: [c]");
    assertThatThrownBy(() -> projections.pause("d")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> projections.start(counting("c", new ConcurrentHashMap<>())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a projection named 'c' already runs here");
    assertThatThrownBy(
            () ->
                projections.start(
                    Projection.events("typo").aggregateTypes("parcle").handler(e -> {}).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "projection 'typo' reads aggregate type 'parcle', which no declaration of the registry"
                + " declares; declared: [parcel]");
    assertThatThrownBy(() -> Projection.events("x").handler(Runnable.class, () -> {}))
        .isInstanceOf(DeclarationException.class)
        .hasMessageContaining("must be annotated @HandlesEventsFor");
    assertThatThrownBy(() -> Projection.events("x").handler(ParcelEvent.class, null))
        .isInstanceOf(DeclarationException.class)
        .hasMessageContaining("sealed event family; give it to familyHandler(ParcelEvent.class");
    assertThatThrownBy(() -> Projection.events("x").familyHandler(ParcelEvents.class, e -> {}))
        .isInstanceOf(DeclarationException.class);
    assertThatThrownBy(() -> Projection.events("two words"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be 1 to 100 letters, digits, '.', '_' or '-'");
    assertThatThrownBy(() -> Projection.events("x").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("projection 'x' has no handler; give it handler(...) or batchHandler(...)");
    assertThatThrownBy(() -> Projection.events("x").handler(e -> {}).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("untyped handler but reads no aggregate type");
    assertThatThrownBy(() -> Projection.events("x").handler(e -> {}).batchHandler(batch -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("either one batch handler or per-event handlers");
    assertThatThrownBy(
            () ->
                Projection.states("x", ParcelState.class, ParcelEvents.class)
                    .handler(Double.class, (id, state) -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("AggregateId, String, UUID, Long or Integer, not java.lang.Double");
    assertThatThrownBy(() -> Projection.states("x", ParcelState.class, ParcelEvents.class).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("has no handler");
    assertThatThrownBy(() -> projections.redeliver("c", "nothing-here"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("projection 'c' has parked nothing under 'nothing-here'; parked: []");
  }

  @Test
  void aStoppedProjectionCanBeStartedAgainAndResumes() throws Exception {
    Map<EventIdentity, Integer> counts = new ConcurrentHashMap<>();
    Projections projections = open(Projections.embedded(store));
    projections.start(counting("c", counts));
    assertThat(projections.awaitCaughtUp("c", Await.LONG)).isTrue(); // live: no repeats
    receive(3);
    assertThat(projections.awaitCaughtUp("c", Await.LONG)).isTrue();

    ProjectionStatus stopped = projections.stop("c").get(30, TimeUnit.SECONDS);
    receive(2);

    assertThat(stopped.phase()).isEqualTo(ProjectionStatus.Phase.STOPPED);
    assertThat(projections.status("c").phase()).isEqualTo(ProjectionStatus.Phase.STOPPED);
    assertThatThrownBy(() -> projections.pause("c"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("projection 'c' is stopped; start it again");
    projections.start(counting("c", counts));
    assertThat(projections.awaitCaughtUp("c", Await.LONG)).isTrue();
    assertThat(counts).hasSize(5);
    assertThat(counts.values()).containsOnly(1);
  }

  @Test
  void closeStopsEveryProjectionAndLeavesNoThread() throws Exception {
    Projections projections = Projections.embedded(store);
    projections.start(counting("a", new ConcurrentHashMap<>()));
    projections.start(
        Projection.states("b", ParcelState.class, ParcelEvents.class)
            .handler(UUID.class, (id, state) -> {})
            .build());
    receive(3);
    assertThat(projections.awaitCaughtUp("a", Await.LONG)).isTrue();
    List<Thread> threads =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("cursus-projection-"))
            .toList();
    assertThat(threads)
        .extracting(Thread::getName)
        .contains("cursus-projection-a", "cursus-projection-b");

    projections.close();

    for (Thread thread : threads) {
      thread.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(thread.isAlive()).as(thread.getName()).isFalse();
    }
    assertThat(projections.status("a").phase()).isEqualTo(ProjectionStatus.Phase.STOPPED);
    assertThatThrownBy(() -> projections.start(counting("c", new ConcurrentHashMap<>())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("these projections are closed");
  }

  @Test
  void projectionsRunOnTheExecutorGivenAndReleaseItOnClose() throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(2);
    Map<EventIdentity, Integer> counts = new ConcurrentHashMap<>();
    Set<String> threadNames = ConcurrentHashMap.newKeySet();
    try (Projections projections =
        Projections.builder(store.feed(), store, store).executor(executor).build()) {
      projections.start(
          Projection.events("c")
              .aggregateTypes("parcel")
              .handler(
                  e -> {
                    threadNames.add(Thread.currentThread().getName());
                    counts.merge(e.identity(), 1, Integer::sum);
                  })
              .build());
      receive(10);
      assertThat(projections.awaitCaughtUp("c", Await.LONG)).isTrue();
    }
    executor.shutdown();

    assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    assertThat(counts).hasSize(10);
    assertThat(threadNames).allMatch(name -> name.startsWith("pool-"));
  }

  @Test
  void statusIsSafeToQueryFromManyThreadsWhileEventsFlow() throws Exception {
    Projections projections = open(Projections.embedded(store));
    projections.start(counting("c", new ConcurrentHashMap<>()));
    assertThat(projections.awaitCaughtUp("c", Await.LONG)).isTrue(); // live: no repeats
    ExecutorService readers = Executors.newFixedThreadPool(4);
    List<Throwable> problems = Collections.synchronizedList(new ArrayList<>());
    for (int r = 0; r < 4; r++) {
      readers.execute(
          () -> {
            long last = 0;
            for (int i = 0; i < 2_000; i++) {
              try {
                long handled = projections.status("c").eventsHandled();
                if (handled < last) {
                  problems.add(
                      new AssertionError("handled went back from " + last + " to " + handled));
                }
                last = handled;
              } catch (RuntimeException e) {
                problems.add(e);
              }
            }
          });
    }
    receive(500);
    readers.shutdown();

    assertThat(readers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    assertThat(projections.awaitCaughtUp("c", Await.LONG)).isTrue();
    assertThat(problems).isEmpty();
    assertThat(projections.status("c").eventsHandled()).isEqualTo(500);
  }

  @Test
  void aStandaloneFeedCanDriveAProjection() throws Exception {
    InMemoryEventFeed feed = InMemoryEventFeed.create();
    List<Event> seen = Collections.synchronizedList(new ArrayList<>());
    Projections projections = open(Projections.builder(feed, store, store).build());
    projections.start(Projection.events("p").aggregateTypes("parcel").handler(seen::add).build());
    Event event = received(T0, T0);

    feed.publish(List.of(event, event));

    assertThat(projections.awaitCaughtUp("p", Await.LONG)).isTrue();
    assertThat(seen).containsExactly(event, event); // a feed of repeats delivers repeats
  }
}
