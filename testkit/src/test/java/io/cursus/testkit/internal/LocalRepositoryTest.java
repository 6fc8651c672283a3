package io.cursus.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalRepositoryTest {
  @TempDir Path home;

  private Properties properties() {
    Properties properties = new Properties();
    properties.setProperty("user.home", home.toString());
    return properties;
  }

  private void settings(String body) throws Exception {
    Files.createDirectories(home.resolve(".m2"));
    Files.writeString(
        home.resolve(".m2/settings.xml"),
        "<settings xmlns=\"http://maven.apache.org/SETTINGS/1.0.0\">\n"
            + "  <!-- <localRepository>/commented/out</localRepository> -->\n"
            + body
            + "\n</settings>\n");
  }

  @Test
  void defaultsToTheRepositoryFolderUnderTheUsersM2() {
    assertThat(LocalRepository.locate(properties(), Map.of()))
        .isEqualTo(home.resolve(".m2/repository").toAbsolutePath());
  }

  @Test
  void settingsLocalRepositoryIsUsedWithItsExpressionsReplaced() throws Exception {
    settings("  <localRepository>${env.CACHE}/m2/${user.home}</localRepository>");

    Path found = LocalRepository.locate(properties(), Map.of("CACHE", "/var/cache"));

    assertThat(found).isEqualTo(Path.of("/var/cache/m2/" + home).toAbsolutePath());
  }

  @Test
  void settingsWithoutLocalRepositoryMeanTheDefault() throws Exception {
    settings("  <offline>false</offline>");

    assertThat(LocalRepository.locate(properties(), Map.of()))
        .isEqualTo(home.resolve(".m2/repository").toAbsolutePath());
  }

  @Test
  void mavenRepoLocalPropertyWinsOverSettings() throws Exception {
    settings("  <localRepository>/from/settings</localRepository>");
    Properties properties = properties();
    properties.setProperty("maven.repo.local", "/from/property");

    assertThat(LocalRepository.locate(properties, Map.of())).isEqualTo(Path.of("/from/property"));
  }

  @Test
  void unreadableSettingsAreNamed() throws Exception {
    settings("  <localRepository>unclosed");

    assertThatThrownBy(() -> LocalRepository.locate(properties(), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(home.resolve(".m2/settings.xml").toString());
  }
}
