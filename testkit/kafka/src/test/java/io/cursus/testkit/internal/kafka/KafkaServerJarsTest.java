package io.cursus.testkit.internal.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.testkit.internal.ArtifactResolver;
import io.cursus.testkit.internal.MavenArtifact;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

class KafkaServerJarsTest {
  private final List<MavenArtifact> artifacts = LocalKafkaBroker.SERVER_JARS.artifacts();

  @Test
  void theEngineJarListsKafkaWithItsRuntimeDependenciesAndALoggingBinding() {
    assertThat(artifacts)
        .extracting(a -> a.groupId() + ":" + a.artifactId() + ":" + a.classifier())
        .contains(
            "org.apache.kafka:kafka_2.13:",
            "org.apache.kafka:kafka-server:",
            "org.apache.logging.log4j:log4j-slf4j2-impl:")
        .doesNotHaveDuplicates();
  }

  @Test
  void everyListedJarIsInTheLocalRepositoryOnceTheEngineModuleIsBuilt() {
    ArtifactResolver resolver = ArtifactResolver.fromEnvironment();

    assertThat(artifacts).allMatch(a -> Files.isRegularFile(resolver.localPath(a)));
  }
}
