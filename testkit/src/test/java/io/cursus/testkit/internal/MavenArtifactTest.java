package io.cursus.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MavenArtifactTest {
  @Test
  void readsTheOutputOfTheDependencyListGoal() {
    String list =
        """

        The following files have been resolved:
           at.yawk.lz4:lz4-java:jar:1.10.1:compile -- module org.lz4.java [auto]
           com.github.jnr:jffi:jar:native:1.3.11:compile -- module org.jnrproject.jffi [auto]
           org.apache.cassandra:cassandra-all:jar:5.0.9:compile

        """;

    List<MavenArtifact> artifacts = MavenArtifact.parseDependencyList(list);

    assertThat(artifacts)
        .containsExactly(
            new MavenArtifact("at.yawk.lz4", "lz4-java", "", "1.10.1"),
            new MavenArtifact("com.github.jnr", "jffi", "native", "1.3.11"),
            new MavenArtifact("org.apache.cassandra", "cassandra-all", "", "5.0.9"));
  }

  @Test
  void anEmptyListHasNoArtifacts() {
    assertThat(
            MavenArtifact.parseDependencyList("The following files have been resolved:\n   none\n"))
        .isEmpty();
  }

  @Test
  void aLineInAnotherShapeIsRefusedByName() {
    assertThatThrownBy(() -> MavenArtifact.parseDependencyList("   org.example:thing:5.0\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'org.example:thing:5.0'");
    assertThatThrownBy(
            () -> MavenArtifact.parseDependencyList("   org.example:thing:zip:5.0:compile\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("org.example:thing:zip:5.0:compile");
  }

  @Test
  void pathFollowsTheMavenRepositoryLayout() {
    assertThat(
            new MavenArtifact("org.apache.cassandra", "cassandra-all", "", "5.0.9")
                .repositoryPath())
        .isEqualTo("org/apache/cassandra/cassandra-all/5.0.9/cassandra-all-5.0.9.jar");
    assertThat(new MavenArtifact("com.github.jnr", "jffi", "native", "1.3.11").repositoryPath())
        .isEqualTo("com/github/jnr/jffi/1.3.11/jffi-1.3.11-native.jar");
  }

  @Test
  void coordinatesReadAsMavenWritesThem() {
    assertThat(new MavenArtifact("org.apache.kafka", "kafka_2.13", "", "4.4.0"))
        .hasToString("org.apache.kafka:kafka_2.13:4.4.0");
    assertThat(new MavenArtifact("com.github.jnr", "jffi", "native", "1.3.11"))
        .hasToString("com.github.jnr:jffi:jar:native:1.3.11");
  }

  @Test
  void partsThatWouldEscapeTheRepositoryAreRefused() {
    assertThatThrownBy(() -> new MavenArtifact("org.example", "../../etc", "", "1.0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("artifactId")
        .hasMessageContaining("../../etc");
  }
}
