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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.Uuid;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A Kafka 4 broker and controller (KRaft, one node) in a child JVM on 127.0.0.1. */
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

  /** Empty, or the SASL settings clients need (they hold the password: never print them). */
  private final Map<String, Object> clientProperties;

  private LocalKafkaBroker(
      ChildJvm jvm,
      InetSocketAddress address,
      Duration startTimeout,
      Map<String, Object> clientProperties) {
    super(jvm, address, startTimeout);
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
    Map<String, Object> clientProperties =
        secured ? saslClientProperties(scramUser, scramPassword) : Map.of();
    List<String> classpath = SERVER_JARS.classpath();
    Path dir = Locations.newInstanceDir("kafka");
    InetAddress loopback = Ports.loopback(1);
    int brokerPort = Ports.free(List.of(loopback));
    int controllerPort = Ports.free(List.of(loopback));
    Path properties =
        Locations.write(
            dir.resolve("server.properties"),
            secured
                ? securedProperties(brokerPort, controllerPort, dir, scramUser, scramPassword)
                : properties(brokerPort, controllerPort, dir));
    Path log4j = Locations.write(dir.resolve("log4j2.xml"), LOG4J);
    List<String> common =
        List.of(
            "-Djava.awt.headless=true",
            "-Dlog4j2.configurationFile=" + log4j.toUri(),
            "-Dkafka.logs.dir=" + dir.resolve("logs"));

    long began = System.nanoTime();
    List<String> formatArgs =
        new ArrayList<>(
            List.of("format", "-t", Uuid.randomUuid().toString(), "-c", properties.toString()));
    if (secured) {
      // the broker's only user, created with the metadata; the arguments are not logged
      formatArgs.add("--add-scram");
      formatArgs.add(SCRAM + "=[name=" + scramUser + ",password=" + scramPassword + "]");
    }
    ChildJvm format =
        new ChildJvm(
            "Kafka storage format",
            classpath,
            concat(LocalServerNode.baseJvmOptions(dir, "64m", "256m"), common),
            "kafka.tools.StorageTool",
            formatArgs,
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
            "Kafka broker (127.0.0.1:" + brokerPort + ")",
            classpath,
            concat(LocalServerNode.baseJvmOptions(dir, "128m", maxHeap), common),
            "kafka.Kafka",
            List.of(properties.toString()),
            dir.resolve("kafka.log"));
    LocalKafkaBroker result =
        new LocalKafkaBroker(
            broker, new InetSocketAddress(loopback, brokerPort), startTimeout, clientProperties);
    LOG.info("Formatted Kafka storage in {} ms", (System.nanoTime() - began) / 1_000_000);
    result.start();
    return result;
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

  private static String properties(int brokerPort, int controllerPort, Path dir) {
    return String.join(
        "\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
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
        "offsets.topic.replication.factor=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        "");
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
    Topics.create(bootstrapServers(), clientProperties, partitions, Optional.of((short) 1), topics);
  }

  @Override
  protected String protocol() {
    return "Kafka clients";
  }

  @Override
  protected boolean isReady() {
    return super.isReady() && Topics.answers(bootstrapServers(), clientProperties);
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
