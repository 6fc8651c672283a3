package io.cursus.cassandra;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * Where the store's tables live: a keyspace and the names of its tables. Immutable.
 *
 * @param keyspace the keyspace
 * @param events the event table (partitioned by aggregate, clustered by event time)
 * @param catalogue the table of aggregate ids by type, in hash buckets
 * @param indexLatest the latest value of each parameter of each aggregate
 * @param indexValues the aggregates that have (or had) each value of each parameter
 */
public record CassandraTables(
    String keyspace, String events, String catalogue, String indexLatest, String indexValues) {

  private static final Pattern NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9_]{0,47}");

  public CassandraTables {
    check(keyspace, "keyspace");
    check(events, "event table");
    check(catalogue, "catalogue table");
    check(indexLatest, "index table");
    check(indexValues, "index value table");
  }

  /** The default table names in {@code keyspace}. */
  public static CassandraTables inKeyspace(String keyspace) {
    return new CassandraTables(
        keyspace, "event", "aggregate_catalogue", "index_latest", "index_value");
  }

  /** {@code keyspace.table}, for CQL. */
  String qualified(String table) {
    return keyspace + "." + table;
  }

  private static void check(String name, String what) {
    requireNonNull(name, () -> what + " name must not be null");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          what
              + " name '"
              + name
              + "' is not a valid CQL name (a letter, then up to 47 letters, digits or _)");
    }
  }
}
