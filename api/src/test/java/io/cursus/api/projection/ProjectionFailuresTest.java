package io.cursus.api.projection;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.api.Event;
import io.cursus.api.NonTransientCursusException;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.TransientCursusException;
import io.cursus.api.bus.EventBus;
import io.cursus.api.fixtures.ParcelEvents;
import io.cursus.api.memory.InMemoryEventFeed;
import io.cursus.api.memory.InMemoryEventStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProjectionFailuresTest {

  private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

  private final InMemoryEventStore store = InMemoryEventStore.empty();
  private final ParcelEvents parcels = EventBus.writingTo(store).emitter(ParcelEvents.class);
  private final RecordingSleeper sleeper = new RecordingSleeper();
  private final CheckpointStore checkpoints = CheckpointStore.inMemory();
  private final ParkedEventStore parked = ParkedEventStore.inMemory();
  private final List<Projections> opened = new ArrayList<>();

  @AfterEach
  void closeAll() {
    opened.forEach(Projections::close);
    RefusingParcelState.refused = null;
  }

  private Projections runtime() {
    Projections projections =
        Projections.builder(store.feed(), store, store)
            .checkpoints(checkpoints)
            .parkedEvents(parked)
            .sleeper(sleeper)
            .build();
    opened.add(projections);
    return projections;
  }

  /** Starts {@code projection} and waits until it reads the live source. */
  private static void startLive(Projections projections, Projection projection) throws Exception {
    projections.start(projection);
    assertThat(projections.awaitCaughtUp(projection.name(), Await.LONG)).isTrue();
  }

  private void receive(String depot) {
    parcels.receivedAtDepot(StreamTimestamp.of("depot", T0), UUID.randomUUID(), depot);
  }

  private static String depot(Event event) {
    return (String) event.parameters().get("depotId");
  }

  private static Position feedAt(long offset) {
    return Position.of(InMemoryEventFeed.PARTITION, offset);
  }

  /** What a view's database driver throws during an outage: not a Cursus exception. */
  static final class ViewDatabaseDown extends RuntimeException {
    ViewDatabaseDown() {
      super("no node was available to execute the query");
    }
  }

  @Test
  void aFailureTheProjectionCallsTransientIsRetriedWithoutLimitInsteadOfParked() throws Exception {
    // given a handler whose database is down for five attempts on d1 (more than maxAttempts),
    // throwing its driver's exception wrapped in another, as a repository would
    AtomicInteger down = new AtomicInteger(5);
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    Projections projections = runtime();
    startLive(
        projections,
        Projection.events("p")
            .aggregateTypes("parcel")
            .handler(
                e -> {
                  if (depot(e).equals("d1") && down.getAndDecrement() > 0) {
                    throw new IllegalStateException(
                        "saving the row failed", new ViewDatabaseDown());
                  }
                  seen.add(depot(e));
                })
            .transientWhen(failure -> failure instanceof ViewDatabaseDown)
            .build());

    // when
    receive("d1");

    // then it waited, and handled d1 once the database was back: nothing parked
    assertThat(projections.awaitCaughtUp("p", Await.LONG)).isTrue();
    assertThat(seen).containsExactly("d1");
    ProjectionStatus status = projections.status("p");
    assertThat(status.retries()).isEqualTo(5);
    assertThat(status.parked()).isZero();
    assertThat(parked.list("p")).isEmpty();
    assertThat(sleeper.waits()).hasSize(5);
  }

  @Test
  void withoutTransientWhenTheSameFailureIsTakenForPoisonAndParked() throws Exception {
    AtomicInteger down = new AtomicInteger(5);
    Projections projections = runtime();
    startLive(
        projections,
        Projection.events("p")
            .aggregateTypes("parcel")
            .handler(
                e -> {
                  if (down.getAndDecrement() > 0) {
                    throw new IllegalStateException(
                        "saving the row failed", new ViewDatabaseDown());
                  }
                })
            .build());

    receive("d1");

    assertThat(projections.awaitCaughtUp("p", Await.LONG)).isTrue();
    assertThat(projections.status("p").parked()).isEqualTo(1);
  }

  @Test
  void aTransientFailureIsRetriedWithBackOffWithoutMovingThePosition() throws Exception {
    // given a handler whose view is unavailable three times on d1
    AtomicInteger unavailable = new AtomicInteger(3);
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    Projections projections = runtime();
    List<Position> positionsWhileWaiting = Collections.synchronizedList(new ArrayList<>());
    sleeper.onSleep(wait -> positionsWhileWaiting.add(projections.status("p").position()));
    startLive(
        projections,
        Projection.events("p")
            .aggregateTypes("parcel")
            .handler(
                e -> {
                  if (depot(e).equals("d1") && unavailable.getAndDecrement() > 0) {
                    throw new TransientCursusException("view database unavailable", null);
                  }
                  seen.add(depot(e));
                })
            .build());
    receive("d0");
    assertThat(projections.awaitCaughtUp("p", Await.LONG)).isTrue();

    // when
    receive("d1");

    // then it waited 100, 200, 400 ms with the position on d1, and then handled it
    assertThat(projections.awaitCaughtUp("p", Await.LONG)).isTrue();
    assertThat(sleeper.waits())
        .containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400));
    assertThat(positionsWhileWaiting).containsOnly(feedAt(1));
    assertThat(seen).containsExactly("d0", "d1");
    ProjectionStatus status = projections.status("p");
    assertThat(status.retries()).isEqualTo(3);
    assertThat(status.lastError()).isEmpty();
    assertThat(status.parked()).isZero();
    assertThat(status.position()).isEqualTo(feedAt(2));
  }

  @Test
  void aPoisonEventIsParkedListedAndRedeliveredAfterAFix() throws Exception {
    // given a handler that cannot handle the depot "poison"
    AtomicBoolean broken = new AtomicBoolean(true);
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    Projections projections = runtime();
    startLive(
        projections,
        Projection.events("p")
            .aggregateTypes("parcel")
            .handler(
                e -> {
                  if (depot(e).equals("poison") && broken.get()) {
                    throw new IllegalStateException("no depot called poison");
                  }
                  seen.add(depot(e));
                })
            .build());

    // when it arrives between two good events
    receive("d0");
    receive("poison");
    receive("d2");

    // then it is tried three times, parked with its reason, and the projection goes on
    assertThat(projections.awaitCaughtUp("p", Await.LONG)).isTrue();
    assertThat(seen).containsExactly("d0", "d2");
    assertThat(sleeper.waits()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    List<ParkedEvent> parkedEvents = projections.parked("p");
    assertThat(parkedEvents).hasSize(1);
    ParkedEvent poison = parkedEvents.get(0);
    assertThat(depot(poison.events().get(0))).isEqualTo("poison");
    assertThat(poison.key()).isEqualTo(poison.events().get(0).identity().toString());
    assertThat(poison.reason()).isEqualTo("IllegalStateException: no depot called poison");
    assertThat(poison.attempts()).isEqualTo(3);
    assertThat(poison.generation()).isEqualTo(1);
    assertThat(projections.status("p").parked()).isEqualTo(1);

    // and when the handler is fixed, redelivery hands it over and unparks it
    broken.set(false);
    assertThat(projections.redeliver("p").get(30, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(seen).containsExactly("d0", "d2", "poison");
    assertThat(projections.parked("p")).isEmpty();
  }

  @Test
  void aRedeliveryThatFailsAgainKeepsTheEventParkedWithItsAttempts() throws Exception {
    Projections projections = runtime();
    startLive(
        projections,
        Projection.events("p")
            .aggregateTypes("parcel")
            .handler(
                e -> {
                  throw new IllegalArgumentException("bad " + depot(e));
                })
            .maxAttempts(2)
            .build());
    receive("d0");
    assertThat(projections.awaitCaughtUp("p", Await.LONG)).isTrue();
    String key = projections.parked("p").get(0).key();

    assertThat(projections.redeliver("p", key).get(30, TimeUnit.SECONDS)).isZero();

    assertThat(projections.parked("p"))
        .singleElement()
        .satisfies(p -> assertThat(p.attempts()).isEqualTo(4))
        .satisfies(p -> assertThat(p.reason()).isEqualTo("IllegalArgumentException: bad d0"));
  }

  @Test
  void aNonTransientFailureStopsTheProjectionNamingTheEventAndResumeGoesOnFromItsPosition()
      throws Exception {
    // given a handler whose view table is missing when d2 comes, handling one event per batch
    AtomicBoolean missing = new AtomicBoolean(true);
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    Projections projections = runtime();
    startLive(
        projections,
        Projection.events("p")
            .aggregateTypes("parcel")
            .handler(
                e -> {
                  if (depot(e).equals("d2") && missing.get()) {
                    throw new NonTransientCursusException("table depot_view does not exist", null);
                  }
                  seen.add(depot(e));
                })
            .batchSize(1)
            .build());

    // when
    for (int i = 0; i < 5; i++) {
      receive("d" + i);
    }

    // then it FAILED on d2, said so, and kept its position before it
    Await.until(
        "the projection to fail",
        () -> projections.status("p").phase() == ProjectionStatus.Phase.FAILED);
    ProjectionStatus failed = projections.status("p");
    assertThat(failed.failure())
        .hasValueSatisfying(
            reason ->
                assertThat(reason)
                    .contains("handling receivedAtDepot_1 parcel/")
                    .contains("depotId=d2")
                    .contains("(feed:2)")
                    .endsWith(
                        "failed: NonTransientCursusException: table depot_view does not exist"));
    assertThat(failed.position()).isEqualTo(feedAt(2));
    assertThat(seen).containsExactly("d0", "d1");
    assertThat(projections.parked("p")).isEmpty();

    // and when the table is back and it resumes, it goes on from there
    missing.set(false);
    projections.resume("p").get(30, TimeUnit.SECONDS);
    assertThat(projections.awaitCaughtUp("p", Await.LONG)).isTrue();
    assertThat(seen).containsExactly("d0", "d1", "d2", "d3", "d4");
    assertThat(projections.status("p").failure()).isEmpty();
  }

  @Test
  void aRestartAfterAFailureResumesFromTheSavedPosition() throws Exception {
    AtomicBoolean missing = new AtomicBoolean(true);
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    Projection projection =
        Projection.events("p")
            .aggregateTypes("parcel")
            .handler(
                e -> {
                  if (depot(e).equals("d3") && missing.get()) {
                    throw new NonTransientCursusException("disk full", null);
                  }
                  seen.add(depot(e));
                })
            .batchSize(1)
            .build();
    Projections before = runtime();
    startLive(before, projection);
    for (int i = 0; i < 5; i++) {
      receive("d" + i);
    }
    Await.until(
        "the projection to fail",
        () -> before.status("p").phase() == ProjectionStatus.Phase.FAILED);
    before.close();

    missing.set(false);
    Projections after = runtime();
    after.start(projection);

    assertThat(after.awaitCaughtUp("p", Await.LONG)).isTrue();
    assertThat(seen).containsExactly("d0", "d1", "d2", "d3", "d4");
  }

  @Test
  void failOnPoisonStopsInsteadOfParking() throws Exception {
    Projections projections = runtime();
    startLive(
        projections,
        Projection.events("strict")
            .aggregateTypes("parcel")
            .handler(
                e -> {
                  throw new IllegalStateException("cannot handle " + depot(e));
                })
            .maxAttempts(2)
            .failOnPoison()
            .build());

    receive("d0");

    Await.until(
        "the projection to fail",
        () -> projections.status("strict").phase() == ProjectionStatus.Phase.FAILED);
    assertThat(projections.status("strict").failure().orElseThrow())
        .contains("failed 2 times: IllegalStateException: cannot handle d0")
        .contains("fails on poison instead of parking it");
    assertThat(projections.parked("strict")).isEmpty();
    assertThat(projections.status("strict").position()).isEqualTo(feedAt(0));
  }

  @Test
  void aBatchHandlersPoisonIsFoundByHandingItsEventsOneAtATime() throws Exception {
    // given a batch handler that applies all of a batch or, if it holds poison, nothing
    List<List<String>> applied = Collections.synchronizedList(new ArrayList<>());
    Projections projections = runtime();
    startLive(
        projections,
        Projection.events("batches")
            .aggregateTypes("parcel")
            .batchHandler(
                batch -> {
                  List<String> depots = batch.events().stream().map(e -> depot(e)).toList();
                  if (depots.contains("poison")) {
                    throw new IllegalStateException("no depot called poison");
                  }
                  applied.add(depots);
                })
            .build());
    projections.pause("batches").get(30, TimeUnit.SECONDS);

    // when three events arrive as one batch
    receive("d0");
    receive("poison");
    receive("d2");
    projections.resume("batches").get(30, TimeUnit.SECONDS);

    // then the good ones are applied alone, and the poison is parked
    assertThat(projections.awaitCaughtUp("batches", Await.LONG)).isTrue();
    assertThat(applied).containsExactly(List.of("d0"), List.of("d2"));
    assertThat(projections.parked("batches"))
        .extracting(p -> depot(p.events().get(0)))
        .containsExactly("poison");
  }

  @Test
  void anAggregateWhoseStateClassRefusesItIsParkedAndRedeliveredAfterAFix() throws Exception {
    // given a state class that refuses the truck T-13
    RefusingParcelState.refused = "T-13";
    Map<UUID, String> board = new ConcurrentHashMap<>();
    Projections projections = runtime();
    startLive(
        projections,
        Projection.states("board", RefusingParcelState.class, ParcelEvents.class)
            .handler(UUID.class, (id, state) -> board.put(id, state.location()))
            .build());
    UUID refused = UUID.randomUUID();
    UUID fine = UUID.randomUUID();

    // when
    parcels.receivedAtDepot(StreamTimestamp.of("depot", T0), refused, "Lewisham");
    parcels.receivedAtDepot(StreamTimestamp.of("depot", T0), fine, "Croydon");
    assertThat(projections.awaitCaughtUp("board", Await.LONG)).isTrue();
    parcels.loadedOntoTruck(StreamTimestamp.of("depot", T0.plusSeconds(9)), refused, "T-13");
    parcels.loadedOntoTruck(StreamTimestamp.of("depot", T0.plusSeconds(9)), fine, "T-14");

    // then that aggregate is parked with the events that touched it; the other goes on
    assertThat(projections.awaitCaughtUp("board", Await.LONG)).isTrue();
    assertThat(board).containsEntry(fine, "T-14").containsEntry(refused, "Lewisham");
    ParkedEvent parkedState = projections.parked("board").get(0);
    assertThat(parkedState.key()).isEqualTo("parcel/" + refused);
    assertThat(parkedState.events())
        .extracting(e -> e.parameters().get("truckId"))
        .containsExactly("T-13");
    assertThat(parkedState.reason()).isEqualTo("IllegalStateException: truck T-13 is not allowed");

    // and once the rule is fixed, redelivery recomputes its state
    RefusingParcelState.refused = null;
    assertThat(projections.redeliver("board").get(30, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(board).containsEntry(refused, "T-13");
    assertThat(projections.parked("board")).isEmpty();
  }

  @Test
  void aTransientFailureOfTheCheckpointStoreIsRetried() throws Exception {
    AtomicInteger failures = new AtomicInteger(2);
    CheckpointStore flaky =
        new CheckpointStore() {
          @Override
          public java.util.Optional<Checkpoint> load(String key) {
            return checkpoints.load(key);
          }

          @Override
          public void save(String key, Checkpoint checkpoint) {
            if (checkpoint.isCaughtUp() && failures.getAndDecrement() > 0) {
              throw new TransientCursusException("checkpoint table timed out", null);
            }
            checkpoints.save(key, checkpoint);
          }

          @Override
          public void delete(String key) {
            checkpoints.delete(key);
          }
        };
    Projections projections =
        Projections.builder(store.feed(), store, store).checkpoints(flaky).sleeper(sleeper).build();
    opened.add(projections);
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    projections.start(
        Projection.events("p").aggregateTypes("parcel").handler(e -> seen.add(depot(e))).build());

    receive("d0");

    assertThat(projections.awaitCaughtUp("p", Await.LONG)).isTrue();
    assertThat(sleeper.waits()).hasSize(2);
    assertThat(checkpoints.load("p").orElseThrow().position()).isEqualTo(feedAt(1));
  }
}
