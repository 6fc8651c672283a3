package io.cursus.testkit.internal.kafka;

import io.cursus.testkit.EngineException;
import io.cursus.testkit.KafkaBroker;
import io.cursus.testkit.internal.ChildJvm;
import io.cursus.testkit.internal.EngineRegistry;
import io.cursus.testkit.internal.LocalServerNode;
import io.cursus.testkit.internal.Locations;
import io.cursus.testkit.internal.Overrides;
import io.cursus.testkit.internal.Ports;
import io.cursus.testkit.internal.ServerJars;
import io.cursus.testkit.internal.SharedEngineProvider;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka 4 broker and controller (KRaft, combined in one process) in a child JVM on 127.0.0.1:
 * alone, or one node of a {@link LocalKafkaCluster}.
 */
public final class LocalKafkaBroker extends LocalServerNode implements KafkaBroker {
  private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaBroker.class);
  private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);

  /** System property naming a folder of Kafka's jars, used instead of the listed artifacts. */
  public static final String LIB_PROPERTY = "cursus.engine.kafka.lib";

  /** Kafka's server jars: {@code kafka_2.13}'s runtime closure, listed at build time. */
  public static final ServerJars SERVER_JARS =
      new ServerJars(
          "Kafka",
          LIB_PROPERTY,
          "META-INF/cursus/kafka-server.list",
          LocalKafkaBroker.class.getClassLoader());

  private static final String SCRAM = "SCRAM-SHA-512";

  private final int nodeId;
  private final @Nullable LocalKafkaCluster cluster;

  /** Empty, or the SASL settings clients need (they hold the password: never print them). */
  private final Map<String, Object> clientProperties;

  private LocalKafkaBroker(
      ChildJvm jvm,
      InetSocketAddress address,
      Duration startTimeout,
      int nodeId,
      @Nullable LocalKafkaCluster cluster,
      Map<String, Object> clientProperties) {
    super(jvm, address, startTimeout);
    this.nodeId = nodeId;
    this.cluster = cluster;
    this.clientProperties = Map.copyOf(clientProperties);
  }

  /** The shared broker of this JVM: the user's, or a local one started on first use. */
  public static KafkaBroker shared() {
    return EngineRegistry.shared(
        KafkaBroker.class,
        "Kafka",
        () -> {
          Optional<String> external = Overrides.fromEnvironment().kafka();
          return external.isPresent()
              ? new ExternalKafka(external.get())
              : KafkaBroker.builder().start();
        });
  }

  public static KafkaBroker start(String maxHeap, Duration startTimeout) {
    return start(maxHeap, startTimeout, null, null);
  }

  /**
   * A broker whose client listener takes only SASL/SCRAM-SHA-512 as {@code user} (checked by the
   * builder), when both are given; else one without authentication.
   */
  public static KafkaBroker start(
      String maxHeap,
      Duration startTimeout,
      @Nullable String scramUser,
      @Nullable String scramPassword) {
    boolean secured = scramUser != null && scramPassword != null;
    Path dir = Locations.newInstanceDir("kafka");
    InetAddress loopback = Ports.loopback(1);
    List<Integer> ports = freePorts(2);
    int brokerPort = ports.get(0);
    int controllerPort = ports.get(1);
    String properties =
        secured
            ? securedProperties(brokerPort, controllerPort, dir, scramUser, scramPassword)
            : properties(
                1,
                brokerPort,
                controllerPort,
                "1@127.0.0.1:" + controllerPort,
                dir,
                SINGLE_BROKER_SETTINGS);
    LocalKafkaBroker result =
        create(
            "Kafka broker (127.0.0.1:" + brokerPort + ")",
            1,
            dir,
            properties,
            Uuid.randomUuid().toString(),
            maxHeap,
            new InetSocketAddress(loopback, brokerPort),
            startTimeout,
            null,
            secured ? saslClientProperties(scramUser, scramPassword) : Map.of(),
            // the broker's only user, created with the metadata; the arguments are not logged
            secured
                ? List.of(
                    "--add-scram",
                    SCRAM + "=[name=" + scramUser + ",password=" + scramPassword + "]")
                : List.of());
    result.start();
    return result;
  }

  /**
   * Writes the configuration of one broker into {@code dir}, formats its storage for cluster {@code
   * clusterId}, and returns it, not started.
   *
   * @param cluster the cluster the broker belongs to (its topics are created there), or null for a
   *     single broker
   */
  static LocalKafkaBroker create(
      String name,
      int nodeId,
      Path dir,
      String serverProperties,
      String clusterId,
      String maxHeap,
      InetSocketAddress address,
      Duration startTimeout,
      @Nullable LocalKafkaCluster cluster) {
    return create(
        name,
        nodeId,
        dir,
        serverProperties,
        clusterId,
        maxHeap,
        address,
        startTimeout,
        cluster,
        Map.of(),
        List.of());
  }

  private static LocalKafkaBroker create(
      String name,
      int nodeId,
      Path dir,
      String serverProperties,
      String clusterId,
      String maxHeap,
      InetSocketAddress address,
      Duration startTimeout,
      @Nullable LocalKafkaCluster cluster,
      Map<String, Object> clientProperties,
      List<String> formatExtras) {
    List<String> classpath = SERVER_JARS.classpath();
    Path properties = Locations.write(dir.resolve("server.properties"), serverProperties);
    Path log4j = Locations.write(dir.resolve("log4j2.xml"), LOG4J);
    List<String> common =
        List.of(
            "-Djava.awt.headless=true",
            "-Dlog4j2.configurationFile=" + log4j.toUri(),
            "-Dkafka.logs.dir=" + dir.resolve("logs"));

    long began = System.nanoTime();
    ChildJvm format =
        new ChildJvm(
            "Kafka storage format",
            classpath,
            concat(LocalServerNode.baseJvmOptions(dir, "64m", "256m"), common),
            "kafka.tools.StorageTool",
            formatArgs(clusterId, properties, formatExtras),
            dir.resolve("format.log"));
    format.start();
    int code = format.awaitExit(FORMAT_TIMEOUT);
    if (code != 0) {
      throw new EngineException(
          "Formatting Kafka storage in "
              + dir
              + " failed with exit code "
              + code
              + ":\n"
              + format.tail());
    }
    ChildJvm broker =
        new ChildJvm(
            name,
            classpath,
            concat(LocalServerNode.baseJvmOptions(dir, "128m", maxHeap), common),
            "kafka.Kafka",
            List.of(properties.toString()),
            dir.resolve("kafka.log"));
    LOG.info("Formatted Kafka storage in {} ms", (System.nanoTime() - began) / 1_000_000);
    return new LocalKafkaBroker(broker, address, startTimeout, nodeId, cluster, clientProperties);
  }

  private static List<String> formatArgs(String clusterId, Path properties, List<String> extras) {
    List<String> args =
        new ArrayList<>(List.of("format", "-t", clusterId, "-c", properties.toString()));
    args.addAll(extras);
    return args;
  }

  /** {@code count} distinct ports free on 127.0.0.1. */
  static List<Integer> freePorts(int count) {
    List<InetAddress> loopback = List.of(Ports.loopback(1));
    Set<Integer> ports = new LinkedHashSet<>();
    while (ports.size() < count) {
      ports.add(Ports.free(loopback));
    }
    return List.copyOf(ports);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static Map<String, Object> saslClientProperties(String user, String password) {
    return Map.of(
        "security.protocol",
        "SASL_PLAINTEXT",
        "sasl.mechanism",
        SCRAM,
        "sasl.jaas.config",
        jaas(user, password));
  }

  private static String jaas(String user, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\";";
  }

  /**
   * As {@link #properties}, but the client (and inter-broker) listener is SASL_PLAINTEXT with
   * SCRAM-SHA-512 only; the controller listener, which only this node's broker uses, stays
   * PLAINTEXT on loopback.
   */
  private static String securedProperties(
      int brokerPort, int controllerPort, Path dir, String user, String password) {
    return String.join(
        "\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
        "listeners=SASL_PLAINTEXT://127.0.0.1:"
            + brokerPort
            + ",CONTROLLER://127.0.0.1:"
            + controllerPort,
        "advertised.listeners=SASL_PLAINTEXT://127.0.0.1:" + brokerPort,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=SASL_PLAINTEXT",
        "listener.security.protocol.map=CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT",
        "sasl.enabled.mechanisms=" + SCRAM,
        "sasl.mechanism.inter.broker.protocol=" + SCRAM,
        "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=" + jaas(user, password),
        "log.dirs=" + dir.resolve("data"),
        "num.partitions=1",
        "offsets.topic.replication.factor=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        "");
  }

  /** The settings of a broker that is alone: Kafka's internal topics have one replica. */
  private static final List<String> SINGLE_BROKER_SETTINGS =
      List.of(
          "offsets.topic.replication.factor=1",
          "transaction.state.log.replication.factor=1",
          "transaction.state.log.min.isr=1",
          "share.coordinator.state.topic.replication.factor=1",
          "share.coordinator.state.topic.min.isr=1");

  /**
   * The {@code server.properties} of node {@code nodeId}: broker and controller in one process,
   * both listeners on 127.0.0.1, with {@code voters} as the controller quorum, plus {@code
   * settings}.
   */
  static String properties(
      int nodeId,
      int brokerPort,
      int controllerPort,
      String voters,
      Path dir,
      List<String> settings) {
    List<String> lines =
        new ArrayList<>(
            List.of(
                "process.roles=broker,controller",
                "node.id=" + nodeId,
                "controller.quorum.voters=" + voters,
                "listeners=PLAINTEXT://127.0.0.1:"
                    + brokerPort
                    + ",CONTROLLER://127.0.0.1:"
                    + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + brokerPort,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=1",
                "group.initial.rebalance.delay.ms=0"));
    lines.addAll(settings);
    lines.add("");
    return String.join("\n", lines);
  }

  private static final String LOG4J =
      """
      <Configuration status="WARN">
        <Appenders>
          <Console name="STDOUT" target="SYSTEM_OUT">
            <PatternLayout pattern="%d{HH:mm:ss.SSS} %-5p [%t] %c{1} - %m%n"/>
          </Console>
        </Appenders>
        <Loggers>
          <Root level="INFO"><AppenderRef ref="STDOUT"/></Root>
        </Loggers>
      </Configuration>
      """;

  @Override
  public String bootstrapServers() {
    return hostAndPort();
  }

  @Override
  public Map<String, Object> clientProperties() {
    return clientProperties;
  }

  @Override
  public void createTopics(int partitions, String... topics) {
    if (cluster != null) {
      cluster.createTopics(partitions, topics);
    } else {
      Topics.create(
          bootstrapServers(), clientProperties, partitions, Optional.of((short) 1), topics);
    }
  }

  /** The broker's {@code node.id}. */
  int nodeId() {
    return nodeId;
  }

  /** Launches the process without waiting: the first brokers of a cluster wait for each other. */
  void launch() {
    jvm().start();
  }

  /** Waits until the launched broker answers clients, as {@link #start()} does. */
  void awaitReady(Duration timeout) {
    jvm().awaitReady("answer " + protocol() + " on " + hostAndPort(), timeout, this::isReady);
  }

  @Override
  protected String protocol() {
    return "Kafka clients";
  }

  @Override
  protected boolean isReady() {
    // a broker of a cluster is ready when it is registered and unfenced: it lists itself
    return super.isReady()
        && Topics.brokerIds(bootstrapServers(), clientProperties).contains(nodeId);
  }

  @Override
  public boolean isExternal() {
    return false;
  }

  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return "local Kafka "
        + bootstrapServers()
        + (clientProperties.isEmpty() ? "" : " (SASL/" + SCRAM + ")");
  }

  /** Registered in {@code META-INF/services} for {@link io.cursus.testkit.CursusEngines}. */
  public static final class Provider implements SharedEngineProvider {
    @Override
    public Class<?> type() {
      return KafkaBroker.class;
    }

    @Override
    public Object shared() {
      return LocalKafkaBroker.shared();
    }
  }
}
