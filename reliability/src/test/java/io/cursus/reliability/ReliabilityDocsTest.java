package io.cursus.reliability;

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
 * docs/reliability.md and docs/security.md: their Java samples are compiled here, and the first
 * names every scenario.
 */
class ReliabilityDocsTest {

  private static final Path GUIDE = Path.of("..", "docs", "reliability.md");
  private static final Path SECURITY = Path.of("..", "docs", "security.md");

  @Test
  void everyJavaSampleIsCompiledByTheTests() throws IOException {
    assertSamplesCompiled(GUIDE, 3);
  }

  @Test
  void everyJavaSampleOfTheSecurityPageIsCompiledByTheTests() throws IOException {
    assertSamplesCompiled(SECURITY, 2);
  }

  private static void assertSamplesCompiled(Path page, int atLeast) throws IOException {
    String guide = Files.readString(page);
    List<String> samples = new ArrayList<>();
    Matcher matcher = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(guide);
    while (matcher.find()) {
      samples.add(matcher.group(1));
    }
    List<List<String>> sources = new ArrayList<>();
    try (Stream<Path> paths = Files.walk(Path.of("src", "test", "java"))) {
      for (Path path : paths.filter(p -> p.toString().endsWith(".java")).toList()) {
        sources.add(significantLines(Files.readString(path)));
      }
    }
    assertThat(samples).hasSizeGreaterThanOrEqualTo(atLeast);
    for (String sample : samples) {
      List<String> lines = significantLines(sample);
      assertThat(sources.stream().anyMatch(s -> Collections.indexOfSubList(s, lines) >= 0))
          .as("sample not found in the tests:%n%s", sample)
          .isTrue();
    }
  }

  @Test
  void everyScenarioHasASectionAndATest() throws IOException {
    String guide = Files.readString(GUIDE);
    for (String scenario :
        List.of(
            "R1RedeliveryIT",
            "R2ShuffleIT",
            "R3ConsumerKillIT",
            "R4BrokerKillIT",
            "R5CassandraOutageIT",
            "R6TwoNodesIT",
            "R7HazelcastMemberLossIT",
            "R8BadInputIT",
            "R10ProjectionKillIT",
            "R11LeaderKillIT",
            "R14ProjectionFaultsIT",
            "R12R15ThreeNodesIT",
            "R13SecuredEnginesIT",
            "Soak",
            "SecurityIT",
            "SourceSecurityTest")) {
      assertThat(guide).contains(scenario);
      assertThat(Path.of("src", "test", "java", "io", "cursus", "reliability", scenario + ".java"))
          .exists();
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
