package io.cursus.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DriverExecutionProfile;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.session.Request;
import com.datastax.oss.driver.api.core.tracker.RequestTracker;
import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.store.HistoryQuery;
import io.cursus.cassandra.CassandraEventIndex;
import io.cursus.cassandra.CassandraEventStore;
import io.cursus.testkit.CassandraCluster;
import io.cursus.testkit.Engines;
import io.cursus.testkit.KafkaBroker;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** Security on the real engines: prepared CQL only, engines listening on loopback only. */
class SecurityIT {

  @Test
  void theStoreAndIndexSendOnlyPreparedStatements() {
    Rig.session(); // schema created on another session: DDL is not what this test is about
    Set<String> kinds = ConcurrentHashMap.newKeySet();
    List<String> unprepared = new ArrayList<>();
    RequestTracker tracker =
        new RequestTracker() {
          @Override
          public void onSuccess(
              Request request,
              long latencyNanos,
              DriverExecutionProfile profile,
              Node node,
              String prefix) {
            record(request);
          }

          @Override
          public void onError(
              Request request,
              Throwable error,
              long latencyNanos,
              DriverExecutionProfile profile,
              Node node,
              String prefix) {
            record(request);
          }

          @Override
          public void close() {}

          private void record(Request request) {
            kinds.add(request.getClass().getSimpleName());
            // A single-partition batch is prepared CQL when every statement in it is bound.
            boolean prepared =
                request instanceof BoundStatement
                    || (request instanceof BatchStatement batch
                        && StreamSupport.stream(batch.spliterator(), false)
                            .allMatch(BoundStatement.class::isInstance));
            if (!prepared) {
              synchronized (unprepared) {
                unprepared.add(request.toString());
              }
            }
          }
        };
    CassandraCluster cassandra = Engines.cassandra();
    try (CqlSession session =
        CqlSession.builder()
            .addContactPoints(cassandra.contactPoints())
            .withLocalDatacenter(cassandra.localDatacenter())
            .addRequestTracker(tracker)
            .build()) {
      CassandraEventStore store =
          CassandraEventStore.builder(session, Parcels.REGISTRY).tables(Rig.TABLES).build();
      CassandraEventIndex index =
          CassandraEventIndex.builder(session, Parcels.REGISTRY).tables(Rig.TABLES).build();
      List<Event> events = Parcels.flatten(Parcels.journeys(5));
      AggregateId id = events.get(0).aggregateId();
      store.append(events);
      index.index(events);
      assertThat(store.history(id)).hasSize(4);
      assertThat(store.preload(List.of(id), HistoryQuery.all())).containsKey(id);
      assertThat(store.aggregates("parcel").limit(10)).isNotEmpty();
      assertThat(index.find("parcel", "depotId", "depot-0")).contains(id);
    }
    System.out.println("CQL requests seen: " + kinds);
    assertThat(kinds).contains("DefaultBoundStatement");
    assertThat(unprepared).as("requests that were not prepared statements").isEmpty();
  }

  @Test
  void cassandraKafkaAndHazelcastListenOnLoopbackOnly() throws IOException {
    CassandraCluster cassandra = Engines.cassandra();
    KafkaBroker kafka = Engines.kafka();
    assumeThat(cassandra.isExternal() || kafka.isExternal())
        .as("engines started by the testkit")
        .isFalse();
    assumeThat(Path.of("/proc/net/tcp")).as("Linux /proc").exists();
    Engines.hazelcast(); // listens in this JVM
    Map<String, Long> processes =
        Map.of(
            "cassandra",
            cassandra.node(0).pid(),
            "kafka",
            kafka.pid(),
            "test JVM (Hazelcast)",
            ProcessHandle.current().pid());
    Map<Long, String> listening = listeningSockets();
    for (Map.Entry<String, Long> process : processes.entrySet()) {
      Set<String> addresses = new HashSet<>();
      for (long inode : socketInodes(process.getValue())) {
        String address = listening.get(inode);
        if (address != null) {
          addresses.add(address);
        }
      }
      System.out.println(process.getKey() + " listens on " + addresses);
      assertThat(addresses).as("%s listens somewhere", process.getKey()).isNotEmpty();
      for (String address : addresses) {
        String host = address.substring(0, address.lastIndexOf(':'));
        assertThat(InetAddress.getByName(host).isLoopbackAddress())
            .as("%s listens on %s", process.getKey(), address)
            .isTrue();
      }
    }
  }

  /** Listening TCP sockets of the machine by inode, as "address:port" (from /proc/net/tcp*). */
  private static Map<Long, String> listeningSockets() throws IOException {
    Map<Long, String> sockets = new HashMap<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path file = Path.of(table);
      if (!Files.exists(file)) {
        continue;
      }
      for (String line : Files.readAllLines(file).subList(1, Files.readAllLines(file).size())) {
        String[] f = line.trim().split("\\s+", -1);
        if (!f[3].equals("0A")) { // LISTEN
          continue;
        }
        String[] local = f[1].split(":", -1);
        sockets.put(Long.parseLong(f[9]), address(local[0]) + ":" + Integer.parseInt(local[1], 16));
      }
    }
    return sockets;
  }

  /** The address in /proc/net/tcp's hex form: 32-bit words in host (little-endian) order. */
  private static String address(String hex) throws IOException {
    byte[] bytes = new byte[hex.length() / 2];
    for (int word = 0; word < bytes.length / 4; word++) {
      for (int b = 0; b < 4; b++) {
        int from = (word * 4 + 3 - b) * 2;
        bytes[word * 4 + b] = (byte) Integer.parseInt(hex.substring(from, from + 2), 16);
      }
    }
    return InetAddress.getByAddress(bytes).getHostAddress();
  }

  private static Set<Long> socketInodes(long pid) throws IOException {
    Set<Long> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
          }
        } catch (IOException e) {
          // the descriptor closed meanwhile
        }
      }
    }
    return inodes;
  }
}
