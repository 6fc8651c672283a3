package io.cursus.middleware;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Java sample of docs/middleware.md is compiled (and run) by the tests of the middleware
 * artifacts: this one's, cursus-kafka's or cursus-hazelcast's.
 */
class DocsSamplesTest {

  @Test
  void everyJavaSampleInTheGuideIsCompiledByTheTests() throws IOException {
    String guide = Files.readString(Path.of("..", "..", "docs", "middleware.md"));
    List<String> samples = new ArrayList<>();
    Matcher matcher = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(guide);
    while (matcher.find()) {
      samples.add(matcher.group(1));
    }
    List<List<String>> sources = new ArrayList<>();
    for (String module : List.of("core", "kafka", "hazelcast")) {
      try (Stream<Path> paths = Files.walk(Path.of("..", module, "src", "test", "java"))) {
        for (Path path : paths.filter(p -> p.toString().endsWith(".java")).toList()) {
          sources.add(significantLines(Files.readString(path)));
        }
      }
    }

    assertThat(samples).hasSizeGreaterThanOrEqualTo(5);
    for (String sample : samples) {
      List<String> lines = significantLines(sample);
      assertThat(sources.stream().anyMatch(s -> Collections.indexOfSubList(s, lines) >= 0))
          .as("sample not found in the tests:%n%s", sample)
          .isTrue();
    }
  }

  private static List<String> significantLines(String text) {
    return text.lines()
        .map(String::trim)
        .filter(
            line -> !line.isEmpty() && !line.startsWith("// tag::") && !line.startsWith("// end::"))
        .toList();
  }
}
