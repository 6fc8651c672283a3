package io.cursus.examples.docs;

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
 * Every Java and Kotlin sample in the README and docs/ must appear, whitespace aside, in a source
 * file the build compiles, so the documentation cannot drift from the code.
 */
class DocsSamplesTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern BLOCK =
      Pattern.compile("```(java|kotlin)\\n(.*?)```", Pattern.DOTALL);

  @Test
  void everyJavaAndKotlinSampleIsCompiledCode() throws IOException {
    String sources = squash(compiledSources());
    List<Path> pages = new ArrayList<>();
    pages.add(ROOT.resolve("README.md"));
    try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
    }
    int checked = 0;
    List<String> missing = new ArrayList<>();
    for (Path page : pages) {
      Matcher block = BLOCK.matcher(Files.readString(page));
      while (block.find()) {
        checked++;
        if (!sources.contains(squash(block.group(2)))) {
          missing.add(ROOT.relativize(page) + ":\n" + block.group(2));
        }
      }
    }
    assertThat(missing).as("samples not found in any compiled source").isEmpty();
    assertThat(checked).as("samples checked").isGreaterThan(20);
  }

  private static String compiledSources() throws IOException {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.walk(ROOT)) {
      files
          .filter(p -> p.toString().contains("/src/"))
          .filter(p -> !p.toString().contains("/target/"))
          .filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".kt"))
          .forEach(
              p -> {
                try {
                  all.append(Files.readString(p)).append('\n');
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
    return all.toString();
  }

  private static String squash(String text) {
    return text.replaceAll("\\s+", "");
  }
}
