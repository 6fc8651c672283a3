package io.cursus.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import com.datastax.oss.driver.api.core.cql.Row;
import java.nio.file.Files;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A node started with {@code credentials(user, password)}: only that role can log in. *
 *
 * <p>Heavy: it starts a node of its own (about 45 s on 2 busy cores); R13 runs the same engines.
 */
@Tag("heavy")
class SecuredCassandraIT {
  private static final String PASSWORD = "cassandra-it-" + UUID.randomUUID();
  private static CassandraCluster cassandra;

  @BeforeAll
  static void start() {
    cassandra = CassandraCluster.builder().credentials("cursus", PASSWORD).start();
  }

  @AfterAll
  static void stop() {
    if (cassandra != null) {
      cassandra.close();
    }
  }

  @Test
  void theUserLogsInAndWrites() {
    try (CqlSession session = builder().withAuthCredentials("cursus", PASSWORD).build()) {
      session.execute(
          "CREATE KEYSPACE IF NOT EXISTS secured WITH replication ="
              + " {'class': 'SimpleStrategy', 'replication_factor': 1}");
      session.execute("CREATE TABLE IF NOT EXISTS secured.notes (id uuid PRIMARY KEY, text text)");
      UUID id = UUID.randomUUID();
      session.execute("INSERT INTO secured.notes (id, text) VALUES (?, ?)", id, "hello");

      Row row = session.execute("SELECT text FROM secured.notes WHERE id = ?", id).one();
      assertThat(row.getString("text")).isEqualTo("hello");
      assertThat(session.execute("SELECT role FROM system_auth.roles").all())
          .extracting(r -> r.getString("role"))
          .containsExactlyInAnyOrder("cursus", "cassandra");
    }
  }

  @Test
  void aWrongPasswordIsRefusedAsAnAuthenticationFailure() {
    assertThatThrownBy(() -> builder().withAuthCredentials("cursus", "wrong").build().close())
        .isInstanceOf(AllNodesFailedException.class)
        .satisfies(
            e ->
                assertThat(((AllNodesFailedException) e).getAllErrors().values())
                    .flatMap(errors -> errors)
                    .hasAtLeastOneElementOfType(AuthenticationException.class));
  }

  @Test
  void theDefaultSuperuserCanNoLongerLogIn() {
    assertThatThrownBy(
            () -> builder().withAuthCredentials("cassandra", "cassandra").build().close())
        .isInstanceOf(AllNodesFailedException.class)
        .hasMessageContaining("Authentication error");
  }

  @Test
  void aSessionWithoutCredentialsIsRefused() {
    assertThatThrownBy(() -> builder().build().close())
        .isInstanceOf(AllNodesFailedException.class)
        .hasMessageContaining("requires authentication");
  }

  @Test
  void thePasswordIsNotInTheNodesLog() throws Exception {
    assertThat(Files.readString(cassandra.node(0).logFile())).doesNotContain(PASSWORD);
  }

  private static CqlSessionBuilder builder() {
    return CqlSession.builder()
        .addContactPoints(cassandra.contactPoints())
        .withLocalDatacenter(cassandra.localDatacenter());
  }
}
