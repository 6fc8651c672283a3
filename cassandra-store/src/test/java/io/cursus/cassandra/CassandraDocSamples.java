package io.cursus.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.HandlesEventsFor;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.evolution.MigrationProgress;
import io.cursus.api.fixtures.Accounts;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.store.DecisionLog;
import io.cursus.api.store.HistoryQuery;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * The code samples of docs/cassandra.md, compiled with the build. They are not run here (they name
 * a production cluster); the ITs of this module run the same calls against the testkit's Cassandra.
 */
final class CassandraDocSamples {

  @HandlesEventsFor("parcel")
  interface ParcelEvents {
    void receivedAtDepot(StreamTimestamp ts, UUID parcelId, String depotId);
  }

  private CassandraDocSamples() {}

  @SuppressWarnings("AddressSelection") // a contact point by host name, as users write it
  static void setUp() {
    CqlSession session =
        CqlSession.builder()
            .addContactPoint(new InetSocketAddress("cassandra-1.example.internal", 9042))
            .withLocalDatacenter("dc1")
            .build();
    CassandraTables tables = CassandraTables.inKeyspace("cursus");
    CassandraSchema.of(tables).networkTopology(Map.of("dc1", 3)).create(session);

    EventTypeRegistry registry = EventTypeRegistry.of(ParcelEvents.class);
    CassandraEventStore store =
        CassandraEventStore.builder(session, registry)
            .tables(tables)
            .readConsistency(DefaultConsistencyLevel.LOCAL_QUORUM)
            .writeConsistency(DefaultConsistencyLevel.LOCAL_QUORUM)
            .build();
    CassandraEventIndex index =
        CassandraEventIndex.builder(session, registry)
            .tables(tables)
            .indexing("parcel", Set.of("depotId", "truckId"))
            .build();
    store.list("parcel");
    index.find("parcel", "depotId", "Lewisham");
  }

  static void executionProfiles(CqlSession session, EventTypeRegistry registry) {
    CassandraTables tables = CassandraTables.inKeyspace("cursus");
    CassandraEventStore store =
        CassandraEventStore.builder(session, registry)
            .tables(tables)
            .readExecutionProfile("cursus-reads")
            .writeExecutionProfile("cursus-writes")
            .build();
    CassandraEventIndex index =
        CassandraEventIndex.builder(session, registry)
            .tables(tables)
            .executionProfile("cursus-writes") // reads and writes
            .build();
    store.list("parcel");
    index.find("parcel", "depotId", "Lewisham");
  }

  static void decisions(CqlSession session, EventTypeRegistry registry) {
    CassandraEventStore store =
        CassandraEventStore.builder(session, registry)
            .tables(CassandraTables.inKeyspace("cursus"))
            .serialConsistency(
                DefaultConsistencyLevel.LOCAL_SERIAL) // the default; SERIAL across DCs
            .readConsistency(DefaultConsistencyLevel.LOCAL_ONE)
            .readYourWritesWait(Duration.ofSeconds(5)) // the default
            .build();
    DecisionLog decisions = store; // the same object plays both roles
    var unused = decisions;
  }

  static void asynchronousCalls(
      CassandraEventStore store, CassandraEventIndex index, List<Event> events, UUID parcelId) {
    CompletionStage<Void> appended = store.appendAsync(events);
    CompletionStage<List<Event>> history =
        store.historyAsync(AggregateId.of("parcel", parcelId), HistoryQuery.all());
    CompletionStage<Set<AggregateId>> atLewisham = index.findAsync("parcel", "depotId", "Lewisham");
    var unused = List.of(appended, history, atLewisham);
  }

  static void multiDataCenter(CqlSession session) {
    CassandraSchema.of(CassandraTables.inKeyspace("cursus"))
        .networkTopology(Map.of("dc1", 3, "dc2", 3))
        .create(session);
  }

  /** docs/evolution.md: the start-up check and an active migration. */
  static void evolution(CqlSession session) {
    EventTypeRegistry registry =
        EventTypeRegistry.of(Accounts.V3.class).withUpcasters(Accounts.upcasters());
    CassandraEventStore store = CassandraEventStore.builder(session, registry).build();
    store.checkStoredTypes(); // fails listing every stored type without a path

    MigrationProgress done =
        store
            .migration("account")
            .name("accounts-to-v3")
            .parallelism(4)
            .maxEventsPerSecond(20_000)
            .progress(
                p ->
                    System.out.printf(
                        "%d of %d ranges, %d events rewritten%n",
                        p.rangesDone(), p.rangesTotal(), p.eventsRewritten()))
            .run();
    System.out.println("complete: " + done.isComplete());
  }
}
