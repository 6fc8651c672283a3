package io.cursus.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.metadata.NodeState;
import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.TransientCursusException;
import io.cursus.api.mapping.EventMapper;
import io.cursus.conformance.ConformanceEvents;
import io.cursus.testkit.CassandraCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Two real nodes, replication factor 2: reads and writes go on with one node down. */
class CassandraTwoNodeIT {

  private static final CassandraTables TABLES = CassandraTables.inKeyspace("cursus_two_nodes");
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void readsAndWritesAtOneSurviveANodeDownAndTheNodeComesBackWithEverything() throws Exception {
    try (CassandraCluster cluster = CassandraCluster.builder().nodes(2).start();
        CqlSession session = SharedCassandra.connect(cluster)) {
      CassandraSchema.of(TABLES).simpleStrategy(2).create(session);
      CassandraEventStore both =
          store(session, DefaultConsistencyLevel.ALL, DefaultConsistencyLevel.ALL);
      CassandraEventStore one =
          store(session, DefaultConsistencyLevel.ONE, DefaultConsistencyLevel.ONE);
      List<UUID> ids = new ArrayList<>();
      List<Event> before = events(ids, 50, 0);
      both.append(before);

      cluster.node(1).kill();
      awaitDown(session, Duration.ofSeconds(60));

      for (UUID id : ids) {
        assertThat(one.history(AggregateId.of(ConformanceEvents.AGGREGATE_TYPE, id)))
            .as("history of %s with node 2 down", id)
            .hasSize(5);
      }
      List<Event> during = events(ids, 50, 5);
      one.append(during);
      assertThatThrownBy(() -> both.append(events(new ArrayList<>(), 1, 0)))
          .isInstanceOf(TransientCursusException.class)
          .hasMessageContaining("retrying may help");

      cluster.node(1).start();
      // Node 2 answers CQL before node 1's gossip marks it up; until then reads at ALL are refused
      // as unavailable, a transient failure, so retry for a bounded time as the exception says.
      for (UUID id : ids) {
        assertThat(readWhenBothAreUp(both, id, Duration.ofSeconds(60)))
            .as("history of %s read from both nodes after node 2 returned", id)
            .hasSize(10);
      }
    }
  }

  private static CassandraEventStore store(
      CqlSession session, DefaultConsistencyLevel read, DefaultConsistencyLevel write) {
    return CassandraEventStore.builder(session, SharedCassandra.REGISTRY)
        .tables(TABLES)
        .readConsistency(read)
        .writeConsistency(write)
        .timeout(Duration.ofSeconds(5))
        .build();
  }

  /** Five moves for each of {@code count} aggregates (new ones if {@code ids} is short). */
  private static List<Event> events(List<UUID> ids, int count, int firstSequence) {
    while (ids.size() < count) {
      ids.add(UUID.randomUUID());
    }
    List<Event> events = new ArrayList<>();
    ConformanceEvents emit = EventMapper.emitter(ConformanceEvents.class, events::add);
    for (UUID id : ids.subList(0, count)) {
      for (int i = firstSequence; i < firstSequence + 5; i++) {
        emit.moved(StreamTimestamp.of("s", T0.plusSeconds(i)), id, "p" + i, i);
      }
    }
    return events;
  }

  private static List<Event> readWhenBothAreUp(CassandraEventStore store, UUID id, Duration limit)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      try {
        return store.history(AggregateId.of(ConformanceEvents.AGGREGATE_TYPE, id));
      } catch (TransientCursusException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(500);
      }
    }
  }

  private static void awaitDown(CqlSession session, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (session.getMetadata().getNodes().values().stream()
        .noneMatch(node -> node.getState() == NodeState.DOWN)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the driver did not see the killed node go down within " + limit);
      }
      Thread.sleep(200);
    }
  }
}
