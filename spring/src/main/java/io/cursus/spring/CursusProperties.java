package io.cursus.spring;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * The {@code cursus.*} properties {@link EnableCursus} reads, each checked when read: a wrong value
 * fails with a message naming the property, the value and what is allowed. Immutable.
 *
 * <table>
 *   <caption>Properties</caption>
 *   <tr><th>property</th><th>values</th><th>default</th></tr>
 *   <tr><td>{@code cursus.store}</td><td>{@code memory}, {@code cassandra}</td>
 *       <td>{@code memory}</td></tr>
 *   <tr><td>{@code cursus.pipeline}</td><td>{@code embedded}, {@code kafka}</td>
 *       <td>{@code embedded}</td></tr>
 *   <tr><td>{@code cursus.idempotency.store}</td><td>{@code memory}, {@code hazelcast}</td>
 *       <td>{@code memory}</td></tr>
 *   <tr><td>{@code cursus.idempotency.window}</td><td>a duration: ISO-8601 ({@code PT10M}) or
 *       a number with {@code ms}, {@code s}, {@code m}, {@code h} or {@code d}</td>
 *       <td>{@code 10m}</td></tr>
 *   <tr><td>{@code cursus.idempotency.max-entries}</td><td>a positive integer</td>
 *       <td>{@code 100000}</td></tr>
 *   <tr><td>{@code cursus.cassandra.contact-points}</td><td>{@code host:port} list, comma
 *       separated (port 9042 if left out)</td><td>none</td></tr>
 *   <tr><td>{@code cursus.cassandra.local-datacenter}</td><td>a data center name</td>
 *       <td>none</td></tr>
 *   <tr><td>{@code cursus.cassandra.keyspace}</td><td>a keyspace name</td>
 *       <td>{@code cursus}</td></tr>
 *   <tr><td>{@code cursus.cassandra.create-schema}</td><td>{@code true}, {@code false}</td>
 *       <td>{@code true}</td></tr>
 *   <tr><td>{@code cursus.cassandra.replication-factor}</td><td>a positive integer</td>
 *       <td>{@code 1}</td></tr>
 *   <tr><td>{@code cursus.cassandra.read-consistency}, {@code write-consistency}</td>
 *       <td>a consistency level ({@code one}, {@code quorum}, {@code local_quorum}, ...)</td>
 *       <td>{@code local_quorum}</td></tr>
 *   <tr><td>{@code cursus.kafka.bootstrap-servers}</td><td>{@code host:port} list</td>
 *       <td>none</td></tr>
 *   <tr><td>{@code cursus.kafka.topic}</td><td>a topic name</td>
 *       <td>{@code cursus-events}</td></tr>
 *   <tr><td>{@code cursus.kafka.group}</td><td>a consumer group id</td>
 *       <td>{@code cursus-store}</td></tr>
 *   <tr><td>{@code cursus.kafka.consume}</td><td>{@code true}, {@code false}</td>
 *       <td>{@code true}</td></tr>
 *   <tr><td>{@code cursus.kafka.properties.}<i>key</i></td><td>any Kafka client property,
 *       passed through to the sink, the consumer and the projection source (for example {@code
 *       cursus.kafka.properties.sasl.jaas.config}); the values are never shown</td><td>none</td></tr>
 *   <tr><td>{@code cursus.hazelcast.members}</td><td>{@code host:port} list</td><td>none</td></tr>
 *   <tr><td>{@code cursus.hazelcast.cluster-name}</td><td>a cluster name</td>
 *       <td>{@code dev}</td></tr>
 *   <tr><td>{@code cursus.hazelcast.map}</td><td>a map name</td>
 *       <td>{@code cursus-idempotency}</td></tr>
 * </table>
 *
 * <p>Any other property whose name starts with {@code cursus.} is refused, naming it and the known
 * ones, so a misspelt property fails the start instead of being ignored.
 */
public final class CursusProperties {

  /** Where events are stored. */
  public enum Store {
    /** The embedded in-memory store and index. */
    MEMORY,
    /** The Cassandra store and index of {@code cursus-cassandra}. */
    CASSANDRA
  }

  /** How emitted events reach the store. */
  public enum PipelineKind {
    /** In process: validate, drop repeats, persist, index, notify. */
    EMBEDDED,
    /**
     * Validate, drop repeats, write to a Kafka topic (an emit returns once Kafka acknowledged it);
     * a consumer in this application (unless {@code cursus.kafka.consume=false}) stores, indexes
     * and notifies.
     */
    KAFKA
  }

