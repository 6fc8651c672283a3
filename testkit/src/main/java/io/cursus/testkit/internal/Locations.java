package io.cursus.testkit.internal;

import io.cursus.testkit.EngineException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/** Where engines keep their files. */
public final class Locations {
  /** System property naming the folder under which engines keep data and logs. */
  public static final String WORK_DIR = "cursus.testkit.dir";

  private Locations() {}

  /**
   * A new, empty folder for one engine instance, under {@code cursus.testkit.dir} (default {@code
   * target/cursus-engines} of the working directory).
   */
  public static Path newInstanceDir(String prefix) {
    String base = System.getProperty(WORK_DIR);
    Path root =
        base == null || base.isBlank() ? Paths.get("target", "cursus-engines") : Paths.get(base);
    String stamp =
        LocalDateTime.now(ZoneId.systemDefault())
            .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
    Path dir =
        root.toAbsolutePath()
            .resolve(
                prefix
                    + "-"
                    + stamp
                    + "-"
                    + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000)));
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new EngineException("Could not create engine folder " + dir, e);
    }
  }

  /** Writes a text file, creating its folder. */
  public static Path write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      return Files.writeString(file, text);
    } catch (IOException e) {
      throw new EngineException("Could not write " + file, e);
    }
  }
}
