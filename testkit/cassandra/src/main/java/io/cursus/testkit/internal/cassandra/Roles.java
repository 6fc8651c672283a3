package io.cursus.testkit.internal.cassandra;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.cursus.testkit.CassandraNode;
import io.cursus.testkit.EngineException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Sets up the roles of a cluster running {@code PasswordAuthenticator}: the caller's user becomes
 * the only role that can log in. Messages name users, never passwords.
 */
final class Roles {
  private static final String DEFAULT_SUPERUSER = "cassandra";

  private Roles() {}

  /**
   * Logs in as the default superuser (waiting, up to {@code timeout}, until Cassandra has created
   * it), replicates {@code system_auth} to every node, creates {@code user} as a superuser with
   * {@code password}, and gives the default superuser a random password that is not kept.
   */
  static void createOnlyLogin(
      List<CassandraNode> nodes,
      String datacenter,
      String user,
      String password,
      Duration timeout) {
    List<InetSocketAddress> contactPoints = new ArrayList<>();
    for (CassandraNode node : nodes) {
      contactPoints.add(node.cqlAddress());
    }
    try (CqlSession session = loginAsDefaultSuperuser(contactPoints, datacenter, timeout)) {
      session.execute(
          SimpleStatement.newInstance(
              "ALTER KEYSPACE system_auth WITH replication ="
                  + " {'class': 'SimpleStrategy', 'replication_factor': "
                  + nodes.size()
                  + "}"));
      // CQL takes a role's password only as a literal (no bind marker); the builder allowed no
      // quote in it
      session.execute(
          SimpleStatement.newInstance(
                  "CREATE ROLE IF NOT EXISTS "
                      + user
                      + " WITH PASSWORD = '"
                      + password
                      + "' AND SUPERUSER = true AND LOGIN = true")
              .setConsistencyLevel(ConsistencyLevel.ALL));
      session.execute(
          SimpleStatement.newInstance(
                  "ALTER ROLE "
                      + DEFAULT_SUPERUSER
                      + " WITH PASSWORD = '"
                      + UUID.randomUUID()
                      + "'")
              .setConsistencyLevel(ConsistencyLevel.ALL));
    } catch (DriverException e) {
      throw new EngineException(
          "Could not create the Cassandra role " + user + " at " + contactPoints, e);
    }
  }

  private static CqlSession loginAsDefaultSuperuser(
      List<InetSocketAddress> contactPoints, String datacenter, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        return CqlSession.builder()
            .addContactPoints(contactPoints)
            .withLocalDatacenter(datacenter)
            .withAuthCredentials(DEFAULT_SUPERUSER, DEFAULT_SUPERUSER)
            .build();
      } catch (AllNodesFailedException e) {
        // Cassandra creates its default superuser a moment after it answers CQL
        if (System.nanoTime() > deadline) {
          throw new EngineException(
              "Cassandra at "
                  + contactPoints
                  + " did not let its default superuser log in within "
                  + timeout,
              e);
        }
        try {
          Thread.sleep(500);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new EngineException(
              "Interrupted while waiting for Cassandra's default superuser", interrupted);
        }
      }
    }
  }
}
