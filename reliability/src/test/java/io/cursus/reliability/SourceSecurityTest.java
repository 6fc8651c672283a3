package io.cursus.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Security rules checked on the main sources of every module: no Jackson default typing or
 * polymorphic type ids, no class names turned into classes, and CQL only as prepared statements
 * outside the schema manager.
 */
class SourceSecurityTest {

  private static final Path ROOT =
      Path.of(System.getProperty("cursus.reliability.root", "..")).toAbsolutePath().normalize();

  @Test
  void noJacksonDefaultTypingOrTypeIdsInMainCode() {
    List<String> hits =
        grep(
            Pattern.compile(
                "activateDefaultTyping|enableDefaultTyping|@JsonTypeInfo|DefaultTyping|"
                    + "PolymorphicTypeValidator|@JsonSubTypes"));
    assertThat(hits).isEmpty();
  }

  @Test
  void noClassNamesTurnedIntoClassesInMainCode() {
    assertThat(grep(Pattern.compile("Class\\.forName|\\.loadClass\\("))).isEmpty();
  }

  @Test
  void cqlOutsideTheSchemaManagerIsPrepared() {
    List<String> hits =
        grep(Pattern.compile("SimpleStatement|QueryBuilder|BatchStatement")).stream()
            .filter(hit -> !hit.contains("CassandraSchema.java"))
            // PartitionBatches only accepts BoundStatements (its signature), so its batches are
            // prepared CQL; SecurityIT checks the requests themselves at run time.
            .filter(hit -> !hit.contains("PartitionBatches.java"))
            .toList();
    assertThat(hits).isEmpty();
    // every execute goes through a statement bound from a prepared one
    List<String> executes = grep(Pattern.compile("\\.execute(Async)?\\(\\s*\"")).stream().toList();
    assertThat(executes).as("CQL strings executed directly").isEmpty();
    assertThat(grep(Pattern.compile("\\.prepare(Async)?\\("))).isNotEmpty();
  }

  @Test
  void theScanSeesTheMainSources() {
    assertThat(mainSources()).hasSizeGreaterThan(40);
  }

  private static List<String> grep(Pattern pattern) {
    List<String> hits = new ArrayList<>();
    for (Path file : mainSources()) {
      try {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
          if (pattern.matcher(lines.get(i)).find()) {
            hits.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).trim());
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
    return hits;
  }

  private static List<Path> mainSources() {
    try (Stream<Path> files = Files.walk(ROOT)) {
      return files
          .filter(p -> p.toString().matches(".*/src/main/(java|kotlin)/.*\\.(java|kt)"))
          .filter(p -> !ROOT.relativize(p).toString().startsWith("testkit/"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the sources under " + ROOT, e);
    }
  }
}
