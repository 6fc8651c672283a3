package io.cursus.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.NodeState;
import com.datastax.oss.driver.api.core.metadata.TokenMap;
import io.cursus.api.AggregateId;
import io.cursus.api.CursusException;
import io.cursus.api.Event;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.TransientCursusException;
import io.cursus.api.fixtures.ParcelEvents;
import io.cursus.api.mapping.EventMapper;
import io.cursus.api.store.AppendCondition;
import io.cursus.api.store.AppendConflictException;
import io.cursus.cassandra.CassandraEventStore;
import io.cursus.cassandra.CassandraSchema;
import io.cursus.testkit.CassandraCluster;
import io.cursus.testkit.CassandraNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * R12 and R15 on one dedicated three-node cluster (replication factor 3), started once for both:
 * R12 writes and reads at QUORUM while a node is killed with SIGKILL and after it returns; R15
 * races sixteen writers deciding on the same aggregates at the store's defaults ({@code
 * LOCAL_QUORUM}, {@code LOCAL_SERIAL}) while a node is killed and restarted. Each scenario starts
 * with all three nodes up and leaves them so.
 */
@Tag("heavy") // runs in the heavy profile: docs/reliability.md
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class R12R15ThreeNodesIT {

  /** Each node's {@code -Xmx} (the testkit starts the heap at 256 MB). */
  private static final String MAX_HEAP = "512m";

  private static final int TOKENS_PER_NODE = 16;
  private static final int WRITE_ATTEMPTS = 30;
  private static final int DECISION_ATTEMPTS = 10;

  private static CassandraCluster cluster;
  private static CqlSession session;
  private static ProcessMemory memory;

  @BeforeAll
  static void startThreeNodes() throws InterruptedException {
    long began = System.nanoTime();
    cluster = CassandraCluster.builder().nodes(3).maxHeap(MAX_HEAP).start();
    long startedIn = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began);
    memory = new ProcessMemory("node", cluster.nodes());
    session = Rig.connect(cluster);
    CassandraSchema.of(Rig.TABLES).simpleStrategy(3).create(session);
    Rig.await(
        "the driver is connected to all three nodes",
        Duration.ofSeconds(90),
        () ->
            session.getMetadata().getNodes().size() == 3
                && session.getMetadata().getNodes().values().stream()
                    .allMatch(n -> n.getState() == NodeState.UP && n.getOpenConnections() > 0));
    memory.sample();
    String started =
        "R12/R15 three nodes started in "
            + startedIn
            + " s, -Xmx"
            + MAX_HEAP
            + " each; idle: "
            + memory.line();
    System.out.println(started);
    Tally.record(started);
  }

  @AfterAll
  static void stopThreeNodes() {
    if (session != null) {
      session.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Every scenario starts with three nodes up (a failed one may have left a node down). */
  @BeforeEach
  void allThreeUp() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      if (!cluster.node(i).isRunning()) {
        cluster.node(i).start();
      }
      Rig.awaitState(session, address(i), NodeState.UP);
    }
  }

  @Test
  @Order(0)
  void theThirdNodeJoinedTheRingAndEveryNodeSeesTheOtherTwo() {
    TokenMap ring = session.getMetadata().getTokenMap().orElseThrow();
    for (int i = 0; i < 3; i++) {
      String self = address(i);
      Node node = Rig.node(session, self);
      assertThat(ring.getTokens(node)).as("tokens of %s", address(i)).hasSize(TOKENS_PER_NODE);
      assertThat(peersSeenFrom(node))
          .as("peers seen from %s", address(i))
          .containsExactlyInAnyOrderElementsOf(
              List.of(address(0), address(1), address(2)).stream()
                  .filter(a -> !a.equals(self))
                  .toList());
      assertThat(ring.getReplicas(Rig.KEYSPACE, ring.getTokenRanges(node).iterator().next()))
          .as("replicas of a range of %s", address(i))
          .hasSize(3);
    }
  }

  /**
   * R12: writes and reads at QUORUM go on while one of three nodes is killed; every acknowledged
   * write is read back exactly, while the node is down, after it returns, and with another node
   * stopped so that every quorum includes the node that came back.
   */
  @Test
  @Order(1)
  void r12AtQuorumNothingAcknowledgedIsLostWhileANodeIsKilledNorAfterItReturns() throws Exception {
    Tally tally = new Tally("R12 three nodes rf 3 at QUORUM, one killed during writes");
    CassandraEventStore quorum = store(DefaultConsistencyLevel.QUORUM, Duration.ofSeconds(5));
    CassandraEventStore reader = store(DefaultConsistencyLevel.QUORUM, Duration.ofSeconds(20));
    CassandraNode third = cluster.node(2);
    Writer writer = new Writer(tally, quorum);

    // given: a writer appending batches at QUORUM, retrying a batch that fails transiently
    writer.start();
    long killedAt;
    long atKill;
    try {
      Rig.await("2,000 events written", Duration.ofMinutes(2), () -> writer.written() >= 2_000);

      // when: node 3 is killed mid-write, and writing goes on
      memory.sample();
      third.kill();
      killedAt = System.nanoTime();
      atKill = writer.written();
      Rig.awaitState(session, address(2), NodeState.DOWN);
      Rig.await(
          "2,000 more events written at QUORUM with node 3 down",
          Duration.ofMinutes(2),
          () -> writer.written() >= atKill + 2_000);
    } finally {
      writer.stop();
    }
    tally.note("acknowledged before the kill " + atKill);

    // then: two nodes answer every read at QUORUM exactly, and a write at ALL fails
    Tally.Result down = tally.check(reader).assertNothingLostOrDuplicated();
    assertThat(down.stored()).as("stored while node 3 is down").isEqualTo(down.acknowledged());
    assertThat(down.acknowledged()).isEqualTo(down.sent());
    CassandraEventStore all = store(DefaultConsistencyLevel.ALL, Duration.ofSeconds(5));
    assertThatThrownBy(() -> all.append(Parcels.flatten(Parcels.journeys(1))))
        .isInstanceOf(TransientCursusException.class)
        .isInstanceOf(CursusException.class);
    tally.note(
        "read at QUORUM with node 3 down "
            + down.stored()
            + " after "
            + Duration.ofNanos(System.nanoTime() - killedAt).toSeconds()
            + " s down");

    // when: node 3 is started again (commit-log replay, rejoin, hints) while the writer goes on
    Writer more = new Writer(tally, quorum);
    more.start();
    try {
      long restartedAt = System.nanoTime();
      third.start();
      Rig.awaitState(session, address(2), NodeState.UP);
      long atReturn = more.written();
      tally.note(
          "written while node 3 started again "
              + atReturn
              + " in "
              + Duration.ofNanos(System.nanoTime() - restartedAt).toSeconds()
              + " s");
      Rig.await(
          "2,000 more events written at QUORUM after node 3 returned",
          Duration.ofMinutes(2),
          () -> more.written() >= atReturn + 2_000);
    } finally {
      more.stop();
    }
    memory.sample();

    // then: reads at QUORUM are exact with all three up
    Tally.Result back = tally.check(reader).assertNothingLostOrDuplicated();
    assertThat(back.stored()).as("stored after node 3 returned").isEqualTo(back.sent());

    // and with node 1 stopped, so that every quorum is node 2 and the node that came back
    cluster.node(0).stop();
    Rig.awaitState(session, address(0), NodeState.DOWN);
    Tally.Result withoutFirst = tally.check(reader).assertNothingLostOrDuplicated();
    assertThat(withoutFirst.stored()).as("stored, read from nodes 2 and 3").isEqualTo(back.sent());
    cluster.node(0).start();
    Rig.awaitState(session, address(0), NodeState.UP);
    tally.note("read at QUORUM from nodes 2 and 3 alone " + withoutFirst.stored());

    // and all three hold everything (a read at ALL needs every replica)
    Tally.Result atAll = tally.check(store(DefaultConsistencyLevel.ALL, Duration.ofSeconds(20)));
    tally.note("read at ALL " + atAll.stored());
    tally.note("writes retried by the caller " + (writer.retried() + more.retried()));
    memory.sample();
    tally.note("memory " + memory.line());
    atAll.report().assertNothingLostOrDuplicated();
    assertThat(atAll.stored()).isEqualTo(atAll.sent());
    assertThat(writer.failure()).isEmpty();
    assertThat(more.failure()).isEmpty();
  }

  /**
   * R15: sixteen writers race, round after round, to decide "no events yet" on a fresh aggregate at
   * the store's defaults: with three nodes up, with node 2 killed, while it starts again and once
   * it is back. Each round stores exactly one claim, at most one writer is told it won (and it is
   * that claim's writer), every other gets the conflict or a transient failure that says to retry;
   * nothing is lost or doubled, read at QUORUM and at ALL once the node is back.
   */
  @Test
  @Order(2)
  void r15ConditionalAppendsHaveOneWinnerPerRoundWhileANodeIsKilledAndRestarted() throws Exception {
    int phase = Integer.getInteger("cursus.r15.phase-rounds", 100);
    int writers = 16;
    Tally tally =
        new Tally("R15 " + writers + " writers deciding on three nodes, one killed and restarted");
    CassandraEventStore decisions =
        CassandraEventStore.builder(session, Parcels.REGISTRY).tables(Rig.TABLES).build();
    CassandraNode second = cluster.node(1);
    Race race = new Race(tally, decisions, writers);

    // given: the race running with all three nodes up
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    List<Future<?>> done = race.submit(pool);
    int killedAt;
    int restartedAt;
    int backAt;
    try {
      race.awaitRound(done, phase);

      // when: node 2 is killed mid-race; after as many rounds again it is started, the race going
      // on while it starts, and the race ends as many rounds after it is back
      memory.sample();
      second.kill();
      killedAt = race.roundsStarted.get();
      Rig.awaitState(session, address(1), NodeState.DOWN);
      race.awaitRound(done, killedAt + phase);
      restartedAt = race.roundsStarted.get();
      second.start();
      Rig.awaitState(session, address(1), NodeState.UP);
      backAt = race.roundsStarted.get();
      race.endAfter(backAt + phase);
      race.awaitWriters(done);
    } finally {
      pool.shutdownNow();
    }
    memory.sample();
    int rounds = race.rounds();
    assertThat(rounds).isEqualTo(backAt + phase);

    // then: in every round exactly one claim is stored, and its writer alone was told it won
    CassandraEventStore atQuorum = store(DefaultConsistencyLevel.QUORUM, Duration.ofSeconds(20));
    CassandraEventStore atAll = store(DefaultConsistencyLevel.ALL, Duration.ofSeconds(20));
    int gaveUp = 0;
    for (int round = 0; round < rounds; round++) {
      List<Integer> won = race.winners.getOrDefault(round, List.of());
      List<Integer> abandoned = race.gaveUp.getOrDefault(round, List.of());
      gaveUp += abandoned.size();
      int conflicts = race.conflicts.getOrDefault(round, new AtomicInteger()).get();
      assertThat(won.size() + abandoned.size() + conflicts)
          .as("writers with an answer in round %s", round)
          .isEqualTo(writers);
      assertThat(won).as("writers told they won round %s", round).hasSizeLessThanOrEqualTo(1);
      List<Event> history = atAll.history(race.aggregate(round));
      assertThat(history).as("history of round %s, read at ALL", round).hasSize(1);
      String owner = (String) history.get(0).parameters().get("depotId");
      if (won.isEmpty()) {
        // the winner's answer was lost with the node and it gave up: the claim is one of theirs
        assertThat(abandoned.stream().map(w -> "w" + w).toList())
            .as("round %s has no told winner; its claim is %s's", round, owner)
            .contains(owner);
      } else {
        assertThat(owner).as("the claim stored in round %s", round).isEqualTo("w" + won.get(0));
      }
    }
    assertThat(race.transientMessages)
        .as("what the transient failures said")
        .allMatch(
            m -> m.contains("append the same captured events") || m.contains("retrying may help"));

    int winners = race.winners.values().stream().mapToInt(List::size).sum();
    int conflicts = race.conflicts.values().stream().mapToInt(AtomicInteger::get).sum();
    assertThat(winners + gaveUp + conflicts).isEqualTo(rounds * writers);
    Tally.Result quorumRead = tally.check(atQuorum).assertNothingLostOrDuplicated();
    assertThat(quorumRead.stored()).isEqualTo(rounds);
    assertThat(quorumRead.storedButNotAcknowledged()).isLessThanOrEqualTo(gaveUp);
    tally.note("rounds " + rounds);
    tally.note("told winners " + winners);
    tally.note("conflicts " + conflicts);
    tally.note("transient failures retried " + race.retries.get());
    tally.note("gave up after " + DECISION_ATTEMPTS + " transient failures " + gaveUp);
    tally.note(
        "node 2 killed at round "
            + killedAt
            + ", started again at round "
            + restartedAt
            + ", back at round "
            + backAt);
    race.transientMessages.stream()
        .findFirst()
        .ifPresent(m -> tally.note("a transient failure said [" + shortened(m) + "]"));
    race.transientMessages.stream()
        .map(m -> m.replaceAll("hostId=[^,]*, hashCode=[^)]*", "…"))
        .distinct()
        .limit(8)
        .forEach(m -> System.out.println("R15 transient failure: " + m));
    tally.note("read at QUORUM " + quorumRead.stored());
    tally.note("memory " + memory.line());
    Tally.Result allRead = tally.check(atAll).report().assertNothingLostOrDuplicated();
    assertThat(allRead.stored()).isEqualTo(rounds);
  }

  /** {@code text} with its middle cut out if it is long. */
  private static String shortened(String text) {
    return text.length() <= 300
        ? text
        : text.substring(0, 140) + " … " + text.substring(text.length() - 140);
  }

  private static CassandraEventStore store(ConsistencyLevel level, Duration timeout) {
    return CassandraEventStore.builder(session, Parcels.REGISTRY)
        .tables(Rig.TABLES)
        .readConsistency(level)
        .writeConsistency(level)
        .timeout(timeout)
        .build();
  }

  private static String address(int index) {
    return "127.0.0." + (index + 1);
  }

  private static List<String> peersSeenFrom(Node node) {
    List<String> peers = new ArrayList<>();
    // system.* tables are local: the statement must go to the node it asks about
    for (Row row :
        session.execute(
            SimpleStatement.newInstance("SELECT peer FROM system.peers").setNode(node))) {
      peers.add(row.getInetAddress("peer").getHostAddress());
    }
    return peers;
  }

  /** Appends batches of five journeys in a loop, retrying a batch that fails transiently. */
  private static final class Writer {
    private final Tally tally;
    private final CassandraEventStore store;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final Thread thread;

    Writer(Tally tally, CassandraEventStore store) {
      this.tally = tally;
      this.store = store;
      this.thread = new Thread(this::run, "r12-writer");
    }

    void start() {
      thread.start();
    }

    private void run() {
      try {
        while (!stop.get()) {
          List<Event> batch = Parcels.flatten(Parcels.journeys(5));
          tally.sent(batch);
          for (int attempt = 1; ; attempt++) {
            try {
              store.append(batch);
              break;
            } catch (TransientCursusException e) {
              if (attempt == WRITE_ATTEMPTS) {
                throw e;
              }
              retried.incrementAndGet();
              Thread.sleep(200);
            }
          }
          tally.acknowledged(batch);
          written.addAndGet(batch.size());
        }
      } catch (RuntimeException | InterruptedException e) {
        failures.add(e);
      }
    }

    long written() {
      if (!failures.isEmpty()) {
        throw new AssertionError("the writer failed", failures.get(0));
      }
      return written.get();
    }

    long retried() {
      return retried.get();
    }

    List<Throwable> failure() {
      return failures;
    }

    void stop() throws InterruptedException {
      stop.set(true);
      thread.join(120_000);
      assertThat(thread.isAlive()).as("the writer stopped").isFalse();
    }
  }

  /**
   * Writers racing, round after round, to claim a fresh parcel with "no events yet": each writer's
   * claim is a {@code receivedAtDepot} event on its own stream naming it as the depot. A writer
   * whose append fails transiently appends the same captured claim again, as the exception says, up
   * to {@value #DECISION_ATTEMPTS} times; then it gives up on the round. The race goes on until
   * {@link #endAfter} (at most {@value #MAX_ROUNDS} rounds).
   */
  private static final class Race {
    private static final int MAX_ROUNDS = 2_000;

    final Map<Integer, List<Integer>> winners = new ConcurrentHashMap<>();
    final Map<Integer, List<Integer>> gaveUp = new ConcurrentHashMap<>();
    final Map<Integer, AtomicInteger> conflicts = new ConcurrentHashMap<>();
    final AtomicInteger retries = new AtomicInteger();
    final Queue<String> transientMessages = new ConcurrentLinkedQueue<>();

    /** Rounds begun (all writers passed the barrier); changed by the barrier's action only. */
    final AtomicInteger roundsStarted = new AtomicInteger();

    private final Tally tally;
    private final CassandraEventStore decisions;
    private final List<UUID> ids = new ArrayList<>();
    private final int writers;
    private final CyclicBarrier everyRound;
    private final AtomicInteger endRequested = new AtomicInteger(MAX_ROUNDS);

    /**
     * The round before which the race ends, as every writer sees it: changed by the barrier's
     * action only, which happens before any writer leaves the barrier, so all stop at one round.
     */
    private volatile int end = MAX_ROUNDS;

    Race(Tally tally, CassandraEventStore decisions, int writers) {
      this.tally = tally;
      this.decisions = decisions;
      this.writers = writers;
      for (int r = 0; r < MAX_ROUNDS; r++) {
        ids.add(UUID.randomUUID());
      }
      this.everyRound = new CyclicBarrier(writers, this::nextRound);
    }

    /** The barrier's action, run once per round by the last writer to arrive. */
    private void nextRound() {
      int begun = roundsStarted.get();
      end = Math.max(begun, Math.min(end, endRequested.get()));
      if (begun < end) {
        roundsStarted.incrementAndGet();
      }
    }

    AggregateId aggregate(int round) {
      return AggregateId.of("parcel", ids.get(round));
    }

    /** Ends the race before round {@code round}, or at once if that round has begun. */
    void endAfter(int round) {
      endRequested.set(round);
    }

    /** The rounds raced, once the writers are done. */
    int rounds() {
      return roundsStarted.get();
    }

    List<Future<?>> submit(ExecutorService pool) {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        done.add(
            pool.submit(
                () -> {
                  try {
                    race(writer);
                  } catch (Throwable e) {
                    everyRound.reset(); // the others stop at once instead of waiting
                    throw e;
                  }
                  return null;
                }));
      }
      return done;
    }

    /** Waits until {@code round} rounds have begun; fails if the writers stopped before. */
    void awaitRound(List<Future<?>> writers, int round) throws Exception {
      Rig.await(
          "round " + round + " of the race",
          Duration.ofMinutes(5),
          () -> roundsStarted.get() >= round || writers.stream().allMatch(Future::isDone));
      if (roundsStarted.get() < round) {
        awaitWriters(writers); // they stopped early: their failure says why
        throw new AssertionError("the race ended before round " + round);
      }
    }

    /** Waits for every writer; a writer's failure, not the broken barrier of the others. */
    void awaitWriters(List<Future<?>> done) throws Exception {
      Exception first = null;
      for (Future<?> writer : done) {
        try {
          writer.get(30, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
          if (first == null || first.getCause() instanceof BrokenBarrierException) {
            first = e;
          }
        }
      }
      if (first != null) {
        throw first;
      }
    }

    private void race(int writer) throws Exception {
      for (int round = 0; ; round++) {
        everyRound.await(5, TimeUnit.MINUTES);
        if (round >= end) {
          return;
        }
        List<Event> claim = new ArrayList<>(1);
        EventMapper.emitter(ParcelEvents.class, claim::add)
            .receivedAtDepot(
                StreamTimestamp.of("w" + writer, Parcels.START), ids.get(round), "w" + writer);
        // captured once, so that a retry after an unknown outcome is recognised
        List<Event> captured = claim.stream().map(Event::captured).toList();
        tally.sent(captured);
        for (int attempt = 1; ; attempt++) {
          try {
            decisions.append(captured, AppendCondition.noEventsYet());
            tally.acknowledged(captured);
            winners.computeIfAbsent(round, r -> new CopyOnWriteArrayList<>()).add(writer);
            break;
          } catch (AppendConflictException e) {
            conflicts.computeIfAbsent(round, r -> new AtomicInteger()).incrementAndGet();
            break;
          } catch (TransientCursusException e) {
            transientMessages.add(
                String.valueOf(e.getMessage()).replace(ids.get(round).toString(), "…"));
            if (attempt == DECISION_ATTEMPTS) {
              gaveUp.computeIfAbsent(round, r -> new CopyOnWriteArrayList<>()).add(writer);
              break;
            }
            retries.incrementAndGet(); // as the exception says: the same events again
            Thread.sleep(Math.min(2_000L, 100L << attempt));
          }
        }
      }
    }
  }
}
