package io.cursus.testkit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One jar of a server's classpath, by its Maven coordinates.
 *
 * @param groupId for example {@code org.apache.cassandra}
 * @param artifactId for example {@code cassandra-all}
 * @param classifier empty when the jar has none (most have none; {@code jffi} has {@code native})
 * @param version an exact version, never a range
 */
public record MavenArtifact(String groupId, String artifactId, String classifier, String version) {
  private static final Pattern PART = Pattern.compile("[A-Za-z0-9_.\\-]+");

  public MavenArtifact {
    check("groupId", groupId);
    check("artifactId", artifactId);
    check("version", version);
    if (!classifier.isEmpty()) {
      check("classifier", classifier);
    }
  }

  private static void check(String name, String value) {
    if (!PART.matcher(value).matches()) {
      throw new IllegalArgumentException(name + " must be letters, digits, . _ or -, was " + value);
    }
  }

  /** The jar's file name: {@code artifactId-version[-classifier].jar}. */
  public String fileName() {
    return artifactId + "-" + version + (classifier.isEmpty() ? "" : "-" + classifier) + ".jar";
  }

  /** The jar's path in a Maven repository, with {@code /} separators and no leading slash. */
  public String repositoryPath() {
    return groupId.replace('.', '/') + "/" + artifactId + "/" + version + "/" + fileName();
  }

  /** {@code groupId:artifactId[:jar:classifier]:version}, as Maven writes coordinates. */
  @Override
  public String toString() {
    return groupId
        + ":"
        + artifactId
        + (classifier.isEmpty() ? "" : ":jar:" + classifier)
        + ":"
        + version;
  }

  /**
   * Reads the output of {@code maven-dependency-plugin}'s {@code list} goal: one artifact a line,
   * {@code groupId:artifactId:type[:classifier]:version:scope}, optionally followed by {@code --
   * module ...}; blank lines, the heading (ending in a colon) and {@code none} are skipped.
   *
   * @throws IllegalArgumentException naming the line, for a line in another shape or a type other
   *     than {@code jar}
   */
  public static List<MavenArtifact> parseDependencyList(String text) {
    List<MavenArtifact> artifacts = new ArrayList<>();
    for (String raw : text.split("\\R", -1)) {
      String line = raw.strip();
      int module = line.indexOf(" -- ");
      if (module >= 0) {
        line = line.substring(0, module).strip();
      }
      if (line.isEmpty() || line.endsWith(":") || line.equals("none")) {
        continue;
      }
      String[] parts = line.split(":", -1);
      if ((parts.length != 5 && parts.length != 6) || !parts[2].equals("jar")) {
        throw new IllegalArgumentException(
            "not groupId:artifactId:jar[:classifier]:version:scope: '" + raw.strip() + "'");
      }
      artifacts.add(
          parts.length == 5
              ? new MavenArtifact(parts[0], parts[1], "", parts[3])
              : new MavenArtifact(parts[0], parts[1], parts[3], parts[4]));
    }
    return List.copyOf(artifacts);
  }
}
