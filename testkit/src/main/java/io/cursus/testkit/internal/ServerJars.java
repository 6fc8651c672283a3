package io.cursus.testkit.internal;

import io.cursus.testkit.EngineException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The classpath a server runs from: the folder of jars named by a system property if the user set
 * one, else the artifacts the engine's testkit jar lists (its server's dependency closure, recorded
 * when the testkit was built), found in the local Maven repository or downloaded into it.
 *
 * @param engine the engine's name for messages ("Cassandra")
 * @param folderProperty system property naming a folder of jars that overrides the list
 * @param listResource class-path resource holding the list, in the format of {@link
 *     MavenArtifact#parseDependencyList}
 * @param loader the class loader that finds {@code listResource} (the engine jar's)
 */
public record ServerJars(
    String engine, String folderProperty, String listResource, ClassLoader loader) {

  /** The artifacts the engine's jar lists, in the list's order. */
  public List<MavenArtifact> artifacts() {
    try (InputStream in = loader.getResourceAsStream(listResource)) {
      if (in == null) {
        throw new EngineException(
            "The "
                + engine
                + " testkit jar lacks its list of server jars ("
                + listResource
                + "); it was built without its engine module. Rebuild it with -am, or set -D"
                + folderProperty
                + " to a folder holding the server's jars.");
      }
      List<MavenArtifact> artifacts =
          MavenArtifact.parseDependencyList(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      if (artifacts.isEmpty()) {
        throw new EngineException(
            "The list of " + engine + " server jars " + listResource + " is empty");
      }
      return artifacts;
    } catch (IOException e) {
      throw new EngineException(
          "Could not read the list of " + engine + " server jars " + listResource, e);
    }
  }

  /**
   * The server's classpath entries for this JVM's system properties.
   *
   * @throws EngineException if the override folder holds no jars, or a listed jar can be neither
   *     found nor downloaded (the message names it, the local path and the URL)
   */
  public List<String> classpath() {
    return classpath(System.getProperties(), ArtifactResolver::fromEnvironment);
  }

  /** {@link #classpath()} for the given system properties and resolver. */
  public List<String> classpath(Properties properties, Supplier<ArtifactResolver> resolver) {
    String folder = properties.getProperty(folderProperty);
    if (folder != null && !folder.isBlank()) {
      return List.of(jarFolder(folder.strip()).resolve("*").toString());
    }
    List<String> entries = new ArrayList<>();
    String hint =
        " To run without downloading, set -D"
            + ArtifactResolver.REMOTE_PROPERTY
            + "=<URL of a Maven repository that has it> or -D"
            + folderProperty
            + "=<a folder holding the "
            + engine
            + " server's jars> (see docs/testing.md).";
    for (Path jar : resolver.get().resolve(engine + " server jar", artifacts(), hint)) {
      entries.add(jar.toString());
    }
    return List.copyOf(entries);
  }

  private Path jarFolder(String value) {
    Path dir = Paths.get(value).toAbsolutePath();
    String howTo =
        " Fill it with the "
            + engine
            + " server's jars (maven-dependency-plugin copy-dependencies), or unset "
            + folderProperty
            + " to let the testkit find them in the local Maven repository.";
    try (Stream<Path> files = Files.list(dir)) {
      if (files.noneMatch(p -> p.getFileName().toString().endsWith(".jar"))) {
        throw new EngineException(folderProperty + "=" + dir + " holds no jars." + howTo);
      }
    } catch (IOException e) {
      throw new EngineException(
          folderProperty + "=" + dir + " is not a readable folder." + howTo, e);
    }
    return dir;
  }
}
