package io.cursus.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.testkit.EngineException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerJarsTest {
  private static final String PROPERTY = "cursus.test.lib";
  private static final ServerJars LISTED =
      new ServerJars(
          "Test",
          PROPERTY,
          "META-INF/cursus/test-server.list",
          ServerJarsTest.class.getClassLoader());
  private static final ServerJars UNLISTED =
      new ServerJars(
          "Test", PROPERTY, "META-INF/cursus/absent.list", ServerJarsTest.class.getClassLoader());

  @TempDir Path dir;

  /** A resolver whose remote nobody listens on: only the local repository can answer. */
  private ArtifactResolver offline(Path localRepository) {
    return new ArtifactResolver(localRepository, URI.create("http://127.0.0.1:9/maven2/"));
  }

  private static Properties with(String key, String value) {
    Properties properties = new Properties();
    properties.setProperty(key, value);
    return properties;
  }

  @Test
  void listedArtifactsAreReadFromTheEngineJar() {
    assertThat(LISTED.artifacts())
        .containsExactly(
            new MavenArtifact("org.example.db", "db-native", "linux", "1.2.3"),
            new MavenArtifact("org.example.db", "db-server", "", "1.2.3"));
  }

  @Test
  void withoutTheFolderPropertyTheListedJarsComeFromTheLocalRepository() throws Exception {
    Path repository = dir.resolve("repository");
    for (MavenArtifact artifact : LISTED.artifacts()) {
      Path jar = repository.resolve(artifact.repositoryPath());
      Files.createDirectories(jar.getParent());
      Files.writeString(jar, "jar");
    }

    List<String> classpath = LISTED.classpath(new Properties(), () -> offline(repository));

    assertThat(classpath)
        .containsExactly(
            repository
                .resolve("org/example/db/db-native/1.2.3/db-native-1.2.3-linux.jar")
                .toString(),
            repository.resolve("org/example/db/db-server/1.2.3/db-server-1.2.3.jar").toString());
  }

  @Test
  void aJarThatCannotBeFoundNamesTheWaysAround() {
    assertThatThrownBy(
            () -> LISTED.classpath(new Properties(), () -> offline(dir.resolve("empty"))))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("Test server jar org.example.db:db-native:jar:linux:1.2.3")
        .hasMessageContaining("-D" + ArtifactResolver.REMOTE_PROPERTY + "=")
        .hasMessageContaining("-D" + PROPERTY + "=");
  }

  @Test
  void folderPropertyOverridesTheList() throws Exception {
    Files.createFile(dir.resolve("server.jar"));

    List<String> classpath =
        LISTED.classpath(
            with(PROPERTY, dir.toString()),
            () -> {
              throw new AssertionError("the list must not be resolved");
            });

    assertThat(classpath).containsExactly(dir.toAbsolutePath().resolve("*").toString());
  }

  @Test
  void folderWithoutJarsIsRejectedNamingTheProperty() {
    assertThatThrownBy(() -> LISTED.classpath(with(PROPERTY, dir.toString()), () -> null))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining(PROPERTY + "=" + dir.toAbsolutePath() + " holds no jars");
  }

  @Test
  void missingListSaysTheJarWasBuiltWithoutItsEngineModule() {
    assertThatThrownBy(UNLISTED::artifacts)
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("META-INF/cursus/absent.list")
        .hasMessageContaining("-D" + PROPERTY);
  }
}
