package io.cursus.testkit;

import io.cursus.testkit.internal.cassandra.LocalCassandraCluster;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A real Apache Cassandra: one or more nodes, each a child JVM bound to loopback, or a cluster the
 * user supplied with {@code CURSUS_CASSANDRA=host:port}. In the artifact {@code
 * cursus-testkit-cassandra}.
 *
 * <p>Connect a driver with {@link #contactPoint()} and {@link #localDatacenter()}. The shared
 * instance ({@link #shared()}, or a parameter of a {@link CursusEngines} test) is stopped when the
 * test run ends; one made with {@link #builder()} must be closed by the caller (closing stops its
 * processes; its files stay under the build folder). Thread safe.
 *
 * <p>The server runs from {@code org.apache.cassandra:cassandra-all} and its runtime dependencies,
 * at the versions this testkit was built with, taken from the local Maven repository or downloaded
 * from Maven Central into it on first use; the system property {@code cursus.engine.cassandra.lib}
 * names a folder of jars to use instead (see docs/testing.md).
 */
public interface CassandraCluster extends AutoCloseable {
  /** The first node's CQL address. */
  InetSocketAddress contactPoint();

  /** The CQL addresses of all nodes. */
  List<InetSocketAddress> contactPoints();

  /** The data center to give the driver ({@code datacenter1} for a local cluster). */
  String localDatacenter();

  /**
   * The nodes, in start order.
   *
   * @throws UnsupportedOperationException for an external cluster
   */
  List<CassandraNode> nodes();

  /** Shorthand for {@code nodes().get(index)}. */
  default CassandraNode node(int index) {
    return nodes().get(index);
  }

  /** True if the user supplied this cluster; then it has no fault handles and is never stopped. */
  boolean isExternal();

  /** Stops all nodes started by the testkit (SIGTERM, then SIGKILL after 60 s). */
  @Override
  void close();

  /**
   * The cluster shared by every test of this JVM: the user's ({@code CURSUS_CASSANDRA=host:port},
   * or the system property {@code cursus.cassandra}), else one local node started on first use and
   * stopped when the JUnit run ends ({@link CursusEngines}), when {@code Engines.stopAll()} is
   * called, or when the JVM exits. Do not stop its nodes: use {@link #builder()} for fault tests.
   *
   * @throws EngineException if it does not start, now or earlier in this JVM
   */
  static CassandraCluster shared() {
    return LocalCassandraCluster.shared();
  }

  /** Starts a dedicated cluster, for instance for destructive fault tests. */
  static Builder builder() {
    return new Builder();
  }

  /** Options of a dedicated local cluster. Not thread safe. */
  final class Builder {
    private int nodes = 1;
    private String maxHeap = "768m";
    private Duration startTimeout = Duration.ofMinutes(3);
    private boolean hintedHandoff = true;
    private @Nullable String user;
    private @Nullable String password;

    private static final Pattern USER = Pattern.compile("[a-z][a-z0-9_]{0,47}");
    private static final Pattern PASSWORD = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private Builder() {}

    /**
     * Turns authentication on: the nodes run with {@code PasswordAuthenticator}, {@code
     * CassandraAuthorizer} and {@code CassandraRoleManager}, and once they answer CQL the testkit
     * logs in as Cassandra's default superuser, creates {@code user} as a superuser that may log in
     * with {@code password}, and changes the default superuser's password to a random one that is
     * not kept, so that only {@code user} can log in. With several nodes, {@code system_auth} is
     * first replicated to every node. Connect with the driver's {@code withAuthCredentials(user,
     * password)}. User: a lower-case letter, then up to 47 of {@code a-z 0-9 _}; password: 1 to 64
     * of {@code A-Z a-z 0-9 . _ -}. Needs the Cassandra Java driver (4.x) on the class path, which
     * this artifact brings. By default a node has no authentication.
     */
    public Builder credentials(String user, String password) {
      if (user == null || !USER.matcher(user).matches()) {
        throw new IllegalArgumentException(
            "user must be a lower-case letter, then up to 47 of a-z 0-9 _, was " + user);
      }
      if (password == null || !PASSWORD.matcher(password).matches()) {
        // the password itself is never quoted in a message
        throw new IllegalArgumentException(
            "password of user " + user + " must be 1 to 64 of A-Z a-z 0-9 . _ -");
      }
      this.user = user;
      this.password = password;
      return this;
    }

    /**
     * Number of nodes, 1 to 3. Node {@code n} listens on 127.0.0.{@code n} only, all with the same
     * ports; nodes 2 and 3 join node 1 (the seed) one after the other, each with 16 tokens, so
     * every node owns part of the ring. Each node is a JVM of its own: three at {@code
     * maxHeap("512m")} took 2.1 GB of memory idle and up to 2.5 GB under load (docs/testing.md).
     * Default 1.
     */
    public Builder nodes(int count) {
      if (count < 1 || count > 3) {
        throw new IllegalArgumentException("nodes must be 1, 2 or 3, was " + count);
      }
      this.nodes = count;
      return this;
    }

    /**
     * The JVM's {@code -Xmx} for each node, for example {@code "1g"}; the heap starts at {@code
     * 256m}, so give at least that. Default {@code 768m}.
     */
    public Builder maxHeap(String size) {
      if (!size.matches("\\d+[kmgKMG]?")) {
        throw new IllegalArgumentException("maxHeap must look like 768m or 1g, was " + size);
      }
      this.maxHeap = size;
      return this;
    }

    /** How long each node may take until it answers CQL. Default 180 s. */
    public Builder startTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("startTimeout must be positive, was " + timeout);
      }
      this.startTimeout = timeout;
      return this;
    }

    /**
     * Whether a node keeps hints for a replica that is down, and hands them over when it returns.
     * Default true, as in Cassandra; false lets a test keep a returned node behind until a read
     * repairs it.
     */
    public Builder hintedHandoff(boolean enabled) {
      this.hintedHandoff = enabled;
      return this;
    }

    /**
     * Starts the nodes one after the other and returns when all answer CQL.
     *
     * @throws EngineException if a node does not come up; nodes already started are stopped
     */
    public CassandraCluster start() {
      return LocalCassandraCluster.start(
          nodes, maxHeap, startTimeout, hintedHandoff, user, password);
    }
  }
}
