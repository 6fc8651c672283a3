package io.cursus.api.projection;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.Timestamped;
import io.cursus.api.bus.EventBus;
import io.cursus.api.fixtures.ParcelEvent;
import io.cursus.api.fixtures.ParcelEvents;
import io.cursus.api.fixtures.ParcelState;
import io.cursus.api.memory.InMemoryEventFeed;
import io.cursus.api.memory.InMemoryEventStore;
import io.cursus.api.state.StateBuilder;
import io.cursus.api.state.StateFold;
import io.cursus.api.store.HistoryQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StateProjectionTest {

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

  private static Projection trails(Map<UUID, List<String>> board) {
    return Projection.states("trails", ParcelState.class, ParcelEvents.class)
        .handler(UUID.class, (parcelId, state) -> board.put(parcelId, List.copyOf(state.trail())))
        .build();
  }

  @Test
  void aLateEventBeforeProjectedEventsYieldsTheCorrectedState() throws Exception {
    // given a parcel received and loaded, projected
    Map<UUID, List<String>> board = new ConcurrentHashMap<>();
    Projections projections = open(Projections.embedded(store));
    projections.start(trails(board));
    assertThat(projections.awaitCaughtUp("trails", Await.LONG))
        .isTrue(); // live: lateness is measured
    UUID parcel = UUID.randomUUID();
    parcels.receivedAtDepot(StreamTimestamp.of("depot-1", T0), parcel, "Lewisham");
    parcels.loadedOntoTruck(StreamTimestamp.of("depot-1", T0.plusSeconds(600)), parcel, "J98");
    assertThat(projections.awaitCaughtUp("trails", Await.LONG)).isTrue();
    assertThat(board.get(parcel)).containsExactly("Lewisham", "J98");

    // when a report of a stop in between, which happened earlier, arrives late
    parcels.arrivedAtDepot(StreamTimestamp.of("hub", T0.plusSeconds(300)), parcel, "Bromley");

    // then the view holds the state as if the events had come in time: still on the truck
    assertThat(projections.awaitCaughtUp("trails", Await.LONG)).isTrue();
    assertThat(board.get(parcel)).containsExactly("Lewisham", "Bromley", "J98");
    assertThat(projections.status("trails").greatestLateness().toSeconds()).isEqualTo(300);
  }

  @Test
  void theStateOfAnAggregateWithoutInitialEventIsNoStateUntilItArrives() throws Exception {
    Map<UUID, String> board = new ConcurrentHashMap<>();
    Set<UUID> pending = ConcurrentHashMap.newKeySet();
    Projections projections = open(Projections.embedded(store));
    projections.start(
        Projection.states("board", ParcelState.class, ParcelEvents.class)
            .handler(
                UUID.class,
                new StateHandler<UUID, ParcelState>() {
                  @Override
                  public void update(UUID id, ParcelState state) {
                    pending.remove(id);
                    board.put(id, state.location());
                  }

                  @Override
                  public void noState(UUID id) {
                    pending.add(id);
                  }
                })
            .build());
    UUID parcel = UUID.randomUUID();

    parcels.loadedOntoTruck(StreamTimestamp.of("truck", T0.plusSeconds(60)), parcel, "J98");
    assertThat(projections.awaitCaughtUp("board", Await.LONG)).isTrue();
    assertThat(pending).containsExactly(parcel);
    assertThat(board).isEmpty();

    parcels.receivedAtDepot(StreamTimestamp.of("depot", T0), parcel, "Lewisham");
    assertThat(projections.awaitCaughtUp("board", Await.LONG)).isTrue();
    assertThat(pending).isEmpty();
    assertThat(board).containsEntry(parcel, "J98");
  }

  @Test
  void theStateIncludesTheBatchsEventsWhenTheStoreLagsBehindTheSource() throws Exception {
    // given a source that delivers events before the store holds them (as a Kafka topic can)
    InMemoryEventFeed feed = InMemoryEventFeed.create();
    InMemoryEventStore lagging = InMemoryEventStore.empty();
    List<Event> captured = new ArrayList<>();
    ParcelEvents emit = EventBus.to(captured::addAll).emitter(ParcelEvents.class);
    UUID parcel = UUID.randomUUID();
    emit.receivedAtDepot(StreamTimestamp.of("depot", T0), parcel, "Lewisham");
    emit.loadedOntoTruck(StreamTimestamp.of("depot", T0.plusSeconds(60)), parcel, "J98");
    emit.arrivedAtDepot(StreamTimestamp.of("truck", T0.plusSeconds(120)), parcel, "Croydon");
    emit.arrivedAtDepot(
        StreamTimestamp.of("truck", T0.plusSeconds(120)), parcel, "a conflicting repeat");
    Map<UUID, List<String>> board = new ConcurrentHashMap<>();
    Projections projections = open(Projections.builder(feed, lagging, lagging).build());
    projections.start(trails(board));
    lagging.append(captured.get(0));
    feed.publish(List.of(captured.get(0)));
    assertThat(projections.awaitCaughtUp("trails", Await.LONG)).isTrue();

    // when the source delivers the next events, which the store does not hold yet
    feed.publish(List.of(captured.get(1), captured.get(2), captured.get(3)));

    // then the state includes them (the first of two copies of one identity wins)
    assertThat(projections.awaitCaughtUp("trails", Await.LONG)).isTrue();
    assertThat(lagging.size()).isEqualTo(1);
    assertThat(board.get(parcel)).containsExactly("Lewisham", "J98", "Croydon");

    // and when the store catches up with another copy first, the stored copy wins
    lagging.append(List.of(captured.get(1), captured.get(3)));
    feed.publish(List.of(captured.get(2)));
    assertThat(projections.awaitCaughtUp("trails", Await.LONG)).isTrue();
    assertThat(board.get(parcel)).containsExactly("Lewisham", "J98", "a conflicting repeat");
  }

  @Test
  void theStateIncludesEarlierBatchesTheStoreHasNotStoredYet() throws Exception {
    // given a source ahead of a store that has stored nothing of it yet (a Kafka topic read ahead
    // of a slow store writer), whose stored-up-to position says so
    InMemoryEventFeed feed = InMemoryEventFeed.create();
    InMemoryEventStore lagging = InMemoryEventStore.empty();
    java.util.concurrent.atomic.AtomicLong storedUpTo =
        new java.util.concurrent.atomic.AtomicLong();
    ProjectionSource ahead =
        new ProjectionSource() {
          @Override
          public Reader open(String projection, java.util.function.Supplier<Position> committed) {
            return feed.open(projection, committed);
          }

          @Override
          public Position head() {
            return feed.head();
          }

          @Override
          public Position storedUpTo() {
            return Position.of(InMemoryEventFeed.PARTITION, storedUpTo.get());
          }
        };
    List<Event> captured = new ArrayList<>();
    ParcelEvents emit = EventBus.to(captured::addAll).emitter(ParcelEvents.class);
    UUID parcel = UUID.randomUUID();
    emit.receivedAtDepot(StreamTimestamp.of("depot", T0), parcel, "Lewisham");
    emit.loadedOntoTruck(StreamTimestamp.of("depot", T0.plusSeconds(600)), parcel, "J98");
    emit.arrivedAtDepot(StreamTimestamp.of("hub", T0.plusSeconds(300)), parcel, "Bromley");
    Map<UUID, List<String>> board = new ConcurrentHashMap<>();
    Projections projections = open(Projections.builder(ahead, lagging, lagging).build());
    projections.start(trails(board));
    assertThat(projections.awaitCaughtUp("trails", Await.LONG)).isTrue();
    feed.publish(List.copyOf(captured.subList(0, 2)));
    assertThat(projections.awaitCaughtUp("trails", Await.LONG)).isTrue();
    assertThat(board.get(parcel)).containsExactly("Lewisham", "J98");

    // when a late event comes in a later batch, the store still holding none of them
    feed.publish(List.copyOf(captured.subList(2, 3)));

    // then the state holds the earlier batch's events too, in event-time order
    assertThat(projections.awaitCaughtUp("trails", Await.LONG)).isTrue();
    assertThat(lagging.size()).isZero();
    assertThat(board.get(parcel)).containsExactly("Lewisham", "Bromley", "J98");

    // and once the store has them, states are built from the store
    lagging.append(captured);
    storedUpTo.set(3);
    emit.delivered(StreamTimestamp.of("truck", T0.plusSeconds(900)), parcel, "home");
    feed.publish(List.copyOf(captured.subList(3, 4)));
    assertThat(projections.awaitCaughtUp("trails", Await.LONG)).isTrue();
    assertThat(board.get(parcel)).containsExactly("Lewisham", "Bromley", "J98", "home");
  }

  @Test
  void aStateFoldProjectionKeepsTheViewEqualToAFreshFold() throws Exception {
    record Where(String place, int moves) {}
    StateFold<Where, ParcelEvent> fold =
        StateFold.of(
            ParcelEvent.class,
            (Timestamped<ParcelEvent> first) ->
                new Where(((ParcelEvent.ReceivedAtDepot) first.event()).depotId(), 0),
            (where, next) -> {
              if (next.event() instanceof ParcelEvent.LoadedOntoTruck loaded) {
                return new Where(loaded.truckId(), where.moves() + 1);
              }
              if (next.event() instanceof ParcelEvent.ArrivedAtDepot arrived) {
                return new Where(arrived.depotId(), where.moves() + 1);
              }
              return where;
            });
    Map<String, Where> view = new ConcurrentHashMap<>();
    Projections projections = open(Projections.embedded(store));
    projections.start(
        Projection.states("where", ParcelEvent.class, fold)
            .handler(String.class, view::put)
            .batchSize(7)
            .build());

    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      ids.add(UUID.randomUUID());
    }
    List<Runnable> reports = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      UUID id = ids.get(i);
      int n = i;
      reports.add(() -> parcels.receivedAtDepot(StreamTimestamp.of("depot", T0), id, "D" + n));
      reports.add(
          () ->
              parcels.loadedOntoTruck(
                  StreamTimestamp.of("depot", T0.plusSeconds(10)), id, "T" + n));
      reports.add(
          () ->
              parcels.arrivedAtDepot(StreamTimestamp.of("truck", T0.plusSeconds(20)), id, "H" + n));
    }
    Collections.shuffle(reports, new java.util.Random(17));
    reports.forEach(Runnable::run);

    assertThat(projections.awaitCaughtUp("where", Await.LONG)).isTrue();
    Map<String, Where> fresh = new HashMap<>();
    for (AggregateId id : store.list("parcel")) {
      fold.build(store.history(id, HistoryQuery.all())).ifPresent(w -> fresh.put(id.id(), w));
    }
    assertThat(view).isEqualTo(fresh).hasSize(50);
    assertThat(view.values()).allMatch(w -> w.moves() == 2 && w.place().startsWith("H"));
  }

  @Test
  void aStateProjectionCatchesUpWithOneStatePerAggregate() throws Exception {
    Map<AggregateId, String> view = new ConcurrentHashMap<>();
    List<AggregateId> calls = Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 25; i++) {
      UUID id = UUID.randomUUID();
      parcels.receivedAtDepot(StreamTimestamp.of("depot", T0), id, "Lewisham");
      parcels.loadedOntoTruck(StreamTimestamp.of("depot", T0.plusSeconds(10)), id, "T" + i);
    }
    StateBuilder<ParcelState> builder = StateBuilder.of(ParcelState.class, ParcelEvents.class);
    Projections projections = open(Projections.embedded(store));

    projections.start(
        Projection.states("generic", "parcel", builder::build)
            .handler(
                (AggregateId id, ParcelState state) -> {
                  calls.add(id);
                  view.put(id, state.location());
                })
            .catchUpAggregates(4)
            .build());

    assertThat(projections.awaitCaughtUp("generic", Await.LONG)).isTrue();
    assertThat(calls).hasSize(25).doesNotHaveDuplicates();
    assertThat(view.values()).allMatch(location -> location.startsWith("T"));
  }

  @Test
  void aRebuildRunsBesideTheServingViewAndTakesOverWhenCaughtUp() throws Exception {
    // given a state projection writing a view per generation, serving generation 1
    Map<Integer, Map<UUID, String>> views = new ConcurrentHashMap<>();
    List<Integer> serving = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch rebuildHeld = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Projections projections = open(Projections.embedded(store));
    projections.start(
        Projection.states("board", ParcelState.class, ParcelEvents.class)
            .handlerPerGeneration(
                UUID.class,
                generation -> {
                  Map<UUID, String> view =
                      views.computeIfAbsent(generation, g -> new ConcurrentHashMap<>());
                  return (id, state) -> {
                    if (generation == 2 && rebuildHeld.getCount() > 0) {
                      rebuildHeld.countDown();
                      await(release);
                    }
                    view.put(id, state.location());
                  };
                })
            .whenServing(serving::add)
            .catchUpAggregates(5)
            .build());
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      UUID id = UUID.randomUUID();
      ids.add(id);
      parcels.receivedAtDepot(StreamTimestamp.of("depot", T0), id, "D" + i);
    }
    assertThat(projections.awaitCaughtUp("board", Await.LONG)).isTrue();

    // when a rebuild starts, and events keep arriving while it catches up
    var rebuilt = projections.rebuild("board");
    assertThat(rebuildHeld.await(30, TimeUnit.SECONDS)).isTrue();
    ProjectionStatus during = projections.status("board");
    assertThat(during.generation()).isEqualTo(1);
    assertThat(during.phase()).isEqualTo(ProjectionStatus.Phase.LIVE);
    assertThat(during.rebuild()).isPresent();
    assertThat(during.rebuild().get().generation()).isEqualTo(2);
    assertThat(during.rebuild().get().phase()).isEqualTo(ProjectionStatus.Phase.CATCHING_UP);
    for (int i = 0; i < 40; i++) {
      parcels.loadedOntoTruck(StreamTimestamp.of("depot", T0.plusSeconds(60)), ids.get(i), "T" + i);
    }
    assertThat(projections.awaitCaughtUp("board", Await.LONG)).isTrue(); // generation 1 serves them
    release.countDown();

    // then generation 2 takes over, and both views equal the store's states
    assertThat(rebuilt.get(30, TimeUnit.SECONDS)).isEqualTo(2);
    assertThat(serving).containsExactly(1, 2);
    assertThat(projections.awaitCaughtUp("board", Await.LONG)).isTrue();
    ProjectionStatus after = projections.status("board");
    assertThat(after.generation()).isEqualTo(2);
    assertThat(after.rebuild()).isEmpty();
    Map<UUID, String> expected = new HashMap<>();
    for (int i = 0; i < 40; i++) {
      expected.put(ids.get(i), "T" + i);
    }
    assertThat(views.get(2)).isEqualTo(expected);
    assertThat(views.get(1)).isEqualTo(expected); // it served until the switch
    // events after the switch reach generation 2 only
    parcels.arrivedAtDepot(StreamTimestamp.of("truck", T0.plusSeconds(120)), ids.get(0), "Hub");
    assertThat(projections.awaitCaughtUp("board", Await.LONG)).isTrue();
    assertThat(views.get(2)).containsEntry(ids.get(0), "Hub");
    assertThat(views.get(1)).containsEntry(ids.get(0), "T0");
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
