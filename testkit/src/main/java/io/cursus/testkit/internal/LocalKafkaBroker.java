package io.cursus.testkit.internal;

import io.cursus.testkit.EngineException;
import io.cursus.testkit.KafkaBroker;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A Kafka 4 broker and controller (KRaft, one node) in a child JVM on 127.0.0.1. */
public final class LocalKafkaBroker implements KafkaBroker {
  private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaBroker.class);
  private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);

  private final InetSocketAddress address;
  private final Duration startTimeout;
  private final ChildJvm jvm;

  private LocalKafkaBroker(InetSocketAddress address, Duration startTimeout, ChildJvm jvm) {
    this.address = address;
    this.startTimeout = startTimeout;
    this.jvm = jvm;
  }

  public static KafkaBroker start(String maxHeap, Duration startTimeout) {
    Path lib = Locations.serverLib(Locations.KAFKA_LIB, "Kafka", "testkit/engines/kafka-server");
    Path dir = Locations.newInstanceDir("kafka");
    InetAddress loopback = Ports.loopback(1);
    int brokerPort = Ports.free(List.of(loopback));
    int controllerPort = Ports.free(List.of(loopback));
    Path properties =
        Locations.write(
            dir.resolve("server.properties"), properties(brokerPort, controllerPort, dir));
    Path log4j = Locations.write(dir.resolve("log4j2.xml"), LOG4J);
    Path tmp = dir.resolve("tmp");
    Locations.write(tmp.resolve(".keep"), "");
    List<String> classpath = List.of(lib.resolve("*").toString());
    List<String> common =
        List.of(
            "-Djava.io.tmpdir=" + tmp,
            "-Djava.awt.headless=true",
            "-Dlog4j2.configurationFile=" + log4j.toUri(),
            "-Dkafka.logs.dir=" + dir.resolve("logs"));

    long began = System.nanoTime();
    ChildJvm format =
        new ChildJvm(
            "Kafka storage format",
            classpath,
            concat(List.of("-Xmx256m"), common),
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
            concat(List.of("-Xms128m", "-Xmx" + maxHeap, "-XX:+UseG1GC"), common),
            "kafka.Kafka",
            List.of(properties.toString()),
            dir.resolve("kafka.log"));
    LocalKafkaBroker result =
        new LocalKafkaBroker(new InetSocketAddress(loopback, brokerPort), startTimeout, broker);
    LOG.info("Formatted Kafka storage in {} ms", (System.nanoTime() - began) / 1_000_000);
    result.start();
    return result;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new java.util.ArrayList<>(a);
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
      String.join(
          "\n",
          "<Configuration status=\"WARN\">",
          "  <Appenders>",
          "    <Console name=\"STDOUT\" target=\"SYSTEM_OUT\">",
          "      <PatternLayout pattern=\"%d{HH:mm:ss.SSS} %-5p [%t] %c{1} - %m%n\"/>",
          "    </Console>",
          "  </Appenders>",
          "  <Loggers>",
          "    <Root level=\"INFO\"><AppenderRef ref=\"STDOUT\"/></Root>",
          "  </Loggers>",
          "</Configuration>",
          "");

  @Override
  public String bootstrapServers() {
    return address.getAddress().getHostAddress() + ":" + address.getPort();
  }

  @Override
  public void createTopics(int partitions, String... topics) {
    Topics.create(bootstrapServers(), partitions, Optional.of((short) 1), topics);
  }

  @Override
  public void start() {
    long began = System.nanoTime();
    jvm.start();
    jvm.awaitReady(
        "answer Kafka clients on " + bootstrapServers(),
        startTimeout,
        () -> ChildJvm.accepts(address) && Topics.answers(bootstrapServers()));
    LOG.info(
        "Kafka broker answers on {} after {} ms (pid {})",
        bootstrapServers(),
        (System.nanoTime() - began) / 1_000_000,
        jvm.pid());
  }

  @Override
  public void stop() {
    jvm.stop();
  }

  @Override
  public void kill() {
    jvm.kill();
  }

  @Override
  public boolean isRunning() {
    return jvm.isRunning();
  }

  @Override
  public long pid() {
    return jvm.pid();
  }

  @Override
  public Path logFile() {
    return jvm.logFile();
  }

  @Override
  public boolean isExternal() {
    return false;
  }

  @Override
  public void close() {
    jvm.stop();
  }

  @Override
  public String toString() {
    return "local Kafka " + bootstrapServers();
  }
}
