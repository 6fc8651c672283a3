package io.cursus.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.DriverExecutionProfile;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.session.Request;
import com.datastax.oss.driver.api.core.tracker.RequestTracker;
import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.TransientCursusException;
import io.cursus.api.mapping.EventMapper;
import io.cursus.api.store.HistoryQuery;
import io.cursus.conformance.ConformanceEvents;
import io.cursus.testkit.CassandraCluster;
import io.cursus.testkit.Engines;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store and index run their requests with a driver execution profile named on their builders,
 * and what is set on the builder wins over the profile: on the real engine, through a session whose
 * profiles are defined programmatically, with a request tracker that sees what the driver ran.
 */
class CassandraExecutionProfileIT {

  /** Consistency ONE, timeout 7 s. */
  private static final String ONE_SEVEN = "cursus-it-one";

  /** Consistency TWO (which one node cannot give), timeout 9 s. */
  private static final String TWO_NINE = "cursus-it-two";

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final String TYPE = ConformanceEvents.AGGREGATE_TYPE;
  private static final Recorder RECORDER = new Recorder();

  private static CqlSession session;

  /** A request the driver ran, and the profile it ran it with. */
  private record Ran(Statement<?> statement, DriverExecutionProfile profile) {

    /** The consistency the driver asked for: the statement's own, else its profile's. */
    String consistency() {
      return statement.getConsistencyLevel() != null
          ? statement.getConsistencyLevel().name()
          : profile.getString(DefaultDriverOption.REQUEST_CONSISTENCY);
    }

    /** The timeout the driver applied: the statement's own, else its profile's. */
    Duration timeout() {
      return statement.getTimeout() != null
          ? statement.getTimeout()
          : profile.getDuration(DefaultDriverOption.REQUEST_TIMEOUT);
    }
  }

  /** Records every statement the session ran, with the profile the driver resolved for it. */
  private static final class Recorder implements RequestTracker {
    private final ConcurrentLinkedQueue<Ran> ran = new ConcurrentLinkedQueue<>();

    @Override
    public void onSuccess(
        Request request,
        long latencyNanos,
        DriverExecutionProfile profile,
        Node node,
        String requestLogPrefix) {
      record(request, profile);
    }

    @Override
    public void onError(
        Request request,
        Throwable error,
        long latencyNanos,
        DriverExecutionProfile profile,
        @Nullable Node node,
        String requestLogPrefix) {
      record(request, profile);
    }

    private void record(Request request, DriverExecutionProfile profile) {
      if (request instanceof Statement<?> statement) {
        ran.add(new Ran(statement, profile));
      }
    }

    @Override
    public void close() {}

