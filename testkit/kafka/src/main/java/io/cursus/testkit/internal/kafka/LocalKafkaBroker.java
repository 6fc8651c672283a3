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
import java.util.Optional;
import org.apache.kafka.common.Uuid;
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

  private LocalKafkaBroker(ChildJvm jvm, InetSocketAddress address, Duration startTimeout) {
    super(jvm, address, startTimeout);
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
    List<String> classpath = SERVER_JARS.classpath();
    Path dir = Locations.newInstanceDir("kafka");
    InetAddress loopback = Ports.loopback(1);
    int brokerPort = Ports.free(List.of(loopback));
    int controllerPort = Ports.free(List.of(loopback));
    Path properties =
        Locations.write(
            dir.resolve("server.properties"), properties(brokerPort, controllerPort, dir));
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
            List.of("format", "-t", Uuid.randomUuid().toString(), "-c", properties.toString()),
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
        new LocalKafkaBroker(broker, new InetSocketAddress(loopback, brokerPort), startTimeout);
    LOG.info("Formatted Kafka storage in {} ms", (System.nanoTime() - began) / 1_000_000);
    result.start();
    return result;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
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
  public void createTopics(int partitions, String... topics) {
    Topics.create(bootstrapServers(), partitions, Optional.of((short) 1), topics);
  }

  @Override
  protected String protocol() {
    return "Kafka clients";
  }

  @Override
  protected boolean isReady() {
    return super.isReady() && Topics.answers(bootstrapServers());
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
    return "local Kafka " + bootstrapServers();
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
