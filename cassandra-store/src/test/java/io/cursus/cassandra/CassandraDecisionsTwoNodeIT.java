package io.cursus.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.loadbalancing.NodeDistance;
import com.datastax.oss.driver.api.core.metadata.NodeState;
import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.mapping.EventMapper;
import io.cursus.api.store.AppendCondition;
import io.cursus.api.store.ConsistencyToken;
import io.cursus.api.store.HistoryQuery;
import io.cursus.api.store.TokenNotReachedException;
import io.cursus.api.store.TokenedHistory;
import io.cursus.conformance.ConformanceEvents;
import io.cursus.testkit.CassandraCluster;
import io.cursus.testkit.CassandraNode;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Decisions on two real nodes with replication factor 2 and hinted handoff off (so a node that was
 * down stays behind until a read repairs it): the race of writers, with the store's defaults
 * ({@code LOCAL_QUORUM}, {@code LOCAL_SERIAL}), and a token carried from a write coordinated by one
 * node to a read at ONE through the other.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the race first, with both nodes up
class CassandraDecisionsTwoNodeIT {

  private static final CassandraTables TABLES = CassandraTables.inKeyspace("cursus_decisions_two");
  private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

  private static CassandraCluster cluster;
  private static CqlSession both;

  @BeforeAll
  static void startTwoNodes() throws InterruptedException {
    cluster = CassandraCluster.builder().nodes(2).hintedHandoff(false).start();
    both = SharedCassandra.connect(cluster);
    CassandraSchema.of(TABLES).simpleStrategy(2).create(both);
    awaitConnectedToAll(both, Duration.ofSeconds(60));
  }

  private static void awaitConnectedToAll(CqlSession session, Duration limit)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (session.getMetadata().getNodes().values().stream()
        .anyMatch(node -> node.getState() != NodeState.UP || node.getOpenConnections() == 0)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the driver did not connect to both nodes within " + limit);
      }
      Thread.sleep(200);
    }
  }

  @AfterAll
  static void stopTwoNodes() {
    if (both != null) {
      both.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Tag("heavy") // runs in the heavy profile: docs/reliability.md
  @Test
  @Order(1)
  void ofSixteenWritersRacingToReserveAnAggregateExactlyOneWinsEveryTime() throws Exception {
    CassandraEventStore store =
        CassandraEventStore.builder(both, SharedCassandra.REGISTRY).tables(TABLES).build();

    DecisionRace.Outcome outcome = DecisionRace.run(store, store, DecisionRace.rounds(), 16);

    System.out.println("two nodes: " + outcome);
  }

  @Test
  @Order(2)
  void aTokenFromAWriteThroughOneNodeIsReadThroughTheOtherAtOneOrFailsClearlyWhileItCannot() {
    CassandraNode a = cluster.node(0);
    CassandraNode b = cluster.node(1);
    UUID id = UUID.randomUUID();
    AggregateId aggregate = AggregateId.of(ConformanceEvents.AGGREGATE_TYPE, id);
    List<Event> moves = moves(id);
    ConsistencyToken token;

    // given a write at ONE coordinated by node A while node B is down (no hints: B stays behind)
    b.kill();
    try (CqlSession throughA = connectTo(a)) {
      token = store(throughA, DefaultConsistencyLevel.ONE).append(moves, AppendCondition.none());
    }
    b.start();
    a.kill();
    try (CqlSession throughB = connectTo(b)) {
      CassandraEventStore readerAtOne = store(throughB, Duration.ofSeconds(3));

      // while B alone answers, a read at ONE misses the write, and a read at the token says so
      assertThat(readerAtOne.history(aggregate)).as("B alone, at ONE").isEmpty();
      assertThatThrownBy(() -> readerAtOne.historyWithToken(aggregate, HistoryQuery.all(), token))
          .isInstanceOf(TokenNotReachedException.class)
          .hasMessageContaining(aggregate.toString())
          .hasMessageContaining(token.toString());

      // once A is back, the read at ONE through B with the token sees the write
      a.start();
      TokenedHistory atLeast =
          store(throughB, Duration.ofSeconds(60))
              .historyWithToken(aggregate, HistoryQuery.all(), token);

      assertThat(atLeast.events()).containsExactlyElementsOf(moves);
      assertThat(atLeast.token().isAtLeast(token)).isTrue();
    }
  }

  private static List<Event> moves(UUID id) {
    List<Event> events = new ArrayList<>();
    ConformanceEvents emit = EventMapper.emitter(ConformanceEvents.class, events::add);
    for (int i = 0; i < 3; i++) {
      emit.moved(StreamTimestamp.of("s", T0.plusSeconds(i)), id, "p" + i, i);
    }
    return events;
  }

  private static CassandraEventStore store(CqlSession session, ConsistencyLevel consistency) {
    return CassandraEventStore.builder(session, SharedCassandra.REGISTRY)
        .tables(TABLES)
        .readConsistency(consistency)
        .writeConsistency(consistency)
        .timeout(Duration.ofSeconds(10))
        .build();
  }

  /** A store reading at ONE that waits {@code wait} for a token. */
  private static CassandraEventStore store(CqlSession session, Duration wait) {
    return CassandraEventStore.builder(session, SharedCassandra.REGISTRY)
        .tables(TABLES)
        .readConsistency(DefaultConsistencyLevel.ONE)
        .writeConsistency(DefaultConsistencyLevel.ONE)
        .readYourWritesWait(wait)
        .timeout(Duration.ofSeconds(10))
        .build();
  }

  /** A session that sends every request to {@code node} as coordinator, and to no other. */
  private static CqlSession connectTo(CassandraNode node) {
    InetSocketAddress only = node.cqlAddress();
    return CqlSession.builder()
        .addContactPoint(only)
        .withLocalDatacenter(cluster.localDatacenter())
        .withNodeDistanceEvaluator(
            (candidate, localDc) ->
                only.equals(candidate.getEndPoint().resolve()) ? null : NodeDistance.IGNORED)
        .build();
  }
}