  /** Where the idempotency window is kept. */
  public enum IdempotencyStore {
    /** In this process: repeats are dropped among the emits of this application. */
    MEMORY,
    /** In a Hazelcast map shared by every producer of the cluster. */
    HAZELCAST
  }

  public static final String STORE = "cursus.store";
  public static final String PIPELINE = "cursus.pipeline";
  public static final String IDEMPOTENCY_STORE = "cursus.idempotency.store";
  public static final String IDEMPOTENCY_WINDOW = "cursus.idempotency.window";
  public static final String IDEMPOTENCY_MAX_ENTRIES = "cursus.idempotency.max-entries";
  public static final String CASSANDRA_CONTACT_POINTS = "cursus.cassandra.contact-points";
  public static final String CASSANDRA_LOCAL_DATACENTER = "cursus.cassandra.local-datacenter";
  public static final String CASSANDRA_KEYSPACE = "cursus.cassandra.keyspace";
  public static final String CASSANDRA_CREATE_SCHEMA = "cursus.cassandra.create-schema";
  public static final String CASSANDRA_REPLICATION_FACTOR = "cursus.cassandra.replication-factor";
  public static final String CASSANDRA_READ_CONSISTENCY = "cursus.cassandra.read-consistency";
  public static final String CASSANDRA_WRITE_CONSISTENCY = "cursus.cassandra.write-consistency";
  public static final String KAFKA_BOOTSTRAP_SERVERS = "cursus.kafka.bootstrap-servers";
  public static final String KAFKA_TOPIC = "cursus.kafka.topic";
  public static final String KAFKA_GROUP = "cursus.kafka.group";
  public static final String KAFKA_CONSUME = "cursus.kafka.consume";

  /**
   * The prefix of Kafka client properties passed through ({@code security.protocol}, {@code
   * sasl.jaas.config}, {@code ssl.truststore.location}, ...): {@code
   * cursus.kafka.properties.sasl.mechanism=SCRAM-SHA-512} gives the Kafka clients {@code
   * sasl.mechanism=SCRAM-SHA-512}.
   */
  public static final String KAFKA_PROPERTIES = "cursus.kafka.properties.";

  public static final String HAZELCAST_MEMBERS = "cursus.hazelcast.members";
  public static final String HAZELCAST_CLUSTER_NAME = "cursus.hazelcast.cluster-name";
  public static final String HAZELCAST_MAP = "cursus.hazelcast.map";

  private static final Set<String> KNOWN =
      Set.of(
          STORE,
          PIPELINE,
          IDEMPOTENCY_STORE,
          IDEMPOTENCY_WINDOW,
          IDEMPOTENCY_MAX_ENTRIES,
          CASSANDRA_CONTACT_POINTS,
          CASSANDRA_LOCAL_DATACENTER,
          CASSANDRA_KEYSPACE,
          CASSANDRA_CREATE_SCHEMA,
          CASSANDRA_REPLICATION_FACTOR,
          CASSANDRA_READ_CONSISTENCY,
          CASSANDRA_WRITE_CONSISTENCY,
          KAFKA_BOOTSTRAP_SERVERS,
          KAFKA_TOPIC,
          KAFKA_GROUP,
          KAFKA_CONSUME,
          HAZELCAST_MEMBERS,
          HAZELCAST_CLUSTER_NAME,
          HAZELCAST_MAP);

  /** The consistency levels a read or a plain write may use (the serial ones are for Paxos). */
  private static final List<String> CONSISTENCY_LEVELS =
      List.of(
          "any",
          "one",
          "two",
          "three",
          "quorum",
          "all",
          "local_one",
          "local_quorum",
          "each_quorum");

