package io.cursus.benchmarks;

import static io.cursus.benchmarks.CassandraBenchmarks.log;

import com.datastax.oss.driver.api.core.CqlSession;
import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.projection.Projection;
import io.cursus.api.projection.Projections;
import io.cursus.benchmarks.CassandraBenchmarks.Scan;
import io.cursus.benchmarks.model.Parcels;
import io.cursus.cassandra.CassandraCheckpointStore;
import io.cursus.cassandra.CassandraEventStore;
import io.cursus.cassandra.CassandraParkedEventStore;
import io.cursus.cassandra.CassandraSchema;
import io.cursus.cassandra.CassandraTables;
import io.cursus.json.EventJson;
import io.cursus.middleware.kafka.KafkaEventSink;
import io.cursus.middleware.kafka.KafkaProjectionSource;
import io.cursus.testkit.KafkaBroker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * B9 projections, on the real stack ({@link KafkaProjectionSource}, a Cassandra store, {@link
 * CassandraCheckpointStore}), in tables of their own:
 *
 * <ol>
 *   <li><b>live throughput</b>: an event projection reading a topic of {@link
 *       Mode#pipelineEvents()} stored-nowhere events against a raw {@link KafkaConsumer} in its own
 *       group (same consumer settings, committing after every poll) decoding the same records with
 *       the same {@link EventJson} and doing the same handler work, alternating, each repetition a
 *       new projection (a new checkpoint and group) and a new raw group reading the topic from its
 *       start; timed from the first event handled to the last, so that joining the group is not
 *       counted;
 *   <li><b>catch-up</b>: a new state projection (a history's size as the state) over {@link
 *       Mode#historyAggregates()} stored aggregates of 100 events, timed from {@code start} until
 *       {@code awaitCaughtUp}, against B4's raw token-range scan of the same event table;
 *   <li><b>lag</b>: a running event projection's lag, from the capture time stamped as each event
 *       is sent to the handler seeing it, while a producer sends at a fixed {@value #LAG_RATE}
 *       events/s (a light, steady load, unlike B3's saturating one).
 * </ol>
 *
 * Run with {@code benchmarks/run.sh --only B9}.
 */
final class ProjectionBenchmarks {

  static final String KEYSPACE = "cursus_bench_b9";

  /** B9 lag: events sent per second. */
  static final int LAG_RATE = 2_000;

  static final Duration TIMEOUT = Duration.ofMinutes(5);

  private final CqlSession session;
  private final Mode mode;
  private final KafkaBroker kafka;
  private final EventJson json = EventJson.using(Parcels.REGISTRY);
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final CassandraTables tables = tablesOf(run);
  private final CassandraEventStore store;

  ProjectionBenchmarks(CqlSession session, Mode mode, KafkaBroker kafka) {
    this.session = session;
    this.mode = mode;
    this.kafka = kafka;
    CassandraSchema.of(tables).create(session);
    this.store = CassandraBenchmarks.storeOn(session, Parcels.REGISTRY, tables);
  }

  /**
   * The store's tables of one run, so that a run against an external Cassandra neither catches up
   * an earlier run's aggregates nor resumes its checkpoints (projection names carry the run too).
   */
  static CassandraTables tablesOf(String run) {
    return new CassandraTables(
        KEYSPACE,
        "b9_" + run + "_event",
        "b9_" + run + "_aggregate_catalogue",
        "b9_" + run + "_index_latest",
        "b9_" + run + "_index_value");
  }

  /** Live throughput and lag first, while the store holds nothing to catch up; then catch-up. */
  List<Result> run() {
    List<Result> results = new ArrayList<>();
    results.add(live());
    results.addAll(lag());
    results.add(catchUp());
    return results;
  }

  // --- live throughput -------------------------------------------------------------------------

  private Result live() {
    int events = mode.pipelineEvents();
    String topic = "b9-live-" + run;
    kafka.createTopics(MiddlewareBenchmarks.PARTITIONS, topic);
    log("B9 live: producing %,d events", events);
    try (KafkaProducer<String, byte[]> producer = MiddlewareBenchmarks.rawProducer(kafka)) {
      for (int a = 0; a < events / mode.eventsPerAggregate(); a++) {
        for (int i = 0; i < mode.eventsPerAggregate(); i++) {
          var unused = producer.send(recordOf(topic, Parcels.event("l-" + a, i), json));
        }
      }
      producer.flush();
    }
    int total = events / mode.eventsPerAggregate() * mode.eventsPerAggregate();
    List<Double> raw = new ArrayList<>();
    List<Double> cursus = new ArrayList<>();
    try (KafkaProjectionSource source = source(topic);
        Projections projections = projections(source)) {
      log("B9 live: warm-up");
      liveRaw(topic, "w", total);
      liveCursus(projections, "w", total);
      for (int rep = 0; rep < mode.repetitions(); rep++) {
        raw.add(liveRaw(topic, "r" + rep, total));
        cursus.add(liveCursus(projections, "c" + rep, total));
        log(
            "B9 live %d: raw consumer %.0f events/s, projection %.0f events/s",
            rep, raw.get(rep), cursus.get(rep));
      }
    }
    return new Result(
        "B9 projection live",
        "events/s",
        Stats.median(cursus),
        Stats.median(raw),
        true,
        0.8,
        String.format(
            "%,d events on a topic of %d partitions read from its start by a new event projection"
                + " (checkpoints in Cassandra; batches of at most 256, saved"
                + " once per 100 ms while they come full, the default) and by a raw"
                + " consumer in a new group (%d records a poll, commitSync after every poll),"
                + " both decoding with the same EventJson and counting arrivals per depot; from"
                + " the first event handled to the last; median of %d alternating repetitions",
            total,
            MiddlewareBenchmarks.PARTITIONS,
            MiddlewareBenchmarks.MAX_POLL_RECORDS,
            mode.repetitions()));
  }

  /** A new projection reads the whole topic: events per second. */
  private double liveCursus(Projections projections, String rep, int events) {
    Work work = new Work(false);
    String name = "b9-live-" + run + "-" + rep;
    projections.start(Projection.events(name).aggregateTypes(Parcels.TYPE).handler(work).build());
    await(work, events, () -> "projection " + projections.status(name));
    projections.stop(name).join();
    return work.rate();
  }

  /** A raw consumer in a new group reads the whole topic: events per second. */
  private double liveRaw(String topic, String rep, int events) {
    Work work = new Work(false);
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "b9-raw-" + run + "-" + rep);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MiddlewareBenchmarks.MAX_POLL_RECORDS);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      while (work.count() < events) {
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(100));
        handleRaw(records, json, work);
        if (!records.isEmpty()) {
          consumer.commitSync();
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "B9: the raw consumer handled " + work.count() + " of " + events + " events");
        }
      }
    }
    return work.rate();
  }

  /** The raw side's handling of a poll: decode each record as the projection's reader does. */
  static void handleRaw(
      Iterable<ConsumerRecord<String, byte[]>> records, EventJson json, Consumer<Event> handler) {
    for (ConsumerRecord<String, byte[]> record : records) {
      handler.accept(json.read(record.value()));
    }
  }

  /** The record a producer sends for {@code event}, captured now (as the sink sends it). */
  static ProducerRecord<String, byte[]> recordOf(String topic, Event event, EventJson json) {
    Event captured = event.captured();
    return new ProducerRecord<>(topic, KafkaEventSink.keyOf(captured), json.write(captured));
  }

  // --- lag -------------------------------------------------------------------------------------

  private List<Result> lag() {
    int events = lagEvents(mode);
    String topic = "b9-lag-" + run;
    kafka.createTopics(MiddlewareBenchmarks.PARTITIONS, topic);
    Work work = new Work(true);
    String lagName = "b9-lag-" + run;
    try (KafkaProjectionSource source = source(topic);
        Projections projections = projections(source);
        KafkaProducer<String, byte[]> producer = MiddlewareBenchmarks.rawProducer(kafka)) {
      projections.start(
          Projection.events(lagName).aggregateTypes(Parcels.TYPE).handler(work).build());
      if (!projections.awaitCaughtUp(lagName, TIMEOUT)) {
        throw new IllegalStateException("B9 lag: " + projections.status(lagName));
      }
      log("B9 lag: sending %,d events at %,d events/s", events, LAG_RATE);
      long start = System.nanoTime();
      for (int n = 0; n < events; n++) {
        long wait = start + dueNanos(n, LAG_RATE) - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        int aggregate = n / mode.eventsPerAggregate();
        var unused =
            producer.send(
                recordOf(
                    topic, Parcels.event("g-" + aggregate, n % mode.eventsPerAggregate()), json));
      }
      producer.flush();
      await(work, events, () -> "projection " + projections.status(lagName));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    long[] lags = work.lagsMicros();
    List<Result> results = new ArrayList<>();
    for (double p : new double[] {50, 99}) {
      results.add(
          new Result(
              String.format("B9 projection lag p%.0f", p),
              "ms",
              Stats.percentile(lags, p) / 1e3,
              Double.NaN,
              false,
              Double.NaN,
              String.format(
                  "%,d events sent at a fixed %,d events/s (not B3's saturating load) to a topic"
                      + " of %d partitions that a running event projection reads; per event, from"
                      + " the capture time stamped as it is sent to the handler seeing it; no raw"
                      + " counterpart, no target",
                  events, LAG_RATE, MiddlewareBenchmarks.PARTITIONS)));
    }
    return results;
  }

  /** B9 lag: events sent, half B3's count (10 s quick, 50 s full at {@value #LAG_RATE}/s). */
  static int lagEvents(Mode mode) {
    return mode.pipelineEvents() / 2;
  }

  /** When the {@code n}-th event is due, in nanoseconds after the first, at {@code rate}/s. */
  static long dueNanos(int n, int rate) {
    return n * 1_000_000_000L / rate;
  }

  // --- catch-up --------------------------------------------------------------------------------

  private Result catchUp() {
    int aggregates = mode.historyAggregates();
    int length = CassandraBenchmarks.HISTORY_LENGTH;
    long expected = (long) aggregates * length;
    log("B9 catch-up: storing %,d histories of %d events", aggregates, length);
    Parallel.run(
        mode.callerThreads(), aggregates, a -> store.append(Parcels.history("c-" + a, length)));
    String topic = "b9-catchup-" + run;
    kafka.createTopics(MiddlewareBenchmarks.PARTITIONS, topic);
    int parallelism = mode.replayParallelism();
    var scan = CassandraBenchmarks.prepareScan(session, tables);
    List<Double> raw = new ArrayList<>();
    List<Double> cursus = new ArrayList<>();
    try (KafkaProjectionSource source = source(topic);
        Projections projections = projections(source)) {
      log("B9 catch-up: warm-up");
      CassandraBenchmarks.scanRaw(session, scan, Parcels.TYPE, parallelism);
      catchUpCursus(projections, "w", expected);
      for (int rep = 0; rep < mode.repetitions(); rep++) {
        Scan r = CassandraBenchmarks.scanRaw(session, scan, Parcels.TYPE, parallelism);
        if (r.events() != expected) {
          throw new IllegalStateException(
              "B9 catch-up: the raw scan read " + r.events() + " events, expected " + expected);
        }
        raw.add(r.events() / r.seconds());
        cursus.add(catchUpCursus(projections, "c" + rep, expected));
        log(
            "B9 catch-up %d: raw scan %.0f events/s, projection %.0f events/s",
            rep, raw.get(rep), cursus.get(rep));
      }
    }
    return new Result(
        "B9 projection catch-up",
        "events/s",
        Stats.median(cursus),
        Stats.median(raw),
        true,
        0.8,
        String.format(
            "a new state projection (a history's size as its state) catching up over %,d stored"
                + " aggregates of %d events (%,d events; catalogue, then histories in chunks of"
                + " 100 aggregates, four read ahead), timed from start until awaitCaughtUp, against B4's raw"
                + " token-range scan of the same table (parallelism %d, page size %d); median of"
                + " %d alternating repetitions",
            aggregates,
            length,
            expected,
            parallelism,
            CassandraBenchmarks.PAGE_SIZE,
            mode.repetitions()));
  }

  private double catchUpCursus(Projections projections, String rep, long expected) {
    Map<AggregateId, Integer> sizes = new ConcurrentHashMap<>(); // an upsert per aggregate
    String name = "b9-catchup-" + run + "-" + rep;
    long start = System.nanoTime();
    try {
      projections.start(
          Projection.states(name, Parcels.TYPE, history -> Optional.of(history.size()))
              .handler((AggregateId id, Integer size) -> sizes.put(id, size))
              .build());
      if (!projections.awaitCaughtUp(name, TIMEOUT)) {
        throw new IllegalStateException("B9 catch-up: " + projections.status(name));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    projections.stop(name).join();
    long events = sizes.values().stream().mapToLong(Integer::longValue).sum();
    if (events != expected) {
      throw new IllegalStateException(
          "B9 catch-up: the projection saw " + events + " events, expected " + expected);
    }
    return expected / seconds;
  }

  // --- shared ----------------------------------------------------------------------------------

  /** No store writer stores these topics: its group never commits, so a catch-up reads from 0. */
  private KafkaProjectionSource source(String topic) {
    return KafkaProjectionSource.builder(kafka.bootstrapServers(), topic, "b9-store-" + run, json)
        .maxPollRecords(MiddlewareBenchmarks.MAX_POLL_RECORDS)
        .build();
  }

  private Projections projections(KafkaProjectionSource source) {
    return Projections.builder(source, store, store)
        .checkpoints(CassandraCheckpointStore.using(session, tables))
        .parkedEvents(CassandraParkedEventStore.using(session, tables, Parcels.REGISTRY))
        .registry(Parcels.REGISTRY)
        .build();
  }

  private static void await(Work work, int events, java.util.function.Supplier<String> state) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (work.count() < events) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "B9: " + work.count() + " of " + events + " events handled; " + state.get());
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
    }
  }

  /**
   * The handler work of both sides: counts arrivals per depot (as a view would), and the events,
   * with the first and last time one was handled and, if asked, each one's lag since capture.
   */
  static final class Work implements Consumer<Event> {
    private final boolean lags;
    private final Map<String, Integer> arrivalsPerDepot = new HashMap<>();
    private final List<Long> lagsMicros = new ArrayList<>();
    private final AtomicLong count = new AtomicLong();
    private volatile long firstNanos;
    private volatile long lastNanos;

    Work(boolean lags) {
      this.lags = lags;
    }

    @Override
    public synchronized void accept(Event event) {
      long now = System.nanoTime();
      if (lags) {
        Instant captured = event.processingTime().orElseThrow();
        lagsMicros.add(Duration.between(captured, Instant.now()).toNanos() / 1_000);
      }
      if (event.parameters().contains("depotId")) {
        arrivalsPerDepot.merge((String) event.parameters().get("depotId"), 1, Integer::sum);
      }
      if (count.get() == 0) {
        firstNanos = now;
      }
      lastNanos = now;
      count.incrementAndGet();
    }

    long count() {
      return count.get();
    }

    synchronized Map<String, Integer> arrivalsPerDepot() {
      return Map.copyOf(arrivalsPerDepot);
    }

    synchronized long[] lagsMicros() {
      return lagsMicros.stream().mapToLong(Long::longValue).toArray();
    }

    /** Events per second from the first handled to the last. */
    double rate() {
      return count.get() / ((lastNanos - firstNanos) / 1e9);
    }
  }
}
