package io.cursus.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import io.cursus.api.CursusException;
import io.cursus.api.Event;
import io.cursus.api.EventIdentity;
import io.cursus.api.bus.EventBus;
import io.cursus.api.projection.Projection;
import io.cursus.api.projection.ProjectionStatus;
import io.cursus.api.projection.Projections;
import io.cursus.cassandra.CassandraEventIndex;
import io.cursus.cassandra.CassandraEventStore;
import io.cursus.cassandra.CassandraSchema;
import io.cursus.cassandra.CassandraTables;
import io.cursus.middleware.PipelineException;
import io.cursus.middleware.Pipelines;
import io.cursus.middleware.hazelcast.HazelcastIdempotencyFilter;
import io.cursus.middleware.kafka.KafkaEventConsumer;
import io.cursus.middleware.kafka.KafkaEventSink;
import io.cursus.middleware.kafka.KafkaProjectionSource;
import io.cursus.testkit.CassandraCluster;
import io.cursus.testkit.Engines;
import io.cursus.testkit.KafkaBroker;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;

/**
 * R13: Cassandra with {@code PasswordAuthenticator} and Kafka with SASL/SCRAM-SHA-512, each a
 * dedicated engine. The pipeline (emit, Hazelcast idempotency window, Kafka, consumer, Cassandra
 * store and index, a projection reading the topic) runs with credentials read from a configuration
 * file; wrong credentials fail clearly and write nothing; and no password shows in any log line of
 * this JVM or of the engines, or in any exception text of the run.
 */
