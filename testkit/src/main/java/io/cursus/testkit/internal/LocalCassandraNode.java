package io.cursus.testkit.internal;

import io.cursus.testkit.CassandraNode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One Cassandra 5 node in a child JVM, with its own folder of configuration, data and log. */
final class LocalCassandraNode implements CassandraNode {
  private static final Logger LOG = LoggerFactory.getLogger(LocalCassandraNode.class);
  private static final String CQL_READY = "Starting listening for CQL clients";

  /** From Cassandra's conf/jvm17-server.options; without them Cassandra 5 fails on JDK 17. */
  private static final List<String> ADD_EXPORTS =
      List.of(
          "java.base/jdk.internal.misc",
          "java.management.rmi/com.sun.jmx.remote.internal.rmi",
          "java.rmi/sun.rmi.registry",
          "java.rmi/sun.rmi.server",
          "java.sql/java.sql",
          "java.base/java.lang.ref",
          "jdk.unsupported/sun.misc",
          "jdk.compiler/com.sun.tools.javac.file",
          "jdk.attach/sun.tools.attach");

  private static final List<String> ADD_OPENS =
      List.of(
          "java.base/java.lang.module",
          "java.base/jdk.internal.loader",
          "java.base/jdk.internal.ref",
          "java.base/jdk.internal.reflect",
          "java.base/jdk.internal.math",
          "java.base/jdk.internal.module",
          "java.base/jdk.internal.util.jar",
          "jdk.management/com.sun.management.internal",
          "java.base/sun.nio.ch",
          "java.base/java.io",
          "java.base/java.lang.reflect",
          "jdk.compiler/com.sun.tools.javac",
          "java.base/java.lang",
          "java.base/java.util");

  private final int number;
  private final InetSocketAddress cqlAddress;
  private final Duration startTimeout;
  private final ChildJvm jvm;

  LocalCassandraNode(
      int number,
      String clusterName,
      InetAddress address,
      int storagePort,
      int nativePort,
      InetSocketAddress seed,
      Path dir,
      Path lib,
      String maxHeap,
      Duration startTimeout) {
    this.number = number;
    this.cqlAddress = new InetSocketAddress(address, nativePort);
    this.startTimeout = startTimeout;
    Path yaml =
        Locations.write(
            dir.resolve("conf/cassandra.yaml"),
            yaml(clusterName, address, storagePort, nativePort, seed, dir));
    Path logback = Locations.write(dir.resolve("conf/logback.xml"), LOGBACK);
    Path tmp = dir.resolve("tmp");
    Locations.write(tmp.resolve(".keep"), "");
    List<String> options = new ArrayList<>();
    options.add("-Xms256m");
    options.add("-Xmx" + maxHeap);
    options.add("-Xss256k");
    options.add("-XX:+UseG1GC");
    options.add("-XX:+HeapDumpOnOutOfMemoryError");
    options.add("-XX:HeapDumpPath=" + dir);
    options.add("-Djava.io.tmpdir=" + tmp);
    options.add("-Djava.net.preferIPv4Stack=true");
    options.add("-Djdk.attach.allowAttachSelf=true");
    options.add("-Dio.netty.tryReflectionSetAccessible=true");
    options.add("-Dcassandra-foreground=true");
    options.add("-Dcassandra.config=" + yaml.toUri());
    options.add("-Dcassandra.storagedir=" + dir.resolve("data"));
    options.add("-Dcassandra.logdir=" + dir.resolve("logs"));
    options.add("-Dlogback.configurationFile=" + logback.toUri());
    options.add("-Dcassandra.skip_wait_for_gossip_to_settle=0");
    options.add("-Dcassandra.ring_delay_ms=5000");
    for (String export : ADD_EXPORTS) {
      options.add("--add-exports=" + export + "=ALL-UNNAMED");
    }
    for (String open : ADD_OPENS) {
      options.add("--add-opens=" + open + "=ALL-UNNAMED");
    }
    this.jvm =
        new ChildJvm(
            "Cassandra node " + number + " (" + address.getHostAddress() + ")",
            List.of(lib.resolve("*").toString()),
            options,
            "org.apache.cassandra.service.CassandraDaemon",
            List.of(),
            dir.resolve("cassandra.log"));
  }

  private static String yaml(
      String clusterName,
      InetAddress address,
      int storagePort,
      int nativePort,
      InetSocketAddress seed,
      Path dir) {
    String host = address.getHostAddress();
    return String.join(
        "\n",
        "cluster_name: '" + clusterName + "'",
        "num_tokens: 16",
        "partitioner: org.apache.cassandra.dht.Murmur3Partitioner",
        "endpoint_snitch: SimpleSnitch",
        "seed_provider:",
        "  - class_name: org.apache.cassandra.locator.SimpleSeedProvider",
        "    parameters:",
        "      - seeds: \"" + seed.getAddress().getHostAddress() + ":" + seed.getPort() + "\"",
        "listen_address: " + host,
        "rpc_address: " + host,
        "storage_port: " + storagePort,
        "native_transport_port: " + nativePort,
        "start_native_transport: true",
        "commitlog_sync: periodic",
        "commitlog_sync_period: 10000ms",
        "auto_snapshot: false",
        "data_file_directories:",
        "  - " + dir.resolve("data/data"),
        "commitlog_directory: " + dir.resolve("data/commitlog"),
        "hints_directory: " + dir.resolve("data/hints"),
        "saved_caches_directory: " + dir.resolve("data/saved_caches"),
        "cdc_raw_directory: " + dir.resolve("data/cdc_raw"),
        "");
  }

  private static final String LOGBACK =
      String.join(
          "\n",
          "<configuration>",
          "  <appender name=\"STDOUT\" class=\"ch.qos.logback.core.ConsoleAppender\">",
          "    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{25} - %msg%n</pattern>"
              + "</encoder>",
          "  </appender>",
          "  <root level=\"INFO\"><appender-ref ref=\"STDOUT\"/></root>",
          "</configuration>",
          "");

  @Override
  public InetSocketAddress cqlAddress() {
    return cqlAddress;
  }

  @Override
  public void start() {
    long began = System.nanoTime();
    jvm.start();
    jvm.awaitReady(
        "answer CQL on " + cqlAddress.getAddress().getHostAddress() + ":" + cqlAddress.getPort(),
        startTimeout,
        () -> jvm.logContains(CQL_READY) && ChildJvm.accepts(cqlAddress));
    LOG.info(
        "Cassandra node {} answers CQL on {} after {} ms (pid {})",
        number,
        cqlAddress,
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
  public String toString() {
    return jvm.name() + " CQL " + cqlAddress;
  }
}