    /**
     * What ran, once something that {@code expected} accepts has (the tracker hears of a request
     * just after its caller does).
     */
    List<Ran> once(Predicate<List<Ran>> expected) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      List<Ran> seen = List.copyOf(ran);
      while (!expected.test(seen) && System.nanoTime() < deadline) {
        Thread.sleep(20);
        seen = List.copyOf(ran);
      }
      assertThat(expected).as("the requests expected ran: %s", seen).accepts(seen);
      return seen;
    }
  }

  @BeforeAll
  static void connect() {
    SharedCassandra.session(); // creates the schema
    CassandraCluster cluster = Engines.cassandra();
    session =
        CqlSession.builder()
            .withConfigLoader(
                DriverConfigLoader.programmaticBuilder()
                    .startProfile(ONE_SEVEN)
                    .withString(DefaultDriverOption.REQUEST_CONSISTENCY, "ONE")
                    .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(7))
                    .endProfile()
                    .startProfile(TWO_NINE)
                    .withString(DefaultDriverOption.REQUEST_CONSISTENCY, "TWO")
                    .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(9))
                    .endProfile()
                    .build())
            .addContactPoints(cluster.contactPoints())
            .withLocalDatacenter(cluster.localDatacenter())
            .addRequestTracker(RECORDER)
            .build();
  }

  @AfterAll
  static void close() {
    session.close();
  }

  @BeforeEach
  void forgetEarlierRequests() throws InterruptedException {
    // The tracker hears of a request just after its caller does: the last test's final request
    // (a refused one, with another profile) may be heard after this test began. Wait until none
    // comes for a while.
    for (int i = 0; i < 50; i++) {
      RECORDER.ran.clear();
      Thread.sleep(100);
      if (RECORDER.ran.isEmpty()) {
        return;
      }
    }
  }

  private static CassandraEventStore.Builder store() {
    return CassandraEventStore.builder(session, SharedCassandra.REGISTRY)
        .tables(SharedCassandra.TABLES);
  }

  private static CassandraEventIndex.Builder index() {
    return CassandraEventIndex.builder(session, SharedCassandra.REGISTRY)
        .tables(SharedCassandra.TABLES);
  }

  private static List<Event> moves(UUID id, int count) {
    List<Event> events = new ArrayList<>(count);
    ConformanceEvents emit = EventMapper.emitter(ConformanceEvents.class, events::add);
    for (int i = 0; i < count; i++) {
      emit.moved(StreamTimestamp.of("s", T0.plusMillis(i)), id, "p-" + id, i);
    }
    return events;
  }

  private static boolean hasBatchAndBound(List<Ran> ran, int atLeast) {
    return ran.size() >= atLeast
        && ran.stream().anyMatch(r -> r.statement() instanceof BatchStatement)
        && ran.stream().anyMatch(r -> r.statement() instanceof BoundStatement);
  }

  @Test
  void withAProfileEveryRequestOfStoreAndIndexRunsWithTheProfilesConsistencyAndTimeout()
      throws Exception {
    // given
    CassandraEventStore store = store().executionProfile(ONE_SEVEN).build();
    CassandraEventIndex index = index().executionProfile(ONE_SEVEN).build();
    UUID id = UUID.randomUUID();
    AggregateId aggregate = AggregateId.of(TYPE, id);
    List<Event> events = moves(id, 3);

    // when: every kind of request either sends
    store.append(events);
    store.appendAsync(moves(UUID.randomUUID(), 1)).toCompletableFuture().get(1, TimeUnit.MINUTES);
    assertThat(store.history(aggregate)).hasSize(3);
    assertThat(store.historyAsync(aggregate, HistoryQuery.all()).toCompletableFuture().join())
        .hasSize(3);
    assertThat(store.preload(List.of(aggregate), HistoryQuery.all()).get(aggregate)).hasSize(3);
    assertThat(store.list(TYPE)).contains(aggregate);
    index.index(events);
    assertThat(index.find(TYPE, "location", "p-" + id)).containsExactly(aggregate);
    assertThat(index.findAsync(TYPE, "location", "p-" + id).toCompletableFuture().join())
        .containsExactly(aggregate);

    // then
    List<Ran> ran = RECORDER.once(r -> hasBatchAndBound(r, 256 + 10));
    assertThat(ran)
        .allSatisfy(
            r -> {
              assertThat(r.profile().getName()).isEqualTo(ONE_SEVEN);
              assertThat(r.consistency()).isEqualTo("ONE");
              assertThat(r.timeout()).isEqualTo(Duration.ofSeconds(7));
              assertThat(r.statement().getConsistencyLevel()).as("left to the profile").isNull();
            });
  }

  @Test
  void theProfilesConsistencyIsWhatCassandraIsAskedFor() {
    // given: a profile that asks one node for two replicas
    CassandraEventStore store = store().executionProfile(TWO_NINE).build();
    UUID id = UUID.randomUUID();

    // then
    assertThatThrownBy(() -> store.append(moves(id, 2)))
        .isInstanceOf(TransientCursusException.class)
        .hasMessageContaining("TWO");
    assertThatThrownBy(() -> store.history(AggregateId.of(TYPE, id)))
        .isInstanceOf(TransientCursusException.class);
  }

  @Test
  void consistencyAndTimeoutSetOnTheBuilderWinOverTheProfiles() throws Exception {
    // given: the profile that asks for TWO, with ONE and 3 s set on the builders
    CassandraEventStore store =
        store()
            .executionProfile(TWO_NINE)
            .readConsistency(DefaultConsistencyLevel.ONE)
            .writeConsistency(DefaultConsistencyLevel.ONE)
            .timeout(Duration.ofSeconds(3))
            .build();
    CassandraEventIndex index =
        index()
            .executionProfile(TWO_NINE)
            .readConsistency(DefaultConsistencyLevel.ONE)
            .writeConsistency(DefaultConsistencyLevel.ONE)
            .timeout(Duration.ofSeconds(3))
            .build();
    UUID id = UUID.randomUUID();
    List<Event> events = moves(id, 3);

    // when
    store.append(events);
    List<Event> history = store.history(AggregateId.of(TYPE, id));
    index.index(events);

    // then: it worked, and every request, batches too, ran with the builder's settings
    assertThat(history).isEqualTo(events);
    assertThat(index.find(TYPE, "location", "p-" + id)).containsExactly(AggregateId.of(TYPE, id));
    List<Ran> ran = RECORDER.once(r -> hasBatchAndBound(r, 6));
    assertThat(ran)
        .allSatisfy(
            r -> {
              assertThat(r.profile().getName()).isEqualTo(TWO_NINE);
              assertThat(r.consistency()).isEqualTo("ONE");
              assertThat(r.timeout()).isEqualTo(Duration.ofSeconds(3));
            });
  }

  @Test
  void readsAndWritesMayEachNameAProfileOfTheirOwn() {
    // given: reads with the profile one node cannot serve, writes with the other
    CassandraEventStore store =
        store().readExecutionProfile(TWO_NINE).writeExecutionProfile(ONE_SEVEN).build();
    CassandraEventIndex index =
        index().readExecutionProfile(TWO_NINE).writeExecutionProfile(ONE_SEVEN).build();
    UUID id = UUID.randomUUID();
    List<Event> events = moves(id, 2);

    // when
    store.append(events);
    index.index(events);

    // then
    assertThat(SharedCassandra.store().history(AggregateId.of(TYPE, id))).isEqualTo(events);
    assertThatThrownBy(() -> store.history(AggregateId.of(TYPE, id)))
        .isInstanceOf(TransientCursusException.class);
    assertThatThrownBy(() -> index.find(TYPE, "location", "p-" + id))
        .isInstanceOf(TransientCursusException.class);
  }

  @Test
  void withoutAProfileEveryRequestRunsAtLocalQuorumWithTenSecondsWhateverTheDefaultProfileSays()
      throws Exception {
    // given: the driver's default profile says LOCAL_ONE and 2 s
    assertThat(
            session
                .getContext()
                .getConfig()
                .getDefaultProfile()
                .getDuration(DefaultDriverOption.REQUEST_TIMEOUT))
        .isEqualTo(Duration.ofSeconds(2));
    CassandraEventStore store = store().build();
    CassandraEventIndex index = index().build();
    UUID id = UUID.randomUUID();
    List<Event> events = moves(id, 3);

    // when
    store.append(events);
    assertThat(store.history(AggregateId.of(TYPE, id))).hasSize(3);
    index.index(events);

    // then: batches too (the driver takes a batch's timeout from its profile only)
    List<Ran> ran = RECORDER.once(r -> hasBatchAndBound(r, 5));
    assertThat(ran)
        .allSatisfy(
            r -> {
              assertThat(r.profile().getName()).isEqualTo(DriverExecutionProfile.DEFAULT_NAME);
              assertThat(r.consistency()).isEqualTo("LOCAL_QUORUM");
              assertThat(r.timeout()).isEqualTo(Duration.ofSeconds(10));
            });
  }

  @Test
  void aProfileTheDriverDoesNotDefineIsRefusedWhenTheStoreOrIndexIsBuilt() {
    assertThatThrownBy(() -> store().writeExecutionProfile("cursus-writes").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "execution profile 'cursus-writes' is not defined in the driver's configuration");
    assertThatThrownBy(() -> index().executionProfile("cursus-reads").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("datastax-java-driver.profiles.cursus-reads");
  }
}
