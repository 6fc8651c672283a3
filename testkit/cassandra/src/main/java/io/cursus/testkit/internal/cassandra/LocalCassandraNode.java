package io.cursus.testkit.internal.cassandra;

import io.cursus.testkit.CassandraNode;
import io.cursus.testkit.internal.ChildJvm;
import io.cursus.testkit.internal.LocalServerNode;
import io.cursus.testkit.internal.Locations;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** One Cassandra 5 node in a child JVM, with its own folder of configuration, data and log. */
final class LocalCassandraNode extends LocalServerNode implements CassandraNode {
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

  private LocalCassandraNode(ChildJvm jvm, InetSocketAddress cqlAddress, Duration startTimeout) {
    super(jvm, cqlAddress, startTimeout);
  }

  /** A node, not started, with its configuration written under {@code dir}. */
  static LocalCassandraNode create(
      int number,
      String clusterName,
      InetAddress address,
      int storagePort,
      int nativePort,
      InetSocketAddress seed,
      Path dir,
      List<String> classpath,
      String maxHeap,
      Duration startTimeout,
      boolean hintedHandoff,
      boolean authentication) {
    Path yaml =
        Locations.write(
            dir.resolve("conf/cassandra.yaml"),
            yaml(
                clusterName,
                address,
                storagePort,
                nativePort,
                seed,
                dir,
                hintedHandoff,
                authentication));
    Path logback = Locations.write(dir.resolve("conf/logback.xml"), LOGBACK);
    List<String> options = LocalServerNode.baseJvmOptions(dir, "256m", maxHeap);
    options.add("-Xss256k");
    options.add("-XX:+HeapDumpOnOutOfMemoryError");
    options.add("-XX:HeapDumpPath=" + dir);
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
    if (authentication) {
      // the default superuser is created at once rather than 10 s after start
      options.add("-Dcassandra.superuser_setup_delay_ms=0");
    }
    for (String export : ADD_EXPORTS) {
      options.add("--add-exports=" + export + "=ALL-UNNAMED");
    }
    for (String open : ADD_OPENS) {
      options.add("--add-opens=" + open + "=ALL-UNNAMED");
    }
    ChildJvm jvm =
        new ChildJvm(
            "Cassandra node " + number + " (" + address.getHostAddress() + ")",
            classpath,
            options,
            "org.apache.cassandra.service.CassandraDaemon",
            List.of(),
            dir.resolve("cassandra.log"));
    return new LocalCassandraNode(jvm, new InetSocketAddress(address, nativePort), startTimeout);
  }

  private static String yaml(
      String clusterName,
      InetAddress address,
      int storagePort,
      int nativePort,
      InetSocketAddress seed,
      Path dir,
      boolean hintedHandoff,
      boolean authentication) {
    String host = address.getHostAddress();
    String security =
        authentication
            ? """
              authenticator: PasswordAuthenticator
              authorizer: CassandraAuthorizer
              role_manager: CassandraRoleManager"""
            : "authenticator: AllowAllAuthenticator";
    return String.join(
        "\n",
        security,
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
        "hinted_handoff_enabled: " + hintedHandoff,
        "data_file_directories:",
        "  - " + dir.resolve("data/data"),
        "commitlog_directory: " + dir.resolve("data/commitlog"),
        "hints_directory: " + dir.resolve("data/hints"),
        "saved_caches_directory: " + dir.resolve("data/saved_caches"),
        "cdc_raw_directory: " + dir.resolve("data/cdc_raw"),
        "");
  }

  private static final String LOGBACK =
      """
      <configuration>
        <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
          <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{25} - %msg%n</pattern></encoder>
        </appender>
        <root level="INFO"><appender-ref ref="STDOUT"/></root>
      </configuration>
      """;

  @Override
  public InetSocketAddress cqlAddress() {
    return address();
  }

  @Override
  protected String protocol() {
    return "CQL";
  }

  @Override
  protected boolean isReady() {
    return jvm().logContains(CQL_READY) && super.isReady();
  }
}
