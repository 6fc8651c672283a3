package io.cursus.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.NodeState;
import io.cursus.api.CursusException;
import io.cursus.api.Event;
import io.cursus.api.TransientCursusException;
import io.cursus.cassandra.CassandraEventStore;
import io.cursus.cassandra.CassandraSchema;
import io.cursus.testkit.CassandraCluster;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * R6: two Cassandra nodes, replication factor 2; the second is killed during writes at ONE, then
 * returns; then each node alone must answer for all the data.
 */
class R6TwoNodesIT {

  @Test
  void writesAndReadsGoOnAtOneAndBothNodesHoldEverythingAfterTheReturn() throws Exception {
    Tally tally = new Tally("R6 two nodes rf 2, one killed during writes");
    try (CassandraCluster cluster = CassandraCluster.builder().nodes(2).start();
        CqlSession session = Rig.connect(cluster)) {
      CassandraSchema.of(Rig.TABLES).simpleStrategy(2).create(session);
      CassandraEventStore one = store(session, DefaultConsistencyLevel.ONE);
      CassandraEventStore all = store(session, DefaultConsistencyLevel.ALL);

      // given: a writer appending batches at ONE, retrying a batch that fails transiently
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong written = new AtomicLong();
      AtomicLong retried = new AtomicLong();
      Thread writer =
          new Thread(
              () -> {
                while (!stop.get()) {
                  List<Event> batch = Parcels.flatten(Parcels.journeys(5));
                  tally.sent(batch);
                  while (true) {
                    try {
                      one.append(batch);
                      break;
                    } catch (TransientCursusException e) {
                      retried.incrementAndGet();
                    }
                  }
                  tally.acknowledged(batch);
                  written.addAndGet(batch.size());
                }
              },
              "r6-writer");
      writer.start();
      try {
        Rig.await("2,000 events written", Duration.ofSeconds(60), () -> written.get() >= 2_000);

        // when: node 2 is killed mid-write
        cluster.node(1).kill();
        long atKill = written.get();
        awaitState(session, "127.0.0.2", NodeState.DOWN);
        Rig.await(
            "2,000 more events written at ONE",
            Duration.ofSeconds(60),
            () -> written.get() >= atKill + 2_000);
      } finally {
        stop.set(true);
        writer.join(60_000);
      }
      assertThat(writer.isAlive()).isFalse();

      // then: with node 2 down, node 1 alone answers for everything at ONE, and ALL fails
      Tally.Result nodeOne = tally.check(one);
      nodeOne.assertNothingLostOrDuplicated();
      assertThatThrownBy(() -> all.append(Parcels.flatten(Parcels.journeys(1))))
          .isInstanceOf(TransientCursusException.class)
          .isInstanceOf(CursusException.class);
      tally.note("node 1 alone held " + nodeOne.stored());
      tally.note("writes retried by the caller " + retried.get());

      // when: node 2 returns (once node 1 has flushed its hints for it to files), and the hints
      // are delivered
      Node first = node(session, "127.0.0.1");
      Rig.await(
          "node 1 holds hint files for node 2",
          Duration.ofSeconds(60),
          () -> pendingHintFiles(session, first) > 0);
      cluster.node(1).start();
      awaitState(session, "127.0.0.2", NodeState.UP);
      long hintWait = System.nanoTime();
      Rig.await(
          "node 1 delivered its hints",
          Duration.ofSeconds(120),
          () -> pendingHintFiles(session, first) == 0);
      tally.note(
          "hints delivered in "
              + Duration.ofNanos(System.nanoTime() - hintWait).toSeconds()
              + " s");

      // then: with node 1 stopped, node 2 alone answers for everything at ONE
      cluster.node(0).stop();
      awaitState(session, "127.0.0.1", NodeState.DOWN);
      Tally.Result nodeTwo = tally.check(one);
      tally.note("node 2 alone held " + nodeTwo.stored());
      nodeTwo.report().assertNothingLostOrDuplicated();
    }
  }

  private static CassandraEventStore store(CqlSession session, DefaultConsistencyLevel level) {
    return CassandraEventStore.builder(session, Parcels.REGISTRY)
        .tables(Rig.TABLES)
        .readConsistency(level)
        .writeConsistency(level)
        .timeout(Duration.ofSeconds(3))
        .build();
  }

  private static Node node(CqlSession session, String address) {
    return session.getMetadata().getNodes().values().stream()
        .filter(n -> n.getEndPoint().resolve().toString().contains(address))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no node " + address + " in the driver's metadata"));
  }

  private static void awaitState(CqlSession session, String address, NodeState state)
      throws InterruptedException {
    Rig.await(
        "the driver sees " + address + " " + state,
        Duration.ofSeconds(90),
        () -> node(session, address).getState() == state);
  }

  /** The hint files {@code node} holds for other nodes ({@code system_views.pending_hints}). */
  private static int pendingHintFiles(CqlSession session, Node node) {
    return session
        .execute(
            SimpleStatement.newInstance("SELECT files FROM system_views.pending_hints")
                .setNode(node))
        .all()
        .stream()
        .mapToInt(row -> row.getInt("files"))
        .sum();
  }
}
