package io.cursus.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.EventIdentity;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.Timestamped;
import io.cursus.api.bus.EventBus;
import io.cursus.api.fixtures.ParcelEvent;
import io.cursus.api.fixtures.ParcelEvents;
import io.cursus.api.fixtures.ParcelState;
import io.cursus.api.memory.InMemoryEventStore;
import io.cursus.api.projection.BatchHandler;
import io.cursus.api.projection.Checkpoint;
import io.cursus.api.projection.CheckpointStore;
import io.cursus.api.projection.EventBatch;
import io.cursus.api.projection.ParkedEvent;
import io.cursus.api.projection.ParkedEventStore;
import io.cursus.api.projection.Projection;
import io.cursus.api.projection.ProjectionClaims;
import io.cursus.api.projection.ProjectionStatus;
import io.cursus.api.projection.Projections;
import io.cursus.api.projection.StateHandler;
import io.cursus.api.state.StateFold;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The samples of docs/projections.md, compiled and run. */
class ProjectionsGuideTest {

  private static final UUID PARCEL_ID = UUID.fromString("69016fb5-0000-4000-8000-000000000001");
  private static final Instant T = Instant.parse("2026-11-22T09:00:00Z");
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final InMemoryEventStore store = InMemoryEventStore.empty();
  private final ParcelEvents parcels = EventBus.writingTo(store).emitter(ParcelEvents.class);

  @Test
  void quickStart() throws Exception {
    UUID parcelId = PARCEL_ID;
    Instant t = T;
    Map<UUID, String> shown;
    // tag::quick-start[]
    Map<UUID, String> board = new ConcurrentHashMap<>();
    try (Projections projections = Projections.embedded(store)) {
      projections.start(
          Projection.states("depot-board", ParcelState.class, ParcelEvents.class)
              .handler(UUID.class, (id, state) -> board.put(id, state.location()))
              .build());

      parcels.receivedAtDepot(StreamTimestamp.of("depot-1", t), parcelId, "Lewisham");
      parcels.loadedOntoTruck(StreamTimestamp.of("depot-1", t.plusSeconds(600)), parcelId, "J98");
      // reported late: it happened between the two
      parcels.arrivedAtDepot(StreamTimestamp.of("hub", t.plusSeconds(300)), parcelId, "Bromley");

      projections.awaitCaughtUp("depot-board", Duration.ofSeconds(10));
      System.out.println(board.get(parcelId)); // J98: the late report took its place in time
      System.out.println(projections.status("depot-board"));
    }
    // end::quick-start[]
    shown = board;
    assertThat(shown).containsEntry(parcelId, "J98");
  }

  /** The audit trail of the guide: an implementation of the event interface. */
  static final class AuditTrail implements ParcelEvents {
    final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void receivedAtDepot(StreamTimestamp ts, UUID parcelId, String depotId) {
      lines.add(parcelId + " received at " + depotId);
    }

    @Override
    public void loadedOntoTruck(StreamTimestamp ts, UUID parcelId, String truckId) {
      lines.add(parcelId + " loaded onto " + truckId);
    }

    @Override
    public void arrivedAtDepot(StreamTimestamp ts, UUID parcelId, String depotId) {
      lines.add(parcelId + " arrived at " + depotId);
    }

    @Override
    public void delivered(StreamTimestamp ts, UUID parcelId, String destinationId) {
      lines.add(parcelId + " delivered to " + destinationId);
    }

    @Override
    public void deliveryFailed(StreamTimestamp ts, UUID parcelId) {
      lines.add(parcelId + " delivery failed");
    }
  }

  @Test
  void eventProjections() throws Exception {
    AuditTrail auditTrail = new AuditTrail();
    List<ParcelEvent> moves = Collections.synchronizedList(new ArrayList<>());
    Map<String, Integer> perDepot = new ConcurrentHashMap<>();
    try (Projections projections = Projections.embedded(store)) {
      // tag::event-projections[]
      projections.start(
          Projection.events("parcel-audit").handler(ParcelEvents.class, auditTrail).build());

      projections.start(
          Projection.events("moves")
              .familyHandler(
                  ParcelEvent.class, (Timestamped<ParcelEvent> e) -> moves.add(e.event()))
              .build());

      projections.start(
          Projection.events("arrivals")
              .aggregateTypes("parcel")
              .handler(
                  (Event event) -> {
                    if (event.parameters().contains("depotId")) {
                      perDepot.merge((String) event.parameters().get("depotId"), 1, Integer::sum);
                    }
                  })
              .build());
      // end::event-projections[]
      awaitLive(projections); // so that no event is handed twice (catch-up, then live)
      parcels.receivedAtDepot(StreamTimestamp.of("depot-1", T), PARCEL_ID, "Lewisham");
      awaitLive(projections);
    }
    assertThat(auditTrail.lines).containsExactly(PARCEL_ID + " received at Lewisham");
    assertThat(moves).containsExactly(new ParcelEvent.ReceivedAtDepot("Lewisham"));
    assertThat(perDepot).containsEntry("Lewisham", 1);
  }

