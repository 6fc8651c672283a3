package io.cursus.testkit.internal;

import io.cursus.testkit.EngineException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/** Where the server classpaths are and where engines keep their files. */
public final class Locations {
  /** System property naming the folder holding Cassandra's jars. */
  public static final String CASSANDRA_LIB = "cursus.engine.cassandra.lib";

  /** System property naming the folder holding Kafka's jars. */
  public static final String KAFKA_LIB = "cursus.engine.kafka.lib";

  /** System property naming the folder under which engines keep data and logs. */
  public static final String WORK_DIR = "cursus.testkit.dir";

  private Locations() {}

  /**
   * The folder of server jars named by a system property.
   *
   * @throws EngineException saying how to create it, if the property is unset or the folder holds
   *     no jars
   */
  public static Path serverLib(String property, String engine, String module) {
    String value = System.getProperty(property);
    String howTo =
        " The testkit runs "
            + engine
            + " as a separate JVM from jars resolved into a folder of their own: build them with"
            + " `mvn -pl "
            + module
            + " package` in the Cursus sources (or copy-dependencies in your own build, see"
            + " docs/testing.md) and pass -D"
            + property
            + "=<that folder> to the test JVM.";
    if (value == null || value.isBlank()) {
      throw new EngineException("System property " + property + " is not set." + howTo);
    }
    Path dir = Paths.get(value).toAbsolutePath();
    try (Stream<Path> files = Files.list(dir)) {
      if (files.noneMatch(p -> p.getFileName().toString().endsWith(".jar"))) {
        throw new EngineException(property + "=" + dir + " holds no jars." + howTo);
      }
    } catch (IOException e) {
      throw new EngineException(property + "=" + dir + " is not a readable folder." + howTo, e);
    }
    return dir;
  }

  /**
   * A new, empty folder for one engine instance, under {@code cursus.testkit.dir} (default {@code
   * target/cursus-engines} of the working directory).
   */
  public static Path newInstanceDir(String prefix) {
    String base = System.getProperty(WORK_DIR);
    Path root =
        base == null || base.isBlank() ? Paths.get("target", "cursus-engines") : Paths.get(base);
    String stamp =
        LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
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
  static Path write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      return Files.writeString(file, text);
    } catch (IOException e) {
      throw new EngineException("Could not write " + file, e);
    }
  }
}
