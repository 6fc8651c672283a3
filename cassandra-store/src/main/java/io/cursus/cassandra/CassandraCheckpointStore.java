package io.cursus.cassandra;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.cursus.api.projection.Checkpoint;
import io.cursus.api.projection.CheckpointStore;
import io.cursus.api.projection.Position;
import io.cursus.cassandra.internal.Cql;
import io.cursus.cassandra.internal.Failures;
import io.cursus.cassandra.internal.PartitionBatches;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Projection checkpoints in the table {@code projection_checkpoint} of a keyspace, created by
 * {@link CassandraSchema}: one partition per checkpoint key, the checkpoint's generation and
 * catch-up state in a static column, one row per source partition with its next offset. {@link
 * #save} writes the header and the partitions the checkpoint names in one single-partition batch,
 * so it merges partition by partition as {@link CheckpointStore} requires: two instances of a
 * projection that own different Kafka partitions save side by side.
 *
 * <pre>{@code
 * CheckpointStore checkpoints = CassandraCheckpointStore.using(session, tables);
 * }</pre>
 *
 * <p>Reads and writes use {@code LOCAL_QUORUM} and a 10 s timeout. Failures are {@link
 * io.cursus.api.CursusException}s, transient where a retry can help. Thread-safe; the session is
 * the caller's and is not closed here.
 */
public final class CassandraCheckpointStore implements CheckpointStore {

  private static final ConsistencyLevel CONSISTENCY = DefaultConsistencyLevel.LOCAL_QUORUM;
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final CqlSession session;
  private final PreparedStatement writeHeader;
  private final PreparedStatement writeOffset;
  private final PreparedStatement read;
  private final PreparedStatement delete;

  private CassandraCheckpointStore(CqlSession session, CassandraTables tables) {
    this.session = requireNonNull(session, "session must not be null");
    Cql cql = new Cql(requireNonNull(tables, "tables must not be null"));
    this.writeHeader = Cql.prepare(session, cql.writeCheckpointHeader());
    this.writeOffset = Cql.prepare(session, cql.writeCheckpointOffset());
    this.read = Cql.prepare(session, cql.readCheckpoint());
    this.delete = Cql.prepare(session, cql.deleteCheckpoint());
  }

  /**
   * Checkpoints in the keyspace of {@code tables}, whose schema {@link CassandraSchema#create} has
   * created.
   *
   * @throws io.cursus.api.CursusException if the statements cannot be prepared (most often: the
   *     schema has not been created)
   */
  public static CassandraCheckpointStore using(CqlSession session, CassandraTables tables) {
    return new CassandraCheckpointStore(session, tables);
  }

  @Override
  public Optional<Checkpoint> load(String key) {
    requireNonNull(key, "key must not be null");
    String header = null;
    Map<String, Long> offsets = new TreeMap<>();
    try {
      for (Row row :
          session.execute(read.bind(key).setConsistencyLevel(CONSISTENCY).setTimeout(TIMEOUT))) {
        header = row.getString(0);
        String partition = row.getString(1);
        if (partition != null && !row.isNull(2)) {
          offsets.put(partition, row.getLong(2));
        }
      }
    } catch (RuntimeException e) {
      throw Failures.classify(e, "loading the checkpoint '" + key + "'");
    }
    if (header == null) {
      return Optional.empty();
    }
    Checkpoint saved = Checkpoint.parse(header);
    Position position = saved.position().merge(Position.of(offsets));
    return Optional.of(
        saved.isCaughtUp()
            ? Checkpoint.live(saved.generation(), position)
            : Checkpoint.catchingUp(saved.generation(), position, saved.catchUpAfter()));
  }

  @Override
  public void save(String key, Checkpoint checkpoint) {
    requireNonNull(key, "key must not be null");
    requireNonNull(checkpoint, "checkpoint must not be null");
    Checkpoint header =
        checkpoint.isCaughtUp()
            ? Checkpoint.live(checkpoint.generation(), Position.start())
            : Checkpoint.catchingUp(
                checkpoint.generation(), Position.start(), checkpoint.catchUpAfter());
    List<BoundStatement> writes = new ArrayList<>();
    writes.add(writeHeader.bind(header.asString(), key));
    for (Map.Entry<String, Long> partition : checkpoint.position().offsets().entrySet()) {
      writes.add(writeOffset.bind(partition.getValue(), key, partition.getKey()));
    }
    try {
      session.execute(PartitionBatches.onePartition(writes, CONSISTENCY, TIMEOUT));
    } catch (RuntimeException e) {
      throw Failures.classify(e, "saving the checkpoint '" + key + "' " + checkpoint);
    }
  }

  @Override
  public void delete(String key) {
    requireNonNull(key, "key must not be null");
    try {
      session.execute(delete.bind(key).setConsistencyLevel(CONSISTENCY).setTimeout(TIMEOUT));
    } catch (RuntimeException e) {
      throw Failures.classify(e, "deleting the checkpoint '" + key + "'");
    }
  }
}