  @Test
  void effectsKeyedByIdentity() throws Exception {
    try (Projections projections = Projections.embedded(store)) {
      // tag::keyed[]
      Map<EventIdentity, String> deliveries = new ConcurrentHashMap<>();
      projections.start(
          Projection.events("deliveries")
              .aggregateTypes("parcel")
              .handler(
                  event -> {
                    if (event.type().name().equals("delivered")) {
                      // an upsert keyed by the event's identity: a repeat writes the same row
                      deliveries.put(
                          event.identity(), (String) event.parameters().get("destinationId"));
                    }
                  })
              .build());
      // end::keyed[]
      parcels.delivered(StreamTimestamp.of("truck-7", T), PARCEL_ID, "Mr Smith");
      assertThat(projections.awaitCaughtUp("deliveries", WAIT)).isTrue();
      assertThat(deliveries).hasSize(1);
    }
  }

  // tag::own-checkpoint[]
  /** Depot counts and their checkpoint, written in one transaction (here: one lock). */
  static final class DepotCounts implements BatchHandler, CheckpointStore {
    private final Map<String, Integer> counts = new HashMap<>();
    private final Map<String, String> checkpoints = new HashMap<>(); // the position "table"

    @Override
    public synchronized void handle(EventBatch batch) {
      for (Event event : batch.events()) {
        if (event.type().name().equals("receivedAtDepot")) {
          counts.merge((String) event.parameters().get("depotId"), 1, Integer::sum);
        }
      }
      checkpoints.put(batch.checkpointKey(), batch.checkpoint().asString());
    }

    @Override
    public synchronized Optional<Checkpoint> load(String key) {
      return Optional.ofNullable(checkpoints.get(key)).map(Checkpoint::parse);
    }

    @Override
    public synchronized void save(String key, Checkpoint checkpoint) {
      checkpoints.put(key, checkpoint.asString());
    }

    @Override
    public synchronized void delete(String key) {
      checkpoints.remove(key);
    }

    synchronized Map<String, Integer> counts() {
      return Map.copyOf(counts);
    }
  }

  // end::own-checkpoint[]

  @Test
  void ownCheckpoint() throws Exception {
    // tag::own-checkpoint-wiring[]
    DepotCounts depotCounts = new DepotCounts();
    Projections projections =
        Projections.builder(store.feed(), store, store).checkpoints(depotCounts).build();
    projections.start(
        Projection.events("depot-counts")
            .aggregateTypes("parcel")
            .batchHandler(depotCounts)
            .build());
    // end::own-checkpoint-wiring[]
    try (projections) {
      awaitLive(projections);
      parcels.receivedAtDepot(StreamTimestamp.of("depot-1", T), PARCEL_ID, "Lewisham");
      awaitLive(projections);
    }
    assertThat(depotCounts.counts()).containsEntry("Lewisham", 1);
    assertThat(depotCounts.load("depot-counts").orElseThrow().isCaughtUp()).isTrue();
  }

  record Where(String place, int moves) {}