  private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,249}");
  private static final Pattern KEYSPACE = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,47}");

  private final Store store;
  private final PipelineKind pipeline;
  private final IdempotencyStore idempotencyStore;
  private final Duration idempotencyWindow;
  private final int idempotencyMaxEntries;
  private final List<InetSocketAddress> cassandraContactPoints;
  private final @Nullable String cassandraLocalDatacenter;
  private final String cassandraKeyspace;
  private final boolean cassandraCreateSchema;
  private final int cassandraReplicationFactor;
  private final String cassandraReadConsistency;
  private final String cassandraWriteConsistency;
  private final @Nullable String kafkaBootstrapServers;
  private final String kafkaTopic;
  private final String kafkaGroup;
  private final boolean kafkaConsume;
  private final Map<String, String> kafkaProperties;
  private final List<String> hazelcastMembers;
  private final String hazelcastClusterName;
  private final String hazelcastMap;

  private CursusProperties(Environment environment) {
    refuseUnknown(environment);
    this.store = choice(environment, STORE, Store.class, Store.MEMORY);
    this.pipeline = choice(environment, PIPELINE, PipelineKind.class, PipelineKind.EMBEDDED);
    this.idempotencyStore =
        choice(environment, IDEMPOTENCY_STORE, IdempotencyStore.class, IdempotencyStore.MEMORY);
    this.idempotencyWindow = duration(environment.getProperty(IDEMPOTENCY_WINDOW, "10m"));
    this.idempotencyMaxEntries =
        positiveInt(
            IDEMPOTENCY_MAX_ENTRIES, environment.getProperty(IDEMPOTENCY_MAX_ENTRIES), 100_000);
    this.cassandraContactPoints =
        addresses(CASSANDRA_CONTACT_POINTS, environment.getProperty(CASSANDRA_CONTACT_POINTS))
            .stream()
            .map(a -> a.port() < 0 ? InetSocketAddress.createUnresolved(a.host(), 9042) : a.put())
            .toList();
    this.cassandraLocalDatacenter = text(environment.getProperty(CASSANDRA_LOCAL_DATACENTER));
    this.cassandraKeyspace = keyspace(environment.getProperty(CASSANDRA_KEYSPACE, "cursus"));
    this.cassandraCreateSchema = bool(environment, CASSANDRA_CREATE_SCHEMA, true);
    this.cassandraReplicationFactor =
        positiveInt(
            CASSANDRA_REPLICATION_FACTOR, environment.getProperty(CASSANDRA_REPLICATION_FACTOR), 1);
    this.cassandraReadConsistency = consistency(environment, CASSANDRA_READ_CONSISTENCY);
    this.cassandraWriteConsistency = consistency(environment, CASSANDRA_WRITE_CONSISTENCY);
    String servers = environment.getProperty(KAFKA_BOOTSTRAP_SERVERS);
    addresses(KAFKA_BOOTSTRAP_SERVERS, servers); // checked; passed on as written
    this.kafkaBootstrapServers = text(servers);
    this.kafkaTopic = name(KAFKA_TOPIC, environment.getProperty(KAFKA_TOPIC, "cursus-events"));
    this.kafkaGroup = name(KAFKA_GROUP, environment.getProperty(KAFKA_GROUP, "cursus-store"));
    this.kafkaConsume = bool(environment, KAFKA_CONSUME, true);
    this.kafkaProperties = kafkaProperties(environment);
    this.hazelcastMembers =
        addresses(HAZELCAST_MEMBERS, environment.getProperty(HAZELCAST_MEMBERS)).stream()
            .map(HostPort::toString)
            .toList();
    this.hazelcastClusterName =
        name(HAZELCAST_CLUSTER_NAME, environment.getProperty(HAZELCAST_CLUSTER_NAME, "dev"));
    this.hazelcastMap =
        name(HAZELCAST_MAP, environment.getProperty(HAZELCAST_MAP, "cursus-idempotency"));
  }

  /**
   * Reads and checks the properties of {@code environment}.
   *
   * @throws IllegalArgumentException naming the property, its value and the allowed values
   */
  public static CursusProperties from(Environment environment) {
    return new CursusProperties(environment);
  }

  public Store store() {
    return store;
  }

  public PipelineKind pipeline() {
    return pipeline;
  }

  public IdempotencyStore idempotencyStore() {
    return idempotencyStore;
  }

  public Duration idempotencyWindow() {
    return idempotencyWindow;
  }

  public int idempotencyMaxEntries() {
    return idempotencyMaxEntries;
  }

  /** The contact points, unresolved (the driver resolves them); empty if not set. */
  public List<InetSocketAddress> cassandraContactPoints() {
    return cassandraContactPoints;
  }

  public @Nullable String cassandraLocalDatacenter() {
    return cassandraLocalDatacenter;
  }

  public String cassandraKeyspace() {
    return cassandraKeyspace;
  }

  public boolean cassandraCreateSchema() {
    return cassandraCreateSchema;
  }

  public int cassandraReplicationFactor() {
    return cassandraReplicationFactor;
  }

  /** The read consistency level's name, upper case as the driver spells it. */
  public String cassandraReadConsistency() {
    return cassandraReadConsistency;
  }

  /** The write consistency level's name, upper case as the driver spells it. */
  public String cassandraWriteConsistency() {
    return cassandraWriteConsistency;
  }

  public @Nullable String kafkaBootstrapServers() {
    return kafkaBootstrapServers;
  }

  public String kafkaTopic() {
    return kafkaTopic;
  }

  public String kafkaGroup() {
    return kafkaGroup;
  }

  public boolean kafkaConsume() {
    return kafkaConsume;
  }

  /**
   * The Kafka client properties given as {@code cursus.kafka.properties.}<i>key</i>, by key (the
   * prefix removed), with placeholders resolved. They may hold secrets ({@code sasl.jaas.config}):
   * {@link #toString()} names their keys only.
   */
  public Map<String, String> kafkaProperties() {
    return kafkaProperties;
  }

  /** The Hazelcast member addresses as {@code host:port}; empty if not set. */
  public List<String> hazelcastMembers() {
    return hazelcastMembers;
  }

  public String hazelcastClusterName() {
    return hazelcastClusterName;
  }

  public String hazelcastMap() {
    return hazelcastMap;
  }

  /**
   * The properties as read, in the order of the table above; of {@code cursus.kafka.properties.*}
   * only the keys, since their values may be credentials.
   */
  @Override
  public String toString() {
    Map<String, Object> shown = new LinkedHashMap<>();
    shown.put(STORE, lower(store));
    shown.put(PIPELINE, lower(pipeline));
    shown.put(IDEMPOTENCY_STORE, lower(idempotencyStore));
    shown.put(IDEMPOTENCY_WINDOW, idempotencyWindow);
    shown.put(IDEMPOTENCY_MAX_ENTRIES, idempotencyMaxEntries);
    if (store == Store.CASSANDRA) {
      shown.put(CASSANDRA_CONTACT_POINTS, cassandraContactPoints);
      shown.put(CASSANDRA_LOCAL_DATACENTER, cassandraLocalDatacenter);
      shown.put(CASSANDRA_KEYSPACE, cassandraKeyspace);
      shown.put(CASSANDRA_READ_CONSISTENCY, cassandraReadConsistency);
      shown.put(CASSANDRA_WRITE_CONSISTENCY, cassandraWriteConsistency);
    }
    if (pipeline == PipelineKind.KAFKA) {
      shown.put(KAFKA_BOOTSTRAP_SERVERS, kafkaBootstrapServers);
      shown.put(KAFKA_TOPIC, kafkaTopic);
      shown.put(KAFKA_GROUP, kafkaGroup);
      shown.put(KAFKA_CONSUME, kafkaConsume);
      if (!kafkaProperties.isEmpty()) {
        shown.put(
            KAFKA_PROPERTIES + "*",
            kafkaProperties.keySet() + " (values not shown)"); // they may be credentials
      }
    }
    if (idempotencyStore == IdempotencyStore.HAZELCAST) {
      shown.put(HAZELCAST_MEMBERS, hazelcastMembers);
      shown.put(HAZELCAST_CLUSTER_NAME, hazelcastClusterName);
      shown.put(HAZELCAST_MAP, hazelcastMap);
    }
    StringBuilder text = new StringBuilder();
    shown.forEach(
        (key, value) -> text.append(text.length() == 0 ? "" : ", ").append(key + "=" + value));
    return text.toString();
  }

  private static void refuseUnknown(Environment environment) {
    if (!(environment instanceof ConfigurableEnvironment configurable)) {
      return;
    }
    Set<String> unknown = new TreeSet<>();
    for (PropertySource<?> source : configurable.getPropertySources()) {
      // JVM system properties and the process environment also carry other tools' cursus.*
      // settings (the testkit's cursus.testkit.dir, cursus.kafka, ...): only the application's
      // own property sources are checked.
      if (source instanceof EnumerablePropertySource<?> enumerable
          && !StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME.equals(source.getName())
          && !StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME.equals(
              source.getName())) {
        for (String name : enumerable.getPropertyNames()) {
          if (name.startsWith("cursus.") && !KNOWN.contains(name) && !isKafkaProperty(name)) {
            unknown.add(name);
          }
        }
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "unknown Cursus propert"
              + (unknown.size() == 1 ? "y " : "ies ")
              + String.join(", ", unknown)
              + "; the known ones are "
              + String.join(", ", new TreeSet<>(KNOWN)));
    }
  }

  private static boolean isKafkaProperty(String name) {
    return name.startsWith(KAFKA_PROPERTIES) && name.length() > KAFKA_PROPERTIES.length();
  }

  /**
   * Every {@code cursus.kafka.properties.*} of the environment's sources, the value as the
   * environment resolves it (the first source wins, placeholders resolved). The system properties
   * and the process environment count too, unlike in {@link #refuseUnknown}: a secret may well come
   * from there.
   */
  private static Map<String, String> kafkaProperties(Environment environment) {
    if (!(environment instanceof ConfigurableEnvironment configurable)) {
      return Map.of();
    }
    Map<String, String> found = new TreeMap<>();
    for (PropertySource<?> source : configurable.getPropertySources()) {
      if (source instanceof EnumerablePropertySource<?> enumerable) {
        for (String name : enumerable.getPropertyNames()) {
          String key = name.substring(Math.min(name.length(), KAFKA_PROPERTIES.length()));
          if (isKafkaProperty(name) && !found.containsKey(key)) {
            String value = environment.getProperty(name);
            if (value != null) {
              found.put(key, value);
            }
          }
        }
      }
    }
    return Collections.unmodifiableMap(found);
  }

  private static <E extends Enum<E>> E choice(
      Environment environment, String property, Class<E> type, E fallback) {
    String value = environment.getProperty(property);
    if (value == null) {
      return fallback;
    }
    for (E constant : type.getEnumConstants()) {
      if (lower(constant).equals(value.trim().toLowerCase(Locale.ROOT))) {
        return constant;
      }
    }
    StringBuilder allowed = new StringBuilder();
    for (E constant : type.getEnumConstants()) {
      allowed.append(allowed.length() == 0 ? "" : ", ").append(lower(constant));
    }
    throw new IllegalArgumentException(
        property + " must be one of " + allowed + ", was '" + value + "'");
  }

  private static boolean bool(Environment environment, String property, boolean fallback) {
    String value = environment.getProperty(property);
    if (value == null) {
      return fallback;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new IllegalArgumentException(
              property + " must be one of true, false, was '" + value + "'");
    };
  }

  private static String consistency(Environment environment, String property) {
    String value = environment.getProperty(property, "local_quorum");
    String level = value.trim().toLowerCase(Locale.ROOT);
    if (!CONSISTENCY_LEVELS.contains(level)) {
      throw new IllegalArgumentException(
          property
              + " must be one of "
              + String.join(", ", CONSISTENCY_LEVELS)
              + ", was '"
              + value
              + "'");
    }
    return level.toUpperCase(Locale.ROOT);
  }

  private static Duration duration(String value) {
    String text = value.trim();
    Matcher simple = SIMPLE_DURATION.matcher(text);
    Duration parsed = null;
    if (simple.matches()) {
      long amount = Long.parseLong(simple.group(1));
      parsed =
          switch (simple.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
          };
    } else {
      try {
        parsed = Duration.parse(text);
      } catch (DateTimeParseException e) {
        parsed = null;
      }
    }
    if (parsed == null || parsed.isNegative() || parsed.isZero()) {
      throw new IllegalArgumentException(
          IDEMPOTENCY_WINDOW
              + " must be a positive duration such as 10m, 30s, 500ms or PT10M, was '"
              + value
              + "'");
    }
    return parsed;
  }

  private static int positiveInt(String property, @Nullable String value, int fallback) {
    if (value == null) {
      return fallback;
    }
    int parsed;
    try {
      parsed = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      parsed = 0;
    }
    if (parsed <= 0) {
      throw new IllegalArgumentException(
          property + " must be a positive integer, was '" + value + "'");
    }
    return parsed;
  }

  private static @Nullable String text(@Nullable String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static String name(String property, String value) {
    String name = value.trim();
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          property + " must be 1 to 249 letters, digits, '.', '_' or '-', was '" + value + "'");
    }
    return name;
  }

  private static String keyspace(String value) {
    String name = value.trim();
    if (!KEYSPACE.matcher(name).matches()) {
      throw new IllegalArgumentException(
          CASSANDRA_KEYSPACE
              + " must be a letter then up to 47 letters, digits or '_', was '"
              + value
              + "'");
    }
    return name;
  }

  /** A host and a port, -1 if none was written. */
  private record HostPort(String host, int port) {
    InetSocketAddress put() {
      return InetSocketAddress.createUnresolved(host, port);
    }

    @Override
    public String toString() {
      return port < 0 ? host : host + ":" + port;
    }
  }

  private static List<HostPort> addresses(String property, @Nullable String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    List<HostPort> addresses = new ArrayList<>();
    for (String part : value.split(",", -1)) {
      String address = part.trim();
      int colon = address.lastIndexOf(':');
      String host = colon < 0 ? address : address.substring(0, colon);
      int port = -1;
      boolean ok = !host.isEmpty() && !host.contains(" ");
      if (ok && colon >= 0) {
        try {
          port = Integer.parseInt(address.substring(colon + 1));
          ok = port > 0 && port < 65_536;
        } catch (NumberFormatException e) {
          ok = false;
        }
      }
      if (!ok) {
        throw new IllegalArgumentException(
            property
                + " must be a comma-separated list of host:port, was '"
                + value
                + "' (bad entry '"
                + address
                + "')");
      }
      addresses.add(new HostPort(host, port));
    }
    return List.copyOf(addresses);
  }

  private static String lower(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }
}
