package io.cursus.spring;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * The {@code cursus.*} properties {@link EnableCursus} reads, checked when read. Immutable.
 *
 * <table>
 *   <caption>Properties</caption>
 *   <tr><th>property</th><th>values</th><th>default</th></tr>
 *   <tr><td>{@code cursus.store}</td><td>{@code memory}</td><td>{@code memory}</td></tr>
 *   <tr><td>{@code cursus.pipeline}</td><td>{@code embedded}</td><td>{@code embedded}</td></tr>
 *   <tr><td>{@code cursus.idempotency.window}</td><td>a duration: ISO-8601 ({@code PT10M}) or
 *       a number with {@code ms}, {@code s}, {@code m}, {@code h} or {@code d}</td>
 *       <td>{@code 10m}</td></tr>
 *   <tr><td>{@code cursus.idempotency.max-entries}</td><td>a positive integer</td>
 *       <td>{@code 100000}</td></tr>
 * </table>
 *
 * <p>Any other property whose name starts with {@code cursus.} is refused, naming it and the known
 * ones, so a misspelt property fails the start instead of being ignored.
 */
public final class CursusProperties {

  /** Where events are stored. */
  public enum Store {
    /** The embedded in-memory store and index. */
    MEMORY
  }

  /** How emitted events reach the store. */
  public enum PipelineKind {
    /** In process: validate, drop repeats, persist, index, notify. */
    EMBEDDED
  }

  public static final String STORE = "cursus.store";
  public static final String PIPELINE = "cursus.pipeline";
  public static final String IDEMPOTENCY_WINDOW = "cursus.idempotency.window";
  public static final String IDEMPOTENCY_MAX_ENTRIES = "cursus.idempotency.max-entries";

  private static final Set<String> KNOWN =
      Set.of(STORE, PIPELINE, IDEMPOTENCY_WINDOW, IDEMPOTENCY_MAX_ENTRIES);
  private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private final Store store;
  private final PipelineKind pipeline;
  private final Duration idempotencyWindow;
  private final int idempotencyMaxEntries;

  private CursusProperties(
      Store store, PipelineKind pipeline, Duration idempotencyWindow, int idempotencyMaxEntries) {
    this.store = store;
    this.pipeline = pipeline;
    this.idempotencyWindow = idempotencyWindow;
    this.idempotencyMaxEntries = idempotencyMaxEntries;
  }

  /**
   * Reads and checks the properties of {@code environment}.
   *
   * @throws IllegalArgumentException naming the property, its value and the allowed values
   */
  public static CursusProperties from(Environment environment) {
    refuseUnknown(environment);
    Store store = choice(environment, STORE, Store.class, Store.MEMORY);
    PipelineKind pipeline =
        choice(environment, PIPELINE, PipelineKind.class, PipelineKind.EMBEDDED);
    Duration window = duration(environment.getProperty(IDEMPOTENCY_WINDOW, "10m"));
    int maxEntries = positiveInt(environment.getProperty(IDEMPOTENCY_MAX_ENTRIES, "100000"));
    return new CursusProperties(store, pipeline, window, maxEntries);
  }

  public Store store() {
    return store;
  }

  public PipelineKind pipeline() {
    return pipeline;
  }

  public Duration idempotencyWindow() {
    return idempotencyWindow;
  }

  public int idempotencyMaxEntries() {
    return idempotencyMaxEntries;
  }

  @Override
  public String toString() {
    return STORE
        + "="
        + lower(store)
        + ", "
        + PIPELINE
        + "="
        + lower(pipeline)
        + ", "
        + IDEMPOTENCY_WINDOW
        + "="
        + idempotencyWindow
        + ", "
        + IDEMPOTENCY_MAX_ENTRIES
        + "="
        + idempotencyMaxEntries;
  }

  private static void refuseUnknown(Environment environment) {
    if (!(environment instanceof ConfigurableEnvironment configurable)) {
      return;
    }
    Set<String> unknown = new TreeSet<>();
    for (PropertySource<?> source : configurable.getPropertySources()) {
      // JVM system properties and the process environment also carry other tools' cursus.*
      // settings (the testkit's cursus.testkit.dir, cursus.kafka, ...): only the application's
      // own property sources are checked.
      if (source instanceof EnumerablePropertySource<?> enumerable
          && !StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME.equals(source.getName())
          && !StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME.equals(
              source.getName())) {
        for (String name : enumerable.getPropertyNames()) {
          if (name.startsWith("cursus.") && !KNOWN.contains(name)) {
            unknown.add(name);
          }
        }
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "unknown Cursus propert"
              + (unknown.size() == 1 ? "y " : "ies ")
              + String.join(", ", unknown)
              + "; the known ones are "
              + String.join(", ", new TreeSet<>(KNOWN)));
    }
  }

  private static <E extends Enum<E>> E choice(
      Environment environment, String property, Class<E> type, E fallback) {
    String value = environment.getProperty(property);
    if (value == null) {
      return fallback;
    }
    for (E constant : type.getEnumConstants()) {
      if (lower(constant).equals(value.trim().toLowerCase(Locale.ROOT))) {
        return constant;
      }
    }
    StringBuilder allowed = new StringBuilder();
    for (E constant : type.getEnumConstants()) {
      allowed.append(allowed.length() == 0 ? "" : ", ").append(lower(constant));
    }
    throw new IllegalArgumentException(
        property + " must be one of " + allowed + ", was '" + value + "'");
  }

  private static Duration duration(String value) {
    String text = value.trim();
    Matcher simple = SIMPLE_DURATION.matcher(text);
    Duration parsed = null;
    if (simple.matches()) {
      long amount = Long.parseLong(simple.group(1));
      parsed =
          switch (simple.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
          };
    } else {
      try {
        parsed = Duration.parse(text);
      } catch (DateTimeParseException e) {
        parsed = null;
      }
    }
    if (parsed == null || parsed.isNegative() || parsed.isZero()) {
      throw new IllegalArgumentException(
          IDEMPOTENCY_WINDOW
              + " must be a positive duration such as 10m, 30s, 500ms or PT10M, was '"
              + value
              + "'");
    }
    return parsed;
  }

  private static int positiveInt(@Nullable String value) {
    int parsed;
    try {
      parsed = Integer.parseInt(String.valueOf(value).trim());
    } catch (NumberFormatException e) {
      parsed = 0;
    }
    if (parsed <= 0) {
      throw new IllegalArgumentException(
          IDEMPOTENCY_MAX_ENTRIES + " must be a positive integer, was '" + value + "'");
    }
    return parsed;
  }

  private static String lower(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }
}
