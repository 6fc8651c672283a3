package io.cursus.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WatchdogTest {
  private static Process startSleeper() throws IOException {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                Watchdog.class.getName(),
                SleepForever.class.getName(),
                "a",
                "b"))
        .redirectErrorStream(true)
        .start();
  }

  @Test
  void childExitsWhenItsStandardInputCloses() throws Exception {
    Process child = startSleeper();
    try {
      // The child runs the real main class with the remaining arguments...
      byte[] greeting = new byte["sleeping a b".length()];
      int read = child.getInputStream().readNBytes(greeting, 0, greeting.length);
      assertThat(new String(greeting, 0, read, StandardCharsets.UTF_8)).isEqualTo("sleeping a b");
      assertThat(child.waitFor(500, TimeUnit.MILLISECONDS)).isFalse();

      // ...until its parent goes away, which closes the pipe.
      child.getOutputStream().close();

      assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(child.exitValue()).isEqualTo(3);
    } finally {
      child.destroyForcibly();
    }
  }
}
