package io.cursus.testkit.internal;

import io.cursus.testkit.ServerNode;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every server the testkit runs in a child JVM does alike: start it and wait until it answers
 * on its address (failing early, with its last log lines, if it exits), stop it, kill it, tell its
 * pid and log. The child is reaped when this JVM exits ({@link ProcessReaper}) and exits by itself
 * if this JVM is killed ({@link Watchdog}). Subclasses say when the server is ready beyond
 * accepting connections.
 *
 * <p>Thread safe.
 */
public abstract class LocalServerNode implements ServerNode {
  private static final Logger LOG = LoggerFactory.getLogger(LocalServerNode.class);

  private final ChildJvm jvm;
  private final InetSocketAddress address;
  private final Duration startTimeout;

  /**
   * @param jvm the server's child JVM, not started
   * @param address where the server answers clients once ready
   * @param startTimeout how long {@link #start()} waits for {@link #isReady()}
   */
  protected LocalServerNode(ChildJvm jvm, InetSocketAddress address, Duration startTimeout) {
    this.jvm = jvm;
    this.address = address;
    this.startTimeout = startTimeout;
  }

  /**
   * JVM options every server gets: heap bounds, G1, and a temporary folder {@code tmp} of its own
   * under {@code dir} (native libraries unpack there, not in the shared one).
   */
  public static List<String> baseJvmOptions(Path dir, String initialHeap, String maxHeap) {
    Path tmp = dir.resolve("tmp");
    Locations.write(tmp.resolve(".keep"), "");
    List<String> options = new ArrayList<>();
    options.add("-Xms" + initialHeap);
    options.add("-Xmx" + maxHeap);
    options.add("-XX:+UseG1GC");
    options.add("-Djava.io.tmpdir=" + tmp);
    return options;
  }

  /** What the server answers, for messages: {@code "CQL"}, {@code "Kafka clients"}. */
  protected abstract String protocol();

  /**
   * True when the server serves clients. This base's check is that {@link #address()} accepts a TCP
   * connection; a subclass adds its own (a log line, a protocol round trip).
   */
  protected boolean isReady() {
    return ChildJvm.accepts(address);
  }

  /** The child JVM, for a subclass's readiness checks (its log). */
  protected final ChildJvm jvm() {
    return jvm;
  }

  /** Where the server answers clients. */
  protected final InetSocketAddress address() {
    return address;
  }

  /** {@code host:port} of {@link #address()}. */
  protected final String hostAndPort() {
    return address.getAddress().getHostAddress() + ":" + address.getPort();
  }

  @Override
  public final void start() {
    long began = System.nanoTime();
    jvm.start();
    jvm.awaitReady("answer " + protocol() + " on " + hostAndPort(), startTimeout, this::isReady);
    LOG.info(
        "{} answers {} on {} after {} ms (pid {})",
        jvm.name(),
        protocol(),
        hostAndPort(),
        (System.nanoTime() - began) / 1_000_000,
        jvm.pid());
  }

  @Override
  public final void stop() {
    jvm.stop();
  }

  @Override
  public final void kill() {
    jvm.kill();
  }

  @Override
  public final boolean isRunning() {
    return jvm.isRunning();
  }

  @Override
  public final long pid() {
    return jvm.pid();
  }

  @Override
  public final Path logFile() {
    return jvm.logFile();
  }

  @Override
  public String toString() {
    return jvm.name() + " " + protocol() + " " + hostAndPort();
  }
}
