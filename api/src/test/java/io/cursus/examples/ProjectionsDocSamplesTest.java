package io.cursus.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Java sample of docs/projections.md appears, whitespace aside, in this module's tests (most
 * in {@link ProjectionsGuideTest}, which runs them), or, for the samples of the real stack (Kafka
 * and Cassandra, which this module does not depend on), in the parcel example's doc samples, which
 * that module compiles; so the guide cannot drift from the code. The Kotlin samples are checked
 * with the others by the parcel example's DocsSamplesTest.
 */
class ProjectionsDocSamplesTest {

  @Test
  void everyJavaSampleOfTheProjectionsGuideIsCompiledByTheTests() throws IOException {
    String guide = Files.readString(Path.of("..", "docs", "projections.md"));
    List<String> samples = new ArrayList<>();
    Matcher matcher = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(guide);
    while (matcher.find()) {
      samples.add(matcher.group(1));
    }
    String sources =
        sources(Path.of("src", "test", "java"))
            + sources(Path.of("..", "examples-parcel", "src", "test", "java", "io", "cursus"));

    assertThat(samples).hasSizeGreaterThanOrEqualTo(10);
    for (String sample : samples) {
      assertThat(sources.contains(squash(sample)))
          .as("sample of docs/projections.md not found in the tests:%n%s", sample)
          .isTrue();
    }
  }

  private static String sources(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      StringBuilder all = new StringBuilder();
      paths
          .filter(p -> p.toString().endsWith(".java"))
          .forEach(
              p -> {
                try {
                  all.append(Files.readString(p)).append('\n');
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      return squash(all.toString());
    }
  }

  private static String squash(String text) {
    return text.replaceAll("\\s+", "");
  }
}
