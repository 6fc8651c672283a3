package io.cursus.testkit.internal.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.testkit.internal.ArtifactResolver;
import io.cursus.testkit.internal.MavenArtifact;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

class CassandraServerJarsTest {
  private final List<MavenArtifact> artifacts = LocalCassandraCluster.SERVER_JARS.artifacts();

  @Test
  void theEngineJarListsCassandraWithItsRuntimeDependencies() {
    assertThat(artifacts)
        .extracting(a -> a.groupId() + ":" + a.artifactId() + ":" + a.classifier())
        .contains("org.apache.cassandra:cassandra-all:", "ch.qos.logback:logback-classic:")
        .doesNotHaveDuplicates();
    assertThat(artifacts).hasSizeGreaterThan(50);
  }

  @Test
  void everyListedJarIsInTheLocalRepositoryOnceTheEngineModuleIsBuilt() {
    ArtifactResolver resolver = ArtifactResolver.fromEnvironment();

    assertThat(artifacts).allMatch(a -> Files.isRegularFile(resolver.localPath(a)));
  }
}