@Tag("heavy") // about 2 min on 2 busy cores, most of it starting the two secured engines
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class R13SecuredEnginesIT {
  private static final String KEYSPACE = "cursus_reliability_r13";
  private static final CassandraTables TABLES = CassandraTables.inKeyspace(KEYSPACE);
  private static final String CASSANDRA_USER = "cursus_app";
  private static final String KAFKA_USER = "cursus-app";
  private static final String CASSANDRA_PASSWORD = "cql-" + UUID.randomUUID();
  private static final String KAFKA_PASSWORD = "sasl-" + UUID.randomUUID();
  private static final String WRONG_PASSWORD = "wrong-" + UUID.randomUUID();

  private static CassandraCluster cassandra;
  private static KafkaBroker kafka;
  private static Path configFile;
  private static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();
  private static final Map<String, Level> LEVELS = new HashMap<>();

  /** Every exception the run caught, rendered as a stack trace with its causes. */
  private static final List<String> EXCEPTIONS = new ArrayList<>();

  @BeforeAll
  static void startSecuredEngines() throws IOException {
    capture("ROOT", Level.INFO); // the Kafka clients log their whole configuration at INFO
    capture("io.cursus", Level.DEBUG);
    kafka = KafkaBroker.builder().scram(KAFKA_USER, KAFKA_PASSWORD).start();
    cassandra = CassandraCluster.builder().credentials(CASSANDRA_USER, CASSANDRA_PASSWORD).start();
    // what an application would read from its configuration (a file, the environment, a vault)
    Properties config = new Properties();
    config.setProperty("cassandra.username", CASSANDRA_USER);
    config.setProperty("cassandra.password", CASSANDRA_PASSWORD);
    config.setProperty("kafka.security.protocol", "SASL_PLAINTEXT");
    config.setProperty("kafka.sasl.mechanism", "SCRAM-SHA-512");
    config.setProperty("kafka.username", KAFKA_USER);
    config.setProperty("kafka.password", KAFKA_PASSWORD);
    configFile = Files.createTempFile("r13-", ".properties");
    try (Writer out = Files.newBufferedWriter(configFile)) {
      config.store(out, "R13 credentials");
    }
  }

  @AfterAll
  static void stopEngines() throws IOException {
    try {
      Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
      root.detachAppender(LOGS);
      LEVELS.forEach((name, level) -> ((Logger) LoggerFactory.getLogger(name)).setLevel(level));
      if (configFile != null) {
        Files.deleteIfExists(configFile);
      }
    } finally {
      try {
        if (kafka != null) {
          kafka.close();
        }
      } finally {
        if (cassandra != null) {
          cassandra.close();
        }
      }
    }
  }

  @Test
  @Order(1)
  void thePipelineRunsWithCredentialsFromConfiguration() throws Exception {
    // given: the credentials from the configuration file, and a schema made by the app's role
    Tally tally = new Tally("R13 secured engines, credentials from configuration");
    Properties config = load();
    Map<String, Object> kafkaSecurity = kafkaSecurity(config, config.getProperty("kafka.password"));
    String topic = "r13-" + UUID.randomUUID();
    String storeGroup = "r13-store-" + UUID.randomUUID();
    createTopics(topic);
    List<Event> all = Parcels.flatten(Parcels.journeys(500));
    try (CqlSession session = cassandra(config.getProperty("cassandra.password"))) {
      CassandraSchema.of(TABLES).create(session);
      CassandraEventStore store =
          CassandraEventStore.builder(session, Parcels.REGISTRY).tables(TABLES).build();
      CassandraEventIndex index =
          CassandraEventIndex.builder(session, Parcels.REGISTRY).tables(TABLES).build();
      Set<EventIdentity> projected = ConcurrentHashMap.newKeySet();
      KafkaProjectionSource source =
          KafkaProjectionSource.builder(kafka.bootstrapServers(), topic, storeGroup, Parcels.JSON)
              .properties(kafkaSecurity)
              .build();
      try (KafkaEventSink sink =
              KafkaEventSink.builder(kafka.bootstrapServers(), topic, Parcels.JSON)
                  .properties(kafkaSecurity)
                  .linger(Duration.ofMillis(2))
                  .build();
          KafkaEventConsumer consumer =
              KafkaEventConsumer.builder(
                      kafka.bootstrapServers(), topic, storeGroup, Parcels.JSON, store)
                  .properties(kafkaSecurity)
                  .indexer(index)
                  .backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                  .build()
                  .start();
          Projections projections = Projections.builder(source, store, store).build()) {
        projections.start(
            Projection.events("r13-audit")
                .aggregateTypes("parcel")
                .handler(event -> projected.add(event.identity()))
                .build());
        EventBus bus =
            EventBus.to(
                Pipelines.producer(
                        Parcels.REGISTRY,
                        HazelcastIdempotencyFilter.using(
                            Engines.hazelcast().member(),
                            "r13-" + UUID.randomUUID(),
                            Duration.ofMinutes(10)),
                        sink)
                    .build());

        // when: every event is sent, then all of them again (the window stops the repeats)
        for (int i = 0; i < all.size(); i += 20) {
          List<Event> batch = all.subList(i, Math.min(all.size(), i + 20));
          bus.dispatch(batch);
          tally.delivered(batch);
        }
        for (int i = 0; i < all.size(); i += 20) {
          bus.dispatch(all.subList(i, Math.min(all.size(), i + 20)));
        }
        Rig.await(
            "the consumer stored every event and the projection saw every one",
            Duration.ofMinutes(2),
            () -> consumer.eventsProcessed() >= all.size() && projected.size() >= all.size());

        // then
        assertThat(consumer.failure()).isEmpty();
        assertThat(consumer.eventsProcessed())
            .as("events the consumer processed")
            .isEqualTo(all.size());
        assertThat(projections.status("r13-audit").phase())
            .isNotEqualTo(ProjectionStatus.Phase.FAILED);
        assertThat(projected).containsExactlyInAnyOrderElementsOf(identities(all));
        assertThat(index.find("parcel", "depotId", "depot-0")).isNotEmpty();
        tally.note("repeats stopped by the Hazelcast window " + all.size());
        tally.note("seen by the projection " + projected.size());
      } finally {
        source.close();
      }
      tally.check(store).report().assertNothingLostOrDuplicated();
    }
  }

  @Test
  @Order(2)
  void aSinkWithAWrongKafkaPasswordFailsNamingAuthenticationAndWritesNothing() throws Exception {
    // given
    Map<String, Object> right = kafkaSecurity(load(), KAFKA_PASSWORD);
    String topic = "r13-wrong-sink-" + UUID.randomUUID();
    createTopics(topic);
    List<Event> batch = Parcels.flatten(Parcels.journeys(5));

    // when
    Throwable thrown;
    try (KafkaEventSink sink =
        KafkaEventSink.builder(kafka.bootstrapServers(), topic, Parcels.JSON)
            .properties(kafkaSecurity(load(), WRONG_PASSWORD))
            .maxBlock(Duration.ofSeconds(10))
            .build()) {
      EventBus bus =
          EventBus.to(
              Pipelines.producer(
                      Parcels.REGISTRY,
                      HazelcastIdempotencyFilter.using(
                          Engines.hazelcast().member(),
                          "r13-" + UUID.randomUUID(),
                          Duration.ofMinutes(10)),
                      sink)
                  .build());
      thrown = catchThrowable(() -> bus.dispatch(batch));
    }

    // then
    keep(thrown);
    System.out.println("R13 a wrong Kafka password at the sink: " + thrown.getMessage());
    assertThat(thrown).isInstanceOf(PipelineException.class);
    assertThat(((CursusException) thrown).isTransient()).isFalse();
    assertThat(thrown.getMessage())
        .contains("Kafka refused the producer's credentials")
        .contains("authentication failed");
    assertThat(endOffsets(right, topic)).as("records in the topic").isZero();
  }

  @Test
  @Order(3)
  void aConsumerWithAWrongKafkaPasswordStopsNamingAuthenticationAndStoresNothing()
      throws Exception {
    // given: events in a topic, and the store the consumer would write to
    Map<String, Object> right = kafkaSecurity(load(), KAFKA_PASSWORD);
    String topic = "r13-wrong-consumer-" + UUID.randomUUID();
    String group = "r13-wrong-" + UUID.randomUUID();
    createTopics(topic);
    List<Event> events = Parcels.flatten(Parcels.journeys(25));
    try (KafkaEventSink sink =
        KafkaEventSink.builder(kafka.bootstrapServers(), topic, Parcels.JSON)
            .properties(right)
            .build()) {
      sink.accept(events);
    }
    try (CqlSession session = cassandra(CASSANDRA_PASSWORD)) {
      CassandraEventStore store =
          CassandraEventStore.builder(session, Parcels.REGISTRY).tables(TABLES).build();

      // when
      KafkaEventConsumer consumer =
          KafkaEventConsumer.builder(kafka.bootstrapServers(), topic, group, Parcels.JSON, store)
              .properties(kafkaSecurity(load(), WRONG_PASSWORD))
              .build()
              .start();
      try {
        Rig.await("the consumer stopped", Duration.ofSeconds(60), () -> !consumer.isRunning());
      } finally {
        consumer.close();
      }

      // then
      Throwable failure = consumer.failure().orElseThrow();
      keep(failure);
      System.out.println("R13 a wrong Kafka password at the consumer: " + failure.getMessage());
      assertThat(failure).isInstanceOf(CursusException.class);
      assertThat(((CursusException) failure).isTransient()).isFalse();
      assertThat(failure.getMessage())
          .contains("Kafka refused the credentials of the consumer of " + topic)
          .contains("authentication failed");
      assertThat(consumer.eventsProcessed()).isZero();
      assertThat(store.preload(ids(events), io.cursus.api.store.HistoryQuery.all()).values())
          .allSatisfy(history -> assertThat(history).isEmpty());
    }
  }

  @Test
  @Order(4)
  void aProjectionSourceWithAWrongKafkaPasswordFailsNamingAuthentication() throws Exception {
    // given
    String topic = "r13-wrong-source-" + UUID.randomUUID();
    createTopics(topic);

    // when
    Throwable thrown;
    try (KafkaProjectionSource source =
        KafkaProjectionSource.builder(kafka.bootstrapServers(), topic, "r13-store", Parcels.JSON)
            .properties(kafkaSecurity(load(), WRONG_PASSWORD))
            .requestTimeout(Duration.ofSeconds(20))
            .build()) {
      thrown = catchThrowable(source::head);
    }

    // then
    keep(thrown);
    System.out.println(
        "R13 a wrong Kafka password at the projection source: " + thrown.getMessage());
    assertThat(thrown).isInstanceOf(CursusException.class);
    assertThat(((CursusException) thrown).isTransient()).isFalse();
    assertThat(thrown.getMessage()).contains("Kafka refused the credentials").contains(topic);
  }

  @Test
  @Order(5)
  void aWrongCassandraPasswordFailsNamingAuthenticationAndWritesNothing() {
    // when
    Throwable thrown = catchThrowable(() -> cassandra(WRONG_PASSWORD).close());

    // then: the driver refuses to open the session, so no store can be built on it
    keep(thrown);
    System.out.println("R13 a wrong Cassandra password: " + thrown.getMessage());
    assertThat(thrown).isInstanceOf(AllNodesFailedException.class);
    assertThat(((AllNodesFailedException) thrown).getAllErrors().values())
        .flatMap(errors -> errors)
        .hasAtLeastOneElementOfType(AuthenticationException.class);
    assertThat(thrown.getMessage())
        .contains("Authentication error")
        .contains("Provided username " + CASSANDRA_USER + " and/or password are incorrect");
  }

  @Test
  @Order(6)
  void noPasswordAppearsInAnyLogLineOrExceptionText() throws IOException {
    // given: everything the run logged here and in the engines, and every exception it caught
    List<String> lines = new ArrayList<>();
    synchronized (LOGS) {
      for (ILoggingEvent event : new ArrayList<>(LOGS.list)) {
        lines.add(event.getLoggerName() + " " + event.getFormattedMessage());
        if (event.getThrowableProxy() != null) {
          lines.add(ThrowableProxyUtil.asString(event.getThrowableProxy()));
        }
      }
    }
    lines.addAll(EXCEPTIONS);
    lines.add(Files.readString(kafka.logFile()));
    lines.add(Files.readString(cassandra.node(0).logFile()));

    // then
    assertThat(LOGS.list.size()).as("log lines captured").isGreaterThan(100);
    assertThat(EXCEPTIONS).as("exceptions captured").hasSize(4);
    assertThat(String.join("\n", lines))
        .as("the run's logs mention SASL, so they were captured at the level that shows it")
        .contains("sasl.jaas.config")
        .doesNotContain(CASSANDRA_PASSWORD)
        .doesNotContain(KAFKA_PASSWORD)
        .doesNotContain(WRONG_PASSWORD);
    Tally.record(
        "R13 passwords in "
            + LOGS.list.size()
            + " log lines of the test JVM, the engines' logs and "
            + EXCEPTIONS.size()
            + " exception texts: 0");
  }

  private static void capture(String logger, Level level) {
    Logger target = (Logger) LoggerFactory.getLogger(logger);
    LEVELS.put(logger, target.getLevel());
    target.setLevel(level);
    if (logger.equals("ROOT")) {
      LOGS.start();
      target.addAppender(LOGS);
    }
  }

  private static void keep(Throwable thrown) {
    assertThat(thrown).as("an exception").isNotNull();
    StringWriter text = new StringWriter();
    thrown.printStackTrace(new PrintWriter(text));
    EXCEPTIONS.add(text.toString());
  }

  private static Properties load() throws IOException {
    Properties config = new Properties();
    try (Reader in = Files.newBufferedReader(configFile)) {
      config.load(in);
    }
    return config;
  }

  /** The Kafka client settings of the configuration, with {@code password}. */
  private static Map<String, Object> kafkaSecurity(Properties config, String password) {
    Map<String, Object> security = new HashMap<>();
    security.put("security.protocol", config.getProperty("kafka.security.protocol"));
    security.put("sasl.mechanism", config.getProperty("kafka.sasl.mechanism"));
    security.put(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + config.getProperty("kafka.username")
            + "\" password=\""
            + password
            + "\";");
    return security;
  }

  private static CqlSession cassandra(String password) throws IOException {
    List<InetSocketAddress> points = cassandra.contactPoints();
    return CqlSession.builder()
        .addContactPoints(points)
        .withLocalDatacenter(cassandra.localDatacenter())
        .withAuthCredentials(load().getProperty("cassandra.username"), password)
        .build();
  }

  /** Creates the topic and its dead-letter topic, through the testkit's authenticated admin. */
  private static void createTopics(String topic) {
    kafka.createTopics(3, topic, topic + ".dlq");
  }

  private static long endOffsets(Map<String, Object> security, String topic)
      throws ExecutionException, InterruptedException {
    Map<String, Object> config = new HashMap<>(security);
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (Admin admin = Admin.create(config)) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < 3; p++) {
        latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      return admin.listOffsets(latest).all().get().values().stream()
          .mapToLong(info -> info.offset())
          .sum();
    }
  }

  private static List<EventIdentity> identities(List<Event> events) {
    return events.stream().map(Event::identity).toList();
  }

  private static List<io.cursus.api.AggregateId> ids(List<Event> events) {
    return events.stream().map(Event::aggregateId).distinct().toList();
  }
}
