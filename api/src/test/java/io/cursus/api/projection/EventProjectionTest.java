package io.cursus.api.projection;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.api.Event;
import io.cursus.api.EventIdentity;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.Timestamped;
import io.cursus.api.bus.EventBus;
import io.cursus.api.fixtures.ParcelEvent;
import io.cursus.api.fixtures.ParcelEvents;
import io.cursus.api.memory.InMemoryEventStore;
import io.cursus.api.store.HistoryQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventProjectionTest {

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

  private Projections embedded() {
    return open(Projections.embedded(store));
  }

  /** Records what an event interface handler is told, as "method parcel value". */
  static final class Trail implements ParcelEvents {
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void receivedAtDepot(StreamTimestamp ts, UUID parcelId, String depotId) {
      calls.add("received " + parcelId + " " + depotId);
    }

    @Override
    public void loadedOntoTruck(StreamTimestamp ts, UUID parcelId, String truckId) {
      calls.add("loaded " + parcelId + " " + truckId);
    }

    @Override
    public void arrivedAtDepot(StreamTimestamp ts, UUID parcelId, String depotId) {
      calls.add("arrived " + parcelId + " " + depotId);
    }

    @Override
    public void delivered(StreamTimestamp ts, UUID parcelId, String destinationId) {
      calls.add("delivered " + parcelId + " " + destinationId);
    }

    @Override
    public void deliveryFailed(StreamTimestamp ts, UUID parcelId) {
      calls.add("failed " + parcelId);
    }
  }

  @Test
  void typedHandlerSeesEachAggregatesEventsInArrivalOrder() throws Exception {
    // given a projection through the event interface, and two parcels reported out of time order
    Trail trail = new Trail();
    Projections projections = embedded();
    projections.start(Projection.events("trail").handler(ParcelEvents.class, trail).build());
    assertThat(projections.awaitCaughtUp("trail", Await.LONG)).isTrue(); // live, not catching up
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();

    // when
    parcels.loadedOntoTruck(StreamTimestamp.of("truck", T0.plusSeconds(60)), a, "J98");
    parcels.receivedAtDepot(StreamTimestamp.of("depot", T0), b, "Croydon");
    parcels.receivedAtDepot(StreamTimestamp.of("depot", T0), a, "Lewisham");
    parcels.delivered(StreamTimestamp.of("truck", T0.plusSeconds(90)), b, "home");

    // then: arrival order, not event-time order (that is what state projections are for)
    assertThat(projections.awaitCaughtUp("trail", Await.LONG)).isTrue();
    assertThat(trail.calls)
        .containsExactly(
            "loaded " + a + " J98",
            "received " + b + " Croydon",
            "received " + a + " Lewisham",
            "delivered " + b + " home");
    assertThat(projections.status("trail").phase()).isEqualTo(ProjectionStatus.Phase.LIVE);
    assertThat(projections.status("trail").eventsHandled()).isEqualTo(4);
  }

  @Test
  void familyAndUntypedHandlersSeeTheEventsOfTheirTypes() throws Exception {
    List<String> typed = Collections.synchronizedList(new ArrayList<>());
    List<Event> untyped = Collections.synchronizedList(new ArrayList<>());
    Projections projections = embedded();
    projections.start(
        Projection.events("both")
            .familyHandler(
                ParcelEvent.class, (Timestamped<ParcelEvent> e) -> typed.add(e.event().toString()))
            .handler(untyped::add)
            .build());
    assertThat(projections.awaitCaughtUp("both", Await.LONG)).isTrue(); // live: no repeats
    UUID a = UUID.randomUUID();

    EventBus.writingTo(store)
        .dispatchTo(
            a, StreamTimestamp.of("depot", T0), new ParcelEvent.ReceivedAtDepot("Lewisham"));
    parcels.loadedOntoTruck(StreamTimestamp.of("truck", T0.plusSeconds(60)), a, "J98");

    assertThat(projections.awaitCaughtUp("both", Await.LONG)).isTrue();
    assertThat(typed)
        .containsExactly("ReceivedAtDepot[depotId=Lewisham]", "LoadedOntoTruck[truckId=J98]");
    assertThat(untyped)
        .extracting(e -> e.type().name())
        .containsExactly("receivedAtDepot", "loadedOntoTruck");
  }

  @Test
  void eventsOfOtherAggregateTypesArePassedOverButMoveThePosition() throws Exception {
    List<Event> seen = Collections.synchronizedList(new ArrayList<>());
    Projections projections = embedded();
    projections.start(
        Projection.events("trucks").aggregateTypes("truck").handler(seen::add).build());

    parcels.receivedAtDepot(StreamTimestamp.of("depot", T0), UUID.randomUUID(), "Lewisham");

    assertThat(projections.awaitCaughtUp("trucks", Await.LONG)).isTrue();
    assertThat(seen).isEmpty();
    assertThat(projections.status("trucks").position()).isEqualTo(store.feed().head());
  }

  @Test
  void aNewProjectionCatchesUpWithWhatIsStoredThenGoesLive() throws Exception {
    // given 30 parcels stored before the projection exists
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      UUID id = UUID.randomUUID();
      ids.add(id);
      parcels.receivedAtDepot(StreamTimestamp.of("depot", T0), id, "Lewisham");
      parcels.loadedOntoTruck(StreamTimestamp.of("truck", T0.plusSeconds(i)), id, "J" + i);
    }
    Set<EventIdentity> seen = ConcurrentHashMap.newKeySet();
    Projections projections = embedded();

    // when it starts (catching up 7 aggregates at a time) and more arrive
    projections.start(
        Projection.events("seen")
            .aggregateTypes("parcel")
            .handler(e -> seen.add(e.identity()))
            .catchUpAggregates(7)
            .build());
    parcels.delivered(StreamTimestamp.of("truck", T0.plusSeconds(600)), ids.get(0), "home");

    // then it has seen every stored event
    assertThat(projections.awaitCaughtUp("seen", Await.LONG)).isTrue();
    assertThat(seen).isEqualTo(storedIdentities());
    assertThat(seen).hasSize(61);
  }

  @Test
  void catchUpWithConcurrentWritesSeesEverything() throws Exception {
    // given 200 stored parcels, and a handler that holds its first catch-up batch
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      UUID id = UUID.randomUUID();
      ids.add(id);
      parcels.receivedAtDepot(StreamTimestamp.of("depot", T0), id, "Lewisham");
    }
    CountDownLatch catchUpStarted = new CountDownLatch(1);
    CountDownLatch writesDone = new CountDownLatch(1);
    Map<EventIdentity, Integer> counts = new ConcurrentHashMap<>();
    Projections projections = embedded();
    projections.start(
        Projection.events("counts")
            .aggregateTypes("parcel")
            .batchHandler(
                batch -> {
                  if (batch.catchingUp() && catchUpStarted.getCount() > 0) {
                    catchUpStarted.countDown();
                    await(writesDone);
                  }
                  batch.events().forEach(e -> counts.merge(e.identity(), 1, Integer::sum));
                })
            .catchUpAggregates(10)
            .batchSize(16)
            .build());

    // when, during the catch-up, events arrive for aggregates it has read, not read, and new ones
    assertThat(catchUpStarted.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(projections.status("counts").phase()).isEqualTo(ProjectionStatus.Phase.CATCHING_UP);
    for (int i = 0; i < 200; i++) {
      parcels.loadedOntoTruck(StreamTimestamp.of("truck", T0.plusSeconds(60)), ids.get(i), "J" + i);
      parcels.receivedAtDepot(StreamTimestamp.of("depot", T0), UUID.randomUUID(), "Croydon");
    }
    writesDone.countDown();

    // then nothing was skipped, and nothing was handed over twice: the events the catch-up read
    // that were stored after it began are not repeated when it goes live
    assertThat(projections.awaitCaughtUp("counts", Await.LONG)).isTrue();
    assertThat(counts.keySet()).isEqualTo(storedIdentities()).hasSize(600);
    assertThat(counts.values()).allMatch(n -> n == 1);
  }

  @Test
  void aRestartResumesFromTheSavedPosition() throws Exception {
    // given a projection that handled 10 events and was closed
    CheckpointStore checkpoints = CheckpointStore.inMemory();
    List<Event> first = Collections.synchronizedList(new ArrayList<>());
    Projections before =
        open(Projections.builder(store.feed(), store, store).checkpoints(checkpoints).build());
    before.start(Projection.events("log").aggregateTypes("parcel").handler(first::add).build());
    assertThat(before.awaitCaughtUp("log", Await.LONG)).isTrue(); // live: no repeats
    for (int i = 0; i < 10; i++) {
      parcels.receivedAtDepot(StreamTimestamp.of("depot", T0), UUID.randomUUID(), "d" + i);
    }
    assertThat(before.awaitCaughtUp("log", Await.LONG)).isTrue();
    before.close();

    // when 5 more arrive and it starts again with the same checkpoints
    for (int i = 10; i < 15; i++) {
      parcels.receivedAtDepot(StreamTimestamp.of("depot", T0), UUID.randomUUID(), "d" + i);
    }
    List<Event> second = Collections.synchronizedList(new ArrayList<>());
    Projections after =
        open(Projections.builder(store.feed(), store, store).checkpoints(checkpoints).build());
    after.start(Projection.events("log").aggregateTypes("parcel").handler(second::add).build());

    // then it hands over only the 5 new ones
    assertThat(after.awaitCaughtUp("log", Await.LONG)).isTrue();
    assertThat(first).hasSize(10);
    assertThat(second)
        .extracting(e -> e.parameters().get("depotId"))
        .containsExactly("d10", "d11", "d12", "d13", "d14");
  }

  /** A view and its checkpoints, changed together, as one transaction would. */
  static final class CountingView implements BatchHandler, CheckpointStore {
    final Map<EventIdentity, Integer> counts = new ConcurrentHashMap<>();
    private final Map<String, String> checkpoints = new HashMap<>();

    @Override
    public synchronized void handle(EventBatch batch) {
      for (Event event : batch.events()) {
        counts.merge(event.identity(), 1, Integer::sum);
      }
      checkpoints.put(batch.checkpointKey(), batch.checkpoint().asString());
    }

    @Override
    public synchronized Optional<Checkpoint> load(String key) {
      return Optional.ofNullable(checkpoints.get(key)).map(Checkpoint::parse);
    }

    @Override
    public synchronized void save(String key, Checkpoint saved) {
      // What a batch stored is saved again here, which changes nothing; a catch-up's start and
      // end, which no batch carries, are saved only here.
      checkpoints.put(key, saved.asString());
    }

    @Override
    public synchronized void delete(String key) {
      checkpoints.remove(key);
    }
  }

  @Test
  void aBatchHandlerThatKeepsItsCheckpointResumesExactlyAfterItsLastBatch() throws Exception {
    // given a view that stores its checkpoint with its counts
    CountingView view = new CountingView();
    for (int i = 0; i < 40; i++) {
      parcels.receivedAtDepot(StreamTimestamp.of("depot", T0), UUID.randomUUID(), "d" + i);
    }
    Projections before =
        open(Projections.builder(store.feed(), store, store).checkpoints(view).build());
    before.start(
        Projection.events("counts")
            .aggregateTypes("parcel")
            .batchHandler(view)
            .batchSize(8)
            .catchUpAggregates(5)
            .build());
    assertThat(before.awaitCaughtUp("counts", Await.LONG)).isTrue();
    for (int i = 40; i < 60; i++) {
      parcels.receivedAtDepot(StreamTimestamp.of("depot", T0), UUID.randomUUID(), "d" + i);
    }
    assertThat(before.awaitCaughtUp("counts", Await.LONG)).isTrue();
    before.close();

    // when more arrive and another runtime starts from the view's checkpoint
    for (int i = 60; i < 70; i++) {
      parcels.receivedAtDepot(StreamTimestamp.of("depot", T0), UUID.randomUUID(), "d" + i);
    }
    Projections after =
        open(Projections.builder(store.feed(), store, store).checkpoints(view).build());
    after.start(
        Projection.events("counts")
            .aggregateTypes("parcel")
            .batchHandler(view)
            .batchSize(8)
            .build());

    // then every event is counted exactly once
    assertThat(after.awaitCaughtUp("counts", Await.LONG)).isTrue();
    assertThat(view.counts.keySet()).isEqualTo(storedIdentities());
    assertThat(view.counts.values()).containsOnly(1);
    assertThat(view.load("counts").orElseThrow().position()).isEqualTo(store.feed().head());
  }

  @Test
  void catchUpHandsEachAggregatesEventsInCaptureOrder() throws Exception {
    UUID a = UUID.randomUUID();
    parcels.delivered(StreamTimestamp.of("truck", T0.plusSeconds(300)), a, "home");
    parcels.receivedAtDepot(StreamTimestamp.of("depot", T0), a, "Lewisham");
    parcels.loadedOntoTruck(StreamTimestamp.of("truck", T0.plusSeconds(60)), a, "J98");
    Trail trail = new Trail();
    Projections projections = embedded();

    projections.start(Projection.events("trail").handler(ParcelEvents.class, trail).build());

    assertThat(projections.awaitCaughtUp("trail", Await.LONG)).isTrue();
    assertThat(trail.calls)
        .containsExactly(
            "delivered " + a + " home", "received " + a + " Lewisham", "loaded " + a + " J98");
  }

  @Test
  void twoInstancesSharingClaimsNeverBothApplyAnEffect() throws Exception {
    // given two runtimes over one store, sharing checkpoints and claims, and one keyed view
    CheckpointStore checkpoints = CheckpointStore.inMemory();
    ProjectionClaims claims = ProjectionClaims.inMemory();
    Map<EventIdentity, Integer> view = new ConcurrentHashMap<>();
    Set<EventIdentity> byFirst = ConcurrentHashMap.newKeySet();
    Set<EventIdentity> bySecond = ConcurrentHashMap.newKeySet();
    Projections first =
        open(
            Projections.builder(store.feed(), store, store)
                .checkpoints(checkpoints)
                .claims(claims)
                .owner("first")
                .build());
    Projections second =
        open(
            Projections.builder(store.feed(), store, store)
                .checkpoints(checkpoints)
                .claims(claims)
                .owner("second")
                .claimRetry(Duration.ofMillis(10))
                .build());
    first.start(counting(view, byFirst));
    Await.until(
        "the first instance live",
        () -> first.status("counts").phase() == ProjectionStatus.Phase.LIVE);

    // when the second starts, events arrive, the first stops, and more arrive
    second.start(counting(view, bySecond));
    Await.until(
        "the second instance on standby",
        () -> second.status("counts").phase() == ProjectionStatus.Phase.STANDBY);
    for (int i = 0; i < 100; i++) {
      parcels.receivedAtDepot(StreamTimestamp.of("depot", T0), UUID.randomUUID(), "d" + i);
    }
    assertThat(first.awaitCaughtUp("counts", Await.LONG)).isTrue();
    assertThat(second.status("counts").phase()).isEqualTo(ProjectionStatus.Phase.STANDBY);
    first.stop("counts").get(30, TimeUnit.SECONDS);
    for (int i = 100; i < 200; i++) {
      parcels.receivedAtDepot(StreamTimestamp.of("depot", T0), UUID.randomUUID(), "d" + i);
    }

    // then the second took over where the first stopped: each effect once, nothing skipped
    assertThat(second.awaitCaughtUp("counts", Await.LONG)).isTrue();
    assertThat(view.keySet()).isEqualTo(storedIdentities()).hasSize(200);
    assertThat(view.values()).containsOnly(1);
    assertThat(byFirst).hasSize(100);
    assertThat(bySecond).hasSize(100).doesNotContainAnyElementsOf(byFirst);
  }

  private static Projection counting(Map<EventIdentity, Integer> view, Set<EventIdentity> mine) {
    return Projection.events("counts")
        .aggregateTypes("parcel")
        .handler(
            e -> {
              view.merge(e.identity(), 1, Integer::sum);
              mine.add(e.identity());
            })
        .build();
  }

  private Set<EventIdentity> storedIdentities() {
    Set<EventIdentity> all = new HashSet<>();
    for (var id : store.list("parcel")) {
      store.history(id, HistoryQuery.all()).forEach(e -> all.add(e.identity()));
    }
    return all;
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
