package io.cursus.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import io.cursus.api.HandlesEventsFor;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.mapping.EventTypeRegistry;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

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

  static void multiDataCenter(CqlSession session) {
    CassandraSchema.of(CassandraTables.inKeyspace("cursus"))
        .networkTopology(Map.of("dc1", 3, "dc2", 3))
        .create(session);
  }
}
