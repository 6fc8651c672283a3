package io.cursus.benchmarks;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.session.Session;
import io.cursus.testkit.CassandraCluster;
import io.cursus.testkit.Engines;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Runs every benchmark and writes the results: {@code benchmarks/run.sh [--quick|--full]}.
 *
 * <p>Options: {@code --quick} (default) or {@code --full}; {@code --only B1,B5} runs a subset (B11,
 * single emits from 64 request threads, and B12, one producer thread, need only Kafka and
 * Hazelcast: {@code --only B11,B12}) ({@code --only B8}, conditional against blind appends, {@code
 * --only B9}, projections, {@code --only B10}, migration, and {@code --only B13}, a compact
 * envelope against JSON, run only when named: {@code benchmarks/run.sh --only B9,B10}). The system
 * properties {@code cursus.bench.results}, {@code cursus.bench.page} and {@code
 * cursus.bench.findings} name the JSON results, the generated page and the hand-written findings
 * appended to it; the testkit's {@code cursus.engine.*} and {@code cursus.testkit.dir} properties
 * locate the engines (see docs/testing.md).
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    Mode mode = Mode.quick();
    Set<String> only = Set.of("B1", "B2", "B3", "B4", "B5", "B6", "B11", "B12");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> mode = Mode.quick();
        case "--full" -> mode = Mode.full();
        case "--only" -> only = Set.of(args[++i].split(","));
        default ->
            throw new IllegalArgumentException(
                "unknown option " + args[i] + "; use --quick, --full or --only B1,B2,...");
      }
    }
    Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    long start = System.nanoTime();
    Map<String, String> machine = new LinkedHashMap<>();
    machine.put("CPU", Machine.cpu());
    machine.put("memory", Machine.memory());
    machine.put("OS", Machine.os());
    machine.put("JDK", Machine.java());
    machine.put("load average (1, 5, 15 min) at start", Machine.loadAverage());
    Map<String, String> versions = new LinkedHashMap<>();
    Properties declared = declaredVersions();

    Mode chosen = mode;
    List<Result> results = new ArrayList<>();
    Map<String, String> notMeasured = new LinkedHashMap<>();
    if (only.contains("B5")) {
      CassandraBenchmarks.log("B5 in-JVM benchmarks (JMH)");
      results.addAll(JmhBenchmarks.run(mode));
    }
    MiddlewareBenchmarks middleware = new MiddlewareBenchmarks(mode);
    if (only.contains("B6")) {
      results.addAll(middleware.idempotency());
    }
    if (only.contains("B1")
        || only.contains("B2")
        || only.contains("B3")
        || only.contains("B4")
        || only.contains("B8")
        || only.contains("B9")
        || only.contains("B10")
        || only.contains("B13")) {
      try {
        CassandraCluster cassandra = Engines.cassandra();
        try (CqlSession session =
            CqlSession.builder()
                .addContactPoints(cassandra.contactPoints())
                .withLocalDatacenter(cassandra.localDatacenter())
                .build()) {
          versions.put(
              "Apache Cassandra",
              session
                      .execute(session.prepare("SELECT release_version FROM system.local").bind())
                      .one()
                      .getString(0)
                  + (cassandra.isExternal() ? " (external)" : " (one node, testkit child JVM)"));
          CassandraBenchmarks cassandraBenchmarks = new CassandraBenchmarks(session, mode);
          if (only.contains("B1")) {
            results.addAll(cassandraBenchmarks.append());
          }
          if (only.contains("B2")) {
            results.addAll(cassandraBenchmarks.history());
          }
          if (only.contains("B4")) {
            results.addAll(cassandraBenchmarks.replay());
          }
          if (only.contains("B8")) { // only when asked for: --only B8
            attempt(
                "B8",
                results,
                notMeasured,
                () -> new DecisionBenchmarks(cassandraBenchmarks.store(), chosen).run());
          }
          if (only.contains("B10")) { // only when asked for: --only B10
            attempt(
                "B10", results, notMeasured, () -> new MigrationBenchmarks(session, chosen).run());
          }
          if (only.contains("B9")) { // only when asked for: --only B9
            attempt(
                "B9",
                results,
                notMeasured,
                () -> new ProjectionBenchmarks(session, chosen, Engines.kafka()).run());
          }
          if (only.contains("B13")) { // only when asked for: --only B13
            attempt(
                "B13",
                results,
                notMeasured,
                () -> middleware.compactEnvelope(session, cassandraBenchmarks, Engines.kafka()));
          }
          if (only.contains("B3")) {
            // after B4, whose replay reads the whole event table
            results.addAll(middleware.pipeline(session, cassandraBenchmarks, Engines.kafka()));
          }
        }
      } finally {
        Engines.stopAll();
      }
    } else {
      versions.put("Apache Cassandra", declared.getProperty("cassandra"));
    }
    if (only.contains("B11") || only.contains("B12")) {
      try {
        EmitBenchmarks emits = new EmitBenchmarks(mode, Engines.kafka());
        if (only.contains("B11")) {
          attempt("B11", results, notMeasured, emits::asyncEmits);
        }
        if (only.contains("B12")) {
          attempt("B12", results, notMeasured, emits::oneProducerThread);
        }
      } finally {
        Engines.stopAll();
      }
    }
    versions.put("Cassandra Java driver", Session.OSS_DRIVER_COORDINATES.getVersion().toString());
    versions.put("Apache Kafka (clients, server)", declared.getProperty("kafka"));
    versions.put("Hazelcast", declared.getProperty("hazelcast"));
    versions.put("Jackson", declared.getProperty("jackson"));
    versions.put("Kotlin", declared.getProperty("kotlin"));
    versions.put("JMH", declared.getProperty("jmh"));

    machine.put("load average (1, 5, 15 min) at end", Machine.loadAverage());
    String command = "benchmarks/run.sh" + (mode.name().equals("quick") ? "" : " --" + mode.name());
    Report.Run run =
        new Report.Run(
            mode.name(),
            command,
            started.toString(),
            (System.nanoTime() - start) / 60e9,
            machine,
            versions,
            results,
            notMeasured,
            findings());
    Path json = Path.of(System.getProperty("cursus.bench.results", "target/results.json"));
    Report.writeJson(run, json);
    String page = System.getProperty("cursus.bench.page");
    if (page != null) {
      Report.writePage(run, Path.of(page));
    }
    for (Result r : results) {
      System.out.printf(
          "%-40s %12.2f %12.2f %6.2fx  %s %s%n",
          r.id(),
          r.cursus(),
          r.raw(),
          r.ratio(),
          r.targetText(),
          !r.hasTarget() ? "" : r.met() ? "met" : "MISSED");
    }
    notMeasured.forEach((id, why) -> System.out.printf("%-40s not measured: %s%n", id, why));
    System.out.println("results: " + json + (page == null ? "" : ", page: " + page));
  }

  /**
   * Runs one benchmark; if it fails, the page says so in its list of what was not measured, and the
   * run goes on with the others.
   */
  private static void attempt(
      String name,
      List<Result> results,
      Map<String, String> notMeasured,
      Supplier<List<Result>> benchmark) {
    try {
      results.addAll(benchmark.get());
    } catch (RuntimeException e) {
      CassandraBenchmarks.log("%s failed: %s", name, e);
      e.printStackTrace();
      notMeasured.put(name, "failed in this run: " + e);
    }
  }

  private static Properties declaredVersions() {
    Properties properties = new Properties();
    try (InputStream in =
        Main.class.getResourceAsStream("/cursus-benchmarks-versions.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the declared versions", e);
    }
    return properties;
  }

  private static String findings() {
    String file = System.getProperty("cursus.bench.findings");
    if (file == null || !Files.exists(Path.of(file))) {
      return "";
    }
    try {
      return Files.readString(Path.of(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
