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
import io.cursus.api.EventIdentity;
import io.cursus.api.TransientCursusException;
import io.cursus.cassandra.CassandraEventStore;
import io.cursus.cassandra.CassandraSchema;
import io.cursus.testkit.CassandraCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * R6: two Cassandra nodes, replication factor 2; the second is killed during writes at ONE, then
 * returns; then each node alone must answer for all the data.
 */
class R6TwoNodesIT {

  private static final Duration HINTS_FLUSH_PERIOD = Duration.ofSeconds(10);
  private static final Duration BATCH_COMPLETION = Duration.ofSeconds(5);
  private static final Duration COMMITLOG_SYNC_PERIOD = Duration.ofSeconds(10);
  private static final Duration FORWARDING = Duration.ofSeconds(2);

  @Test
  void writesAndReadsGoOnAtOneAndBothNodesHoldEverythingAfterTheReturn() throws Exception {
    Tally tally = new Tally("R6 two nodes rf 2, one killed during writes");
    try (CassandraCluster cluster = CassandraCluster.builder().nodes(2).start();
        CqlSession session = Rig.connect(cluster)) {
      CassandraSchema.of(Rig.TABLES).simpleStrategy(2).create(session);
      CassandraEventStore one = store(session, DefaultConsistencyLevel.ONE);
      CassandraEventStore all = store(session, DefaultConsistencyLevel.ALL);
      CassandraEventStore reader = // the check reads a lot at once: a longer timeout
          CassandraEventStore.builder(session, Parcels.REGISTRY)
              .tables(Rig.TABLES)
              .readConsistency(DefaultConsistencyLevel.ONE)
              .timeout(Duration.ofSeconds(10))
              .build();

      // given: a writer appending batches at ONE, retrying a batch that fails transiently
      AtomicBoolean stop = new AtomicBoolean();
      long killedAt = 0;
      AtomicLong written = new AtomicLong();
      AtomicLong retried = new AtomicLong();
      Map<EventIdentity, Long> acknowledgedAt = new ConcurrentHashMap<>();
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
                  long now = System.nanoTime();
                  batch.forEach(e -> acknowledgedAt.put(e.identity(), now));
                  written.addAndGet(batch.size());
                }
              },
              "r6-writer");
      writer.start();
      try {
        Rig.await("2,000 events written", Duration.ofSeconds(60), () -> written.get() >= 2_000);

        // when: node 2 is killed mid-write
        cluster.node(1).kill();
        killedAt = System.nanoTime();
        long atKill = written.get();
        Rig.awaitState(session, "127.0.0.2", NodeState.DOWN);
        Rig.await(
            "2,000 more events written at ONE",
            Duration.ofSeconds(60),
            () -> written.get() >= atKill + 2_000);
      } finally {
        stop.set(true);
        writer.join(60_000);
      }
      long writerStopped = System.nanoTime();
      assertThat(writer.isAlive()).isFalse();

      // then: with node 2 down, node 1 alone answers for everything at ONE, and ALL fails
      // A write at ONE coordinated by node 2 is acknowledged once node 2 applied it; node 2 then
      // forwards it to node 1. A write acknowledged just before the SIGKILL may never have been
      // forwarded, so node 1 may lack it: that is what ONE promises. Only such writes may be
      // missing; node 2's commit log has them for when it returns.
      Tally.Result nodeOne = tally.check(reader);
      List<EventIdentity> notForwarded = nodeOne.lostIdentities();
      for (EventIdentity missing : notForwarded) {
        long beforeKill = killedAt - acknowledgedAt.get(missing);
        assertThat(Duration.ofNanos(beforeKill))
            .as("%s missing on node 1: acknowledged before the kill by", missing)
            .isBetween(BATCH_COMPLETION.negated(), FORWARDING);
      }
      nodeOne.assertNothingLostBeyond(notForwarded);
      assertThatThrownBy(() -> all.append(Parcels.flatten(Parcels.journeys(1))))
          .isInstanceOf(TransientCursusException.class)
          .isInstanceOf(CursusException.class);
      tally.note(
          "node 1 alone held "
              + nodeOne.stored()
              + " (lacked "
              + notForwarded.size()
              + " node 2 acknowledged as it was killed)");
      tally.note("writes retried by the caller " + retried.get());

      // when: node 2 returns, once node 1 has flushed all its hints for it to files (hints are
      // buffered in memory and flushed every hints_flush_period, 10 s by default), and the hints
      // are delivered
      Node first = Rig.node(session, "127.0.0.1");
      long flushed = writerStopped + HINTS_FLUSH_PERIOD.plusSeconds(2).toNanos();
      Thread.sleep(Math.max(0, (flushed - System.nanoTime()) / 1_000_000));
      Rig.await(
          "node 1 holds hint files for node 2",
          Duration.ofSeconds(60),
          () -> hintFiles(cluster.node(0)) > 0);
      int files = hintFiles(cluster.node(0));
      cluster.node(1).start();
      Rig.awaitState(session, "127.0.0.2", NodeState.UP);
      long hintWait = System.nanoTime();
      // a hint file is deleted once all of it was delivered (a partial delivery keeps it); the
      // virtual table does not list a file while it is being delivered, so both are checked
      Rig.await(
          "node 1 delivered all its hints",
          Duration.ofMinutes(3),
          () -> hintFiles(cluster.node(0)) == 0 && pendingHintFiles(session, first) == 0);
      tally.note(
          files
              + " hint file(s) delivered in "
              + Duration.ofNanos(System.nanoTime() - hintWait).toSeconds()
              + " s");

      // then: with node 1 stopped, node 2 alone has everything written while it was down (the
      // hints), but may lack what it acknowledged itself in the last commit-log sync period before
      // the SIGKILL (commitlog_sync: periodic, 10 s): those writes were acknowledged, so no hint
      cluster.node(0).stop();
      Rig.awaitState(session, "127.0.0.1", NodeState.DOWN);
      Tally.Result afterHints = tally.check(reader);
      assertThat(afterHints.duplicated()).isZero();
      for (EventIdentity missing : afterHints.lostIdentities()) {
        long beforeKill = killedAt - acknowledgedAt.get(missing);
        // An event's acknowledgement is noted when its whole batch returns; a batch whose write
        // node 2 acknowledged just before it died can return after the kill, while its other
        // writes complete. BATCH_COMPLETION allows for that, and only for that.
        assertThat(Duration.ofNanos(beforeKill))
            .as("%s missing on node 2: acknowledged before the kill by", missing)
            .isBetween(BATCH_COMPLETION.negated(), COMMITLOG_SYNC_PERIOD.plusSeconds(2));
      }
      tally.note(
          "node 2 after the hints held "
              + afterHints.stored()
              + " (lacked "
              + afterHints.lost()
              + " acknowledged in its last "
              + COMMITLOG_SYNC_PERIOD.toSeconds()
              + " s before the SIGKILL)");

      // when: node 1 returns and everything is read at ALL (blocking read repair)
      cluster.node(0).start();
      Rig.awaitState(session, "127.0.0.1", NodeState.UP);
      CassandraEventStore readAll =
          CassandraEventStore.builder(session, Parcels.REGISTRY)
              .tables(Rig.TABLES)
              .readConsistency(DefaultConsistencyLevel.ALL)
              .timeout(Duration.ofSeconds(10))
              .build();
      // A write only node 2 had, and lost with its unsynced commit log, is gone: ONE acknowledged
      // it
      // on one replica, which died. Only writes missing on both nodes above may be missing here.
      List<EventIdentity> onNeither =
          notForwarded.stream().filter(afterHints.lostIdentities()::contains).toList();
      tally.note("acknowledged by node 2 alone and lost with it " + onNeither.size());
      tally.check(readAll).assertNothingLostBeyond(onNeither);

      // then: node 2 alone holds everything
      cluster.node(0).stop();
      Rig.awaitState(session, "127.0.0.1", NodeState.DOWN);
      Tally.Result nodeTwo = tally.check(reader);
      tally.note("node 2 alone after a read at ALL held " + nodeTwo.stored());
      nodeTwo.report().assertNothingLostBeyond(onNeither);
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

  /** The hint files in {@code node}'s hints directory (beside its log, as the testkit lays out). */
  private static int hintFiles(io.cursus.testkit.CassandraNode node) {
    java.nio.file.Path hints = node.logFile().getParent().resolve("data").resolve("hints");
    try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(hints)) {
      return (int) files.filter(f -> f.toString().endsWith(".hints")).count();
    } catch (java.nio.file.NoSuchFileException e) {
      return 0;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot list " + hints, e);
    }
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
