package io.cursus.middleware.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.EventIdentity;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.fixtures.ParcelEvents;
import io.cursus.api.fixtures.ParcelState;
import io.cursus.api.mapping.EventMapper;
import io.cursus.api.projection.ParkedEvent;
import io.cursus.api.projection.Projection;
import io.cursus.api.projection.ProjectionStatus;
import io.cursus.api.projection.Projections;
import io.cursus.api.state.StateBuilder;
import io.cursus.api.store.EventLog;
import io.cursus.api.store.HistoryQuery;
import io.cursus.cassandra.CassandraCheckpointStore;
import io.cursus.cassandra.CassandraEventStore;
import io.cursus.cassandra.CassandraParkedEventStore;
import io.cursus.cassandra.CassandraSchema;
import io.cursus.cassandra.CassandraTables;
import io.cursus.middleware.fixtures.Parcels;
import io.cursus.middleware.kafka.KafkaEventConsumer;
import io.cursus.middleware.kafka.KafkaEventSink;
import io.cursus.middleware.kafka.KafkaProjectionSource;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Projections on the real stack: live from the Kafka topic the sink writes, stored histories from
 * Cassandra (written by the store's consumer), checkpoints and parked events in Cassandra tables.
 */
class ProjectionsOnKafkaIT {

  private static final Duration WAIT = Duration.ofMinutes(2);

  /**
   * A store in a keyspace of the test's own, so that a catch-up reads only the test's events (a
   * projection catches up over every aggregate of its types in the store).
   */
  private static CassandraEventStore store(CassandraTables tables) {
    CqlSession session = SharedEngines.session();
    CassandraSchema.of(tables).create(session);
    return CassandraEventStore.builder(session, Parcels.REGISTRY).tables(tables).build();
  }

  /** The topic, the store's writer on it, and the projection source reading it. */
  private static final class Stack implements AutoCloseable {
    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String topic = SharedEngines.freshTopic("projections", 4);
    final String storeGroup = "store-" + run;
    final KafkaEventSink sink = SharedEngines.sink(topic);
    final KafkaEventConsumer writer;
    final KafkaProjectionSource source;
    final CassandraTables tables;
    final CassandraEventStore store;

    Stack(CassandraTables tables, CassandraEventStore store, EventLog log) {
      this.tables = tables;
      this.store = store;
      writer =
          KafkaEventConsumer.builder(
                  SharedEngines.kafka().bootstrapServers(),
                  topic,
                  storeGroup,
                  SharedEngines.JSON,
                  log)
              .maxPollRecords(500)
              .build()
              .start();
      source =
          KafkaProjectionSource.builder(
                  SharedEngines.kafka().bootstrapServers(), topic, storeGroup, SharedEngines.JSON)
              .build();
    }

    Projections.Builder projections() {
      CqlSession session = SharedEngines.session();
      return Projections.builder(source, store, store)
          .checkpoints(CassandraCheckpointStore.using(session, tables))
          .parkedEvents(CassandraParkedEventStore.using(session, tables, Parcels.REGISTRY))
          .pollTimeout(Duration.ofMillis(200));
    }

    void send(List<Event> events) {
      sink.accept(events);
    }

    @Override
    public void close() {
      writer.close();
      sink.close();
      source.close();
    }
  }

  private static void awaitPhase(Projections projections, String name, ProjectionStatus.Phase phase)
      throws InterruptedException {
    SharedEngines.await(
        name + " is " + phase, WAIT, () -> projections.status(name).phase() == phase);
  }

  private static List<Event> emit(java.util.function.Consumer<ParcelEvents> emitting) {
    List<Event> events = new ArrayList<>();
    emitting.accept(EventMapper.emitter(ParcelEvents.class, events::add));
    return events;
  }

  @Test
  void stateProjectionIncludesTheEventsOfItsBatchBeforeTheStoreHoldsThemAndCorrectsALateEvent()
      throws Exception {
    // given: a store writer that takes 3 s per batch, and a state projection of parcel trails
    CassandraTables tables = CassandraTables.inKeyspace("cursus_projection_it_slow");
    CassandraEventStore cassandra = store(tables);
    EventLog slow =
        events -> {
          try {
            Thread.sleep(3_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while slowing the store down", e);
          }
          cassandra.append(events);
        };
    UUID parcel = UUID.randomUUID();
    AggregateId id = AggregateId.of("parcel", parcel);
    Map<UUID, String> board = new ConcurrentHashMap<>();
    AtomicBoolean aheadOfStore = new AtomicBoolean();
    Instant t = Parcels.START;
    try (Stack stack = new Stack(tables, cassandra, slow);
        Projections projections = stack.projections().build()) {
      String name = "trails-" + stack.run;
      projections.start(
          Projection.states(name, ParcelState.class, ParcelEvents.class)
              .handler(
                  UUID.class,
                  (UUID key, ParcelState state) -> {
                    if (key.equals(parcel) && cassandra.history(id).size() < state.trail().size()) {
                      aheadOfStore.set(true); // the state holds events the store does not yet
                    }
                    board.put(key, String.join(">", state.trail()));
                  })
              .build());
      awaitPhase(projections, name, ProjectionStatus.Phase.LIVE);

      // when: the parcel is received and loaded, and then, late, a scan that happened in between
      stack.send(
          emit(
              p -> {
                p.receivedAtDepot(StreamTimestamp.of("depot", t), parcel, "Lewisham");
                p.loadedOntoTruck(StreamTimestamp.of("depot", t.plusSeconds(600)), parcel, "J98");
              }));
      SharedEngines.await(
          "the board shows the loaded parcel",
          WAIT,
          () -> "Lewisham>J98".equals(board.get(parcel)));
      stack.send(
          emit(
              p ->
                  p.arrivedAtDepot(
                      StreamTimestamp.of("hub", t.plusSeconds(300)), parcel, "Bromley")));

      // then: the state handed over held the batch's events before the store did, and the late
      // scan took its place in time
      SharedEngines.await(
          "the board shows the corrected trail",
          WAIT,
          () -> "Lewisham>Bromley>J98".equals(board.get(parcel)));
      assertThat(aheadOfStore)
          .as("the projection read events the store had not stored yet")
          .isTrue();
      SharedEngines.await(
          "the store holds the three events", WAIT, () -> cassandra.history(id).size() == 3);
      ParcelState folded =
          StateBuilder.of(ParcelState.class, ParcelEvents.class)
              .build(cassandra.history(id))
              .orElseThrow();
      assertThat(board.get(parcel)).isEqualTo(String.join(">", folded.trail()));
    }
  }

  /**
   * Waits until the projection's consumer group is stable with {@code members} members, each
   * holding partitions. An instance is LIVE once it reads the topic, before its group has
   * rebalanced: the members already there learn of the rebalance at their next heartbeat (3 s by
   * default), and until then they read every partition, events sent meanwhile included.
   */
  private static void awaitMembers(Stack stack, String name, int members)
      throws InterruptedException {
    String group = stack.source.groupId(name);
    SharedEngines.await(
        group + " has " + members + " members holding partitions",
        WAIT,
        () -> {
          Map<String, Set<Integer>> assignment = SharedEngines.stableAssignment(group);
          return assignment.size() == members
              && assignment.values().stream().noneMatch(Set::isEmpty);
        });
  }

  @Test
  void twoInstancesShareTheProjectionAcrossRebalancesWithoutSkippingOrDoubleEffects()
      throws Exception {
    // given: a keyed view written by two runtimes of one projection, sharing a checkpoint table
    Map<EventIdentity, String> view = new ConcurrentHashMap<>();
    Map<EventIdentity, Integer> deliveries = new ConcurrentHashMap<>();
    AtomicLong byFirst = new AtomicLong();
    AtomicLong bySecond = new AtomicLong();
    Map<EventIdentity, String> expected = new HashMap<>();
    CassandraTables tables = CassandraTables.inKeyspace("cursus_projection_it_shared");
    CassandraEventStore cassandra = store(tables);
    try (Stack stack = new Stack(tables, cassandra, cassandra)) {
      String name = "shared-" + stack.run;
      java.util.function.Function<AtomicLong, Projection> projection =
          counter ->
              Projection.events(name)
                  .aggregateTypes("parcel")
                  .handler(
                      event -> {
                        view.put(event.identity(), event.type().name()); // keyed: an upsert
                        deliveries.merge(event.identity(), 1, Integer::sum);
                        counter.incrementAndGet();
                      })
                  .build();
      Projections first = stack.projections().owner("first").build();
      Projections second = stack.projections().owner("second").build();
      try (second) {
        try (first) {
          first.start(projection.apply(byFirst));
          awaitPhase(first, name, ProjectionStatus.Phase.LIVE);
          send(stack, expected, 100);
          SharedEngines.await(
              "the first instance handled 400 events", WAIT, () -> view.size() >= 400);

          // when: a second instance joins (the group rebalances), more events come, the first
          // leaves (it rebalances again), and more come
          second.start(projection.apply(bySecond));
          awaitPhase(second, name, ProjectionStatus.Phase.LIVE);
          awaitMembers(stack, name, 2); // else the first may read the whole round alone
          send(stack, expected, 100);
          SharedEngines.await(
              "both instances handled events of the second round",
              WAIT,
              () -> view.size() >= 800 && bySecond.get() > 0);
        }
        send(stack, expected, 100);

        // then: the view holds every event once, as expected
        SharedEngines.await(
            "the view holds every event", WAIT, () -> view.size() >= expected.size());
        assertThat(view).isEqualTo(expected);
        assertThat(byFirst.get()).isPositive();
        assertThat(bySecond.get()).isPositive();
        long repeated = deliveries.values().stream().filter(n -> n > 1).count();
        System.out.printf(
            "rebalance: %d events, first %d, second %d, delivered twice %d%n",
            expected.size(), byFirst.get(), bySecond.get(), repeated);
      }
    }
  }

  @Test
  void aPausedInstanceHandsItsPartitionsToAnInstanceThatJoins() throws Exception {
    // given: one instance live on every partition, then paused
    Map<EventIdentity, String> view = new ConcurrentHashMap<>();
    Set<EventIdentity> bySecond = ConcurrentHashMap.newKeySet();
    Map<EventIdentity, String> expected = new HashMap<>();
    CassandraTables tables = CassandraTables.inKeyspace("cursus_projection_it_paused");
    CassandraEventStore cassandra = store(tables);
    try (Stack stack = new Stack(tables, cassandra, cassandra)) {
      String name = "paused-" + stack.run;
      java.util.function.Function<Set<EventIdentity>, Projection> projection =
          handledHere ->
              Projection.events(name)
                  .aggregateTypes("parcel")
                  .handler(
                      event -> {
                        view.put(event.identity(), event.type().name());
                        handledHere.add(event.identity());
                      })
                  .build();
      Projections first = stack.projections().owner("first").build();
      Projections second = stack.projections().owner("second").build();
      try (second;
          first) {
        first.start(projection.apply(ConcurrentHashMap.newKeySet()));
        awaitPhase(first, name, ProjectionStatus.Phase.LIVE);
        send(stack, expected, 25);
        SharedEngines.await(
            "the first instance handled the first round", WAIT, () -> view.equals(expected));
        first.pause(name).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        // when: a second instance joins, and events come
        second.start(projection.apply(bySecond));
        awaitPhase(second, name, ProjectionStatus.Phase.LIVE);
        Map<EventIdentity, String> secondRound = new HashMap<>();
        send(stack, secondRound, 25);
        expected.putAll(secondRound);

        // then: the second instance holds every partition and handles the round, while the first
        // stays paused (kept in the group, the paused instance would hold its partitions, and the
        // group's rebalance, until Kafka dropped it for not polling: five minutes by default)
        SharedEngines.await(
            "the second instance handled the second round",
            WAIT,
            () -> bySecond.containsAll(secondRound.keySet()));
        assertThat(view).isEqualTo(expected);
        assertThat(first.status(name).phase()).isEqualTo(ProjectionStatus.Phase.PAUSED);
        assertThat(SharedEngines.stableAssignment(stack.source.groupId(name)).values())
            .containsExactly(Set.of(0, 1, 2, 3));
      }
    }
  }

  private static void send(Stack stack, Map<EventIdentity, String> expected, int parcels) {
    for (int i = 0; i < parcels; i++) {
      List<Event> journey = Parcels.journey(UUID.randomUUID(), "s");
      journey.forEach(e -> expected.put(e.identity(), e.type().name()));
      stack.send(journey);
    }
  }

  @Test
  void poisonEventIsParkedInCassandraListedAndRedeliveredAfterAFix() throws Exception {
    // given: a handler that refuses one parcel's events until it is fixed
    UUID poison = UUID.randomUUID();
    AtomicBoolean fixed = new AtomicBoolean();
    Map<EventIdentity, String> view = new ConcurrentHashMap<>();
    CassandraTables tables = CassandraTables.inKeyspace("cursus_projection_it_poison");
    CassandraEventStore cassandra = store(tables);
    try (Stack stack = new Stack(tables, cassandra, cassandra);
        Projections projections = stack.projections().build()) {
      String name = "invoices-" + stack.run;
      projections.start(
          Projection.events(name)
              .aggregateTypes("parcel")
              .handler(
                  event -> {
                    if (!fixed.get()
                        && event.aggregateId().id().equals(poison.toString())
                        && event.type().name().equals("loadedOntoTruck")) {
                      throw new IllegalArgumentException("no truck rate for " + event.identity());
                    }
                    view.put(event.identity(), event.type().name());
                  })
              .maxAttempts(2)
              .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
              .build());
      awaitPhase(projections, name, ProjectionStatus.Phase.LIVE);

      // when: the poison parcel's journey comes among others
      List<Event> poisonJourney = Parcels.journey(poison, "s");
      UUID other = UUID.randomUUID();
      stack.send(poisonJourney);
      stack.send(Parcels.journey(other, "s"));

      // then: the poison event is parked in Cassandra, visible to another process, and the
      // projection went on
      SharedEngines.await("the other parcel is projected", WAIT, () -> view.size() >= 7);
      List<ParkedEvent> parked =
          CassandraParkedEventStore.using(SharedEngines.session(), tables, Parcels.REGISTRY)
              .list(name);
      assertThat(parked).hasSize(1);
      assertThat(parked.get(0).events()).containsExactly(poisonJourney.get(1));
      assertThat(parked.get(0).reason()).contains("no truck rate for");
      assertThat(parked.get(0).attempts()).isEqualTo(2);
      assertThat(projections.parked(name)).isEqualTo(parked);
      assertThat(view).doesNotContainKey(poisonJourney.get(1).identity());

      // when: fixed and redelivered
      fixed.set(true);
      int redelivered = projections.redeliver(name, parked.get(0).key()).get(30, TimeUnit.SECONDS);

      // then
      assertThat(redelivered).isEqualTo(1);
      assertThat(view).containsEntry(poisonJourney.get(1).identity(), "loadedOntoTruck");
      assertThat(view).hasSize(8);
      assertThat(projections.parked(name)).isEmpty();
    }
  }

  @Test
  void rebuildOverAHundredThousandStoredEventsWhileTenThousandArriveEqualsTheFold()
      throws Exception {
    CassandraTables tables = CassandraTables.inKeyspace("cursus_projection_it_rebuild");
    CassandraEventStore cassandra = store(tables);
    Map<Integer, Map<AggregateId, Integer>> views = new ConcurrentHashMap<>();
    AtomicInteger serving = new AtomicInteger();
    try (Stack stack = new Stack(tables, cassandra, cassandra);
        Projections projections = stack.projections().build()) {
      // given: a state projection (history sizes per parcel), live
      String name = "sizes-" + stack.run;
      projections.start(
          Projection.states(name, "parcel", history -> Optional.of(history.size()))
              .handlerPerGeneration(
                  AggregateId.class,
                  generation -> {
                    Map<AggregateId, Integer> view =
                        views.computeIfAbsent(generation, g -> new ConcurrentHashMap<>());
                    return (AggregateId id, Integer size) -> view.put(id, size);
                  })
              .catchUpAggregates(500)
              .batchSize(500)
              .whenServing(serving::set)
              .build());
      awaitPhase(projections, name, ProjectionStatus.Phase.LIVE);

      // and 100,000 events stored beside the topic (the serving generation never sees them)
      List<UUID> stored = new ArrayList<>();
      List<Event> chunk = new ArrayList<>();
      long startWrite = System.nanoTime();
      for (int p = 0; p < 25_000; p++) {
        UUID parcel = UUID.randomUUID();
        stored.add(parcel);
        chunk.addAll(Parcels.journey(parcel, "bulk"));
        if (chunk.size() >= 2_000) {
          cassandra.append(chunk);
          chunk.clear();
        }
      }
      cassandra.append(chunk);
      System.out.printf(
          "rebuild: stored 100,000 events in %d ms%n",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startWrite));

      // when: a rebuild runs while 10,000 events arrive (2,000 late scans of stored parcels,
      // 2,000 new parcels of 4 events)
      Thread producer =
          new Thread(
              () -> {
                for (int i = 0; i < 2_000; i++) {
                  UUID old = stored.get(i * 10);
                  List<Event> events = new ArrayList<>(Parcels.journey(UUID.randomUUID(), "live"));
                  events.addAll(
                      emit(
                          e ->
                              e.arrivedAtDepot(
                                  StreamTimestamp.of(
                                      "late", Parcels.START.plus(90, ChronoUnit.SECONDS)),
                                  old,
                                  "Bromley")));
                  stack.send(events);
                }
              },
              "live-producer");
      long startRebuild = System.nanoTime();
      producer.start();
      int generation = projections.rebuild(name).get(5, TimeUnit.MINUTES);
      long rebuilt = System.nanoTime();
      producer.join();
      SharedEngines.await(
          "the store writer stored every live event",
          WAIT,
          () -> SharedEngines.allCommitted(stack.storeGroup, stack.topic));
      assertThat(projections.awaitCaughtUp(name, WAIT)).isTrue();

      // then: the new generation serves, and its view is the fold of every stored parcel
      assertThat(generation).isEqualTo(2);
      assertThat(serving.get()).isEqualTo(2);
      List<AggregateId> all = cassandra.list("parcel");
      Map<AggregateId, Integer> fold = new HashMap<>();
      for (int from = 0; from < all.size(); from += 1_000) {
        cassandra
            .preload(all.subList(from, Math.min(all.size(), from + 1_000)), HistoryQuery.all())
            .forEach((id, history) -> fold.put(id, history.size()));
      }
      assertThat(views.get(2)).isEqualTo(fold);
      assertThat(fold.values().stream().mapToInt(Integer::intValue).sum())
          .isGreaterThanOrEqualTo(110_000);
      System.out.printf(
          "rebuild: %d aggregates, caught up and took over in %d ms%n",
          all.size(), TimeUnit.NANOSECONDS.toMillis(rebuilt - startRebuild));
    }
  }
}