  @Test
  void stateProjections() throws Exception {
    Map<UUID, Where> places = new ConcurrentHashMap<>();
    Map<AggregateId, Integer> sizes = new ConcurrentHashMap<>();
    Set<UUID> pending = ConcurrentHashMap.newKeySet();
    Map<UUID, String> board = new ConcurrentHashMap<>();
    try (Projections projections = Projections.embedded(store)) {
      // tag::state-projections[]
      StateFold<Where, ParcelEvent> where =
          StateFold.of(
              ParcelEvent.class,
              first -> new Where(((ParcelEvent.ReceivedAtDepot) first.event()).depotId(), 0),
              (now, next) ->
                  next.event() instanceof ParcelEvent.LoadedOntoTruck loaded
                      ? new Where(loaded.truckId(), now.moves() + 1)
                      : now);
      projections.start(
          Projection.states("where", ParcelEvent.class, where)
              .handler(UUID.class, places::put)
              .build());

      projections.start(
          Projection.states("history-sizes", "parcel", history -> Optional.of(history.size()))
              .handler((AggregateId id, Integer size) -> sizes.put(id, size))
              .build());

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
                      pending.add(id); // reported by a truck before the depot reported it
                    }
                  })
              .build());
      // end::state-projections[]
      parcels.loadedOntoTruck(StreamTimestamp.of("truck", T.plusSeconds(60)), PARCEL_ID, "J98");
      for (String name : projections.names()) {
        assertThat(projections.awaitCaughtUp(name, WAIT)).isTrue();
      }
      assertThat(pending).containsExactly(PARCEL_ID);
      parcels.receivedAtDepot(StreamTimestamp.of("depot", T), PARCEL_ID, "Lewisham");
      for (String name : projections.names()) {
        assertThat(projections.awaitCaughtUp(name, WAIT)).isTrue();
      }
    }
    assertThat(places).containsEntry(PARCEL_ID, new Where("J98", 1));
    assertThat(sizes).containsEntry(AggregateId.of("parcel", PARCEL_ID), 2);
    assertThat(pending).isEmpty();
    assertThat(board).containsEntry(PARCEL_ID, "J98");
  }

  @Test
  void failures() throws Exception {
    AtomicInteger handled = new AtomicInteger();
    try (Projections projections = Projections.embedded(store)) {
      projections.start(
          // tag::failure-options[]
          Projection.events("invoices")
              .aggregateTypes("parcel")
              .handler(
                  event -> {
                    if (event.parameters().get("depotId") == null) {
                      throw new IllegalArgumentException("no depot in " + event);
                    }
                    handled.incrementAndGet();
                  })
              .maxAttempts(3) // a poison event is tried 3 times, then parked
              .backoff(Duration.ofMillis(10), Duration.ofSeconds(1)) // 10 ms, doubling to 1 s
              .build()
          // end::failure-options[]
          );
      awaitLive(projections);
      parcels.loadedOntoTruck(StreamTimestamp.of("truck", T), PARCEL_ID, "J98");
      parcels.receivedAtDepot(StreamTimestamp.of("depot", T), PARCEL_ID, "Lewisham");
      assertThat(projections.awaitCaughtUp("invoices", WAIT)).isTrue();

      // tag::parked[]
      for (ParkedEvent parked : projections.parked("invoices")) {
        System.out.println(parked.key() + ": " + parked.reason() + " after " + parked.attempts());
      }
      // ... once the handler is fixed and deployed:
      int redelivered = projections.redeliver("invoices").get(30, TimeUnit.SECONDS);
      // end::parked[]
      assertThat(redelivered).isZero(); // still broken: the event stays parked
      assertThat(projections.parked("invoices")).hasSize(1);
      assertThat(handled.get()).isEqualTo(1);
    }
  }

  @Test
  void operations() throws Exception {
    try (Projections projections = Projections.embedded(store)) {
      projections.start(
          Projection.events("parcel-audit").handler(ParcelEvents.class, new AuditTrail()).build());
      assertThat(projections.awaitCaughtUp("parcel-audit", WAIT)).isTrue();
      // tag::operations[]
      ProjectionStatus status = projections.status("parcel-audit");
      System.out.println(
          status.phase() // STARTING, STANDBY, CATCHING_UP, LIVE, PAUSED, FAILED or STOPPED
              + " "
              + status.lagEvents()
              + " events behind"
              + ", oldest waiting "
              + status.lagTime().orElse(null)
              + ", captured "
              + status.captureLag().orElse(null)
              + " before handled"
              + ", "
              + status.eventTimeLateness()
              + " late in event time");

      projections.pause("parcel-audit").join(); // after the batch in progress
      projections.reset("parcel-audit").join(); // forget the position: catch up again
      projections.resume("parcel-audit").join();
      // end::operations[]
      assertThat(projections.awaitCaughtUp("parcel-audit", WAIT)).isTrue();
    }
  }

  @Test
  void rebuild() throws Exception {
    parcels.receivedAtDepot(StreamTimestamp.of("depot", T), PARCEL_ID, "Lewisham");
    try (Projections projections = Projections.embedded(store)) {
      // tag::rebuild[]
      Map<Integer, Map<UUID, String>> boards = new ConcurrentHashMap<>(); // one per generation
      AtomicInteger serving = new AtomicInteger(); // which one readers read
      projections.start(
          Projection.states("depot-board", ParcelState.class, ParcelEvents.class)
              .handlerPerGeneration(
                  UUID.class,
                  generation -> {
                    Map<UUID, String> board =
                        boards.computeIfAbsent(generation, g -> new ConcurrentHashMap<>());
                    return (id, state) -> board.put(id, state.location());
                  })
              .whenServing(generation -> serving.set(generation)) // then drop the older boards
              .build());

      int generation = projections.rebuild("depot-board").get(10, TimeUnit.MINUTES);
      // end::rebuild[]
      assertThat(generation).isEqualTo(2);
      assertThat(serving.get()).isEqualTo(2);
      assertThat(boards.get(2)).containsEntry(PARCEL_ID, "Lewisham");
    }
  }

  private static void awaitLive(Projections projections) throws InterruptedException {
    for (String name : projections.names()) {
      assertThat(projections.awaitCaughtUp(name, WAIT)).isTrue();
    }
  }

  @Test
  void runtimeOptions() throws Exception {
    ExecutorService executor = Executors.newCachedThreadPool();
    // tag::runtime[]
    Projections projections =
        Projections.builder(store.feed(), store, store)
            .checkpoints(CheckpointStore.inMemory()) // or a table, to survive restarts
            .parkedEvents(ParkedEventStore.inMemory())
            .claims(ProjectionClaims.inMemory()) // shared by runtimes that share checkpoints
            .claimTimeout(Duration.ofSeconds(30))
            .executor(executor) // default: a daemon thread per projection
            .pollTimeout(Duration.ofMillis(500))
            .closeTimeout(Duration.ofSeconds(30))
            .clock(Clock.systemUTC())
            .build();
    // end::runtime[]
    try (projections) {
      projections.start(
          Projection.events("parcel-audit").handler(ParcelEvents.class, new AuditTrail()).build());
      assertThat(projections.awaitCaughtUp("parcel-audit", WAIT)).isTrue();
    }
    executor.shutdown();
    assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
  }
}
