package io.cursus.benchmarks;

import static io.cursus.benchmarks.CassandraBenchmarks.log;

import com.datastax.oss.driver.api.core.CqlSession;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.cursus.api.Event;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.bus.EventBus;
import io.cursus.api.store.EventIndexer;
import io.cursus.api.store.EventLog;
import io.cursus.benchmarks.model.ParcelEvents;
import io.cursus.benchmarks.model.Parcels;
import io.cursus.cassandra.CassandraEventIndex;
import io.cursus.json.EventJson;
import io.cursus.middleware.IdempotencyFilter;
import io.cursus.middleware.Pipelines;
import io.cursus.middleware.hazelcast.HazelcastIdempotencyFilter;
import io.cursus.middleware.kafka.KafkaEventConsumer;
import io.cursus.middleware.kafka.KafkaEventSink;
import io.cursus.testkit.HazelcastMembers;
import io.cursus.testkit.KafkaBroker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * B6 idempotency filter and B3 full pipeline: the middleware against the raw engines doing the same
 * work, alternating so that drift of the shared machine hits both sides.
 */
final class MiddlewareBenchmarks {

  /** B6: threads testing identities at once (synchronous calls from several threads is fastest). */
  static final int IDEMPOTENCY_THREADS = 16;

  static final Duration WINDOW = Duration.ofMinutes(10);

  /**
   * B3: partitions of the topics; consumers of the pipeline's topic in one group, one per partition
   * by default (with two, each consumer was busy two thirds of the time and Cassandra was not yet
   * saturated). The system properties are for experiments.
   */
  static final int PARTITIONS = Integer.getInteger("cursus.bench.b3.partitions", 4);

  static final int CONSUMERS = Integer.getInteger("cursus.bench.b3.consumers", PARTITIONS);

  static final int MAX_POLL_RECORDS = Integer.getInteger("cursus.bench.b3.maxPollRecords", 500);

  private final Mode mode;

  MiddlewareBenchmarks(Mode mode) {
    this.mode = mode;
  }

  // --- B6 idempotency filter -------------------------------------------------------------------

  List<Result> idempotency() {
    List<Result> results = new ArrayList<>();
    try (HazelcastMembers one = HazelcastMembers.start(1)) {
      results.add(idempotency(one.members().get(0), "one member"));
    }
    try (HazelcastMembers two = HazelcastMembers.start(2)) {
      results.add(idempotency(two.members().get(0), "two members"));
    }
    return results;
  }

  private Result idempotency(HazelcastInstance member, String cluster) {
    String run = UUID.randomUUID().toString().substring(0, 8);
    IMap<String, Long> rawMap = member.getMap("b6-raw-" + run);
    IdempotencyFilter filter = HazelcastIdempotencyFilter.using(member, "b6-cursus-" + run, WINDOW);
    int ops = mode.idempotencyOps();
    log("B6 idempotency, %s: warm-up", cluster);
    idempotencyRaw(rawMap, events("w", ops / 5));
    idempotencyCursus(filter, events("w", ops / 5));
    List<Double> raw = new ArrayList<>();
    List<Double> cursus = new ArrayList<>();
    for (int rep = 0; rep < mode.repetitions(); rep++) {
      raw.add(ops / idempotencyRaw(rawMap, events("r" + rep, ops)));
      cursus.add(ops / idempotencyCursus(filter, events("c" + rep, ops)));
      log(
          "B6 idempotency, %s, %d: raw %.0f ops/s, cursus %.0f ops/s",
          cluster, rep, raw.get(rep), cursus.get(rep));
    }
    return new Result(
        "B6 idempotency filter, " + cluster,
        "ops/s",
        Stats.median(cursus),
        Stats.median(raw),
        true,
        Double.NaN,
        String.format(
            "HazelcastIdempotencyFilter.test(event) vs IMap.putIfAbsent(key, now, 10 min) with the"
                + " key built by plain concatenation of the same parts (aggregate type, id, event"
                + " time in ms, stream id); %,d new identities per repetition from %d threads,"
                + " testkit Hazelcast (%s, default map config, in this JVM), calls on the first"
                + " member; median of %d alternating repetitions; the issue sets no target",
            ops, IDEMPOTENCY_THREADS, cluster, mode.repetitions()));
  }

  /** {@code count} distinct events: 10 per parcel. */
  private static List<Event> events(String run, int count) {
    List<Event> events = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      events.add(Parcels.event(run + "-" + i / 10, i % 10));
    }
    return events;
  }

  private static double idempotencyRaw(IMap<String, Long> map, List<Event> events) {
    AtomicInteger repeats = new AtomicInteger();
    double seconds =
        Parallel.run(
            IDEMPOTENCY_THREADS,
            events.size(),
            i -> {
              Event event = events.get(i);
              String key =
                  event.aggregateId().type()
                      + "|"
                      + event.aggregateId().id()
                      + "|"
                      + event.eventTime().toEpochMilli()
                      + "|"
                      + event.timestamp().streamId();
              if (map.putIfAbsent(
                      key, System.currentTimeMillis(), WINDOW.toMillis(), TimeUnit.MILLISECONDS)
                  != null) {
                repeats.incrementAndGet();
              }
            });
    checkNoRepeats(repeats.get());
    return seconds;
  }

  private static double idempotencyCursus(IdempotencyFilter filter, List<Event> events) {
    AtomicInteger repeats = new AtomicInteger();
    double seconds =
        Parallel.run(
            IDEMPOTENCY_THREADS,
            events.size(),
            i -> {
              if (!filter.test(events.get(i))) {
                repeats.incrementAndGet();
              }
            });
    checkNoRepeats(repeats.get());
    return seconds;
  }

  private static void checkNoRepeats(int repeats) {
    if (repeats != 0) {
      throw new IllegalStateException(repeats + " new identities were taken for repeats");
    }
  }

  // --- B3 full pipeline ------------------------------------------------------------------------

  /**
   * Emits through typed interfaces into the producer pipeline (validate, Hazelcast idempotency,
   * JSON, Kafka) while consumers persist and index into Cassandra; against raw Kafka produce and
   * raw Cassandra writes of the same events.
   */
  List<Result> pipeline(CqlSession session, CassandraBenchmarks cassandra, KafkaBroker kafka) {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String rawTopic = "b3-raw-" + run;
    String topic = "b3-pipeline-" + run;
    String handTopic = "b3-hand-built-" + run;
    kafka.createTopics(PARTITIONS, rawTopic, topic, topic + ".dlq", handTopic);
    EventJson json = EventJson.using(Parcels.REGISTRY);
    CassandraEventIndex index =
        CassandraEventIndex.builder(session, Parcels.REGISTRY)
            .tables(CassandraBenchmarks.TABLES)
            .maxInFlight(CassandraBenchmarks.MAX_IN_FLIGHT)
            .readConsistency(CassandraBenchmarks.CONSISTENCY)
            .writeConsistency(CassandraBenchmarks.CONSISTENCY)
            .timeout(CassandraBenchmarks.TIMEOUT)
            .build();
    Handled handled = new Handled();
    StageTimes times = new StageTimes();
    Map<String, List<Double>> cpu = new LinkedHashMap<>();
    EventLog timedLog =
        events -> {
          long start = System.nanoTime();
          cassandra.store().append(events);
          times.persist.add(System.nanoTime() - start);
          times.batches.increment();
          times.events.add(events.size());
        };
    EventIndexer timedIndex =
        events -> {
          long start = System.nanoTime();
          index.index(events);
          times.index.add(System.nanoTime() - start);
        };
    List<KafkaEventConsumer> consumers = new ArrayList<>();
    try (HazelcastMembers hazelcast = HazelcastMembers.start(1);
        KafkaEventSink sink =
            KafkaEventSink.builder(kafka.bootstrapServers(), topic, json).build();
        KafkaProducer<String, byte[]> producer = rawProducer(kafka);
        HandBuiltPipeline hand =
            handBuilt(
                cassandra,
                session,
                hazelcast.member(),
                kafka,
                handTopic,
                "b3h-" + run,
                HandBuiltPipeline.Envelope.json(json))) {
      for (int c = 0; c < CONSUMERS; c++) {
        consumers.add(
            KafkaEventConsumer.builder(kafka.bootstrapServers(), topic, "b3-" + run, json, timedLog)
                .indexer(timedIndex)
                .maxPollRecords(MAX_POLL_RECORDS)
                .handler(handled)
                .build()
                .start());
      }
      IdempotencyFilter idempotency =
          timed(HazelcastIdempotencyFilter.using(hazelcast.member(), "b3-" + run, WINDOW), times);
      Consumer<List<Event>> timedSink =
          batch -> {
            long start = System.nanoTime();
            sink.accept(batch);
            times.sink.add(System.nanoTime() - start);
          };
      EventBus bus =
          EventBus.to(Pipelines.producer(Parcels.REGISTRY, idempotency, timedSink).build());

      int aggregates = mode.pipelineAggregates();
      int events = mode.pipelineEvents();
      log("B3 pipeline: warm-up");
      produceRaw(producer, rawTopic, json, "w", aggregates / 5, cassandra);
      cassandra.appendRaw("b3w", aggregates / 5);
      emitCursus(bus, handled, "w", aggregates / 5, consumers, times);
      hand.run("w", aggregates / 5);
      List<Double> kafkaRaw = new ArrayList<>();
      List<Double> handBuilt = new ArrayList<>();
      List<Double> cassandraRaw = new ArrayList<>();
      List<Double> cursus = new ArrayList<>();
      List<Long> lags = new ArrayList<>();
      for (int rep = 0; rep < mode.repetitions(); rep++) {
        times.reset();
        CpuTime before = CpuTime.now();
        kafkaRaw.add(
            events / produceRaw(producer, rawTopic, json, "r" + rep, aggregates, cassandra));
        CpuTime afterKafka = CpuTime.now();
        cassandraRaw.add(events / cassandra.appendRaw("b3r" + rep, aggregates));
        CpuTime afterCassandra = CpuTime.now();
        // the hand-built pipeline and Cursus's take turns in going first
        CpuTime afterCursus;
        if (rep % 2 == 1) {
          handBuilt.add(events / hand.run("h" + rep, aggregates));
          CpuTime afterHand = CpuTime.now();
          addCpu(cpu, "hand-built pipeline", afterHand.microsPerEventSince(afterCassandra, events));
          cursus.add(events / emitCursus(bus, handled, "c" + rep, aggregates, consumers, times));
          afterCursus = CpuTime.now();
          addCpu(cpu, "Cursus pipeline", afterCursus.microsPerEventSince(afterHand, events));
        } else {
          cursus.add(events / emitCursus(bus, handled, "c" + rep, aggregates, consumers, times));
          afterCursus = CpuTime.now();
          addCpu(cpu, "Cursus pipeline", afterCursus.microsPerEventSince(afterCassandra, events));
          handBuilt.add(events / hand.run("h" + rep, aggregates));
          addCpu(
              cpu, "hand-built pipeline", CpuTime.now().microsPerEventSince(afterCursus, events));
        }
        addCpu(cpu, "raw Kafka produce", afterKafka.microsPerEventSince(before, events));
        addCpu(cpu, "raw Cassandra write", afterCassandra.microsPerEventSince(afterKafka, events));
        lags.addAll(handled.lagsMicros());
        log(
            "B3 pipeline %d: raw Kafka %.0f events/s, raw Cassandra %.0f events/s, hand-built"
                + " %.0f events/s, cursus %.0f events/s (p50 lag %.0f ms)",
            rep,
            kafkaRaw.get(rep),
            cassandraRaw.get(rep),
            handBuilt.get(rep),
            cursus.get(rep),
            Stats.percentile(handled.lagsArray(), 50) / 1e3);
        log(
            "B3 pipeline %d, consumer stages: %d batches of %.0f events on average; persist %.0f"
                + " ms, index %.0f ms in all (%d consumers, %.1f s of wall time)",
            rep,
            times.batches.sum(),
            times.events.sum() / (double) Math.max(1, times.batches.sum()),
            times.persist.sum() / 1e6,
            times.index.sum() / 1e6,
            CONSUMERS,
            events / cursus.get(rep));
        log(
            "B3 pipeline %d, producer stages: %.0f ms emitting batches, of which %.0f ms in the"
                + " idempotency filter and %.0f ms in the Kafka sink (%d threads)",
            rep,
            times.emit.sum() / 1e6,
            times.idempotency.sum() / 1e6,
            times.sink.sum() / 1e6,
            mode.callerThreads());
        log(
            "B3 pipeline %d, CPU per event in µs: %s",
            rep, describe(cpu, ", ", values -> values.get(values.size() - 1)));
      }
      double rawKafka = Stats.median(kafkaRaw);
      double rawCassandra = Stats.median(cassandraRaw);
      long[] lag = lags.stream().mapToLong(Long::longValue).toArray();
      String setup =
          String.format(
              "%,d events (%,d parcels of %d) per repetition; %d producer threads each emitting"
                  + " batches of %d events with EventBus.batch through typed interface emitters"
                  + " into Pipelines.producer (validate, HazelcastIdempotencyFilter on one"
                  + " member, KafkaEventSink: JSON, acks=all, idempotent, linger 5 ms, %d"
                  + " partitions), %d KafkaEventConsumers in one group (at most %d records per poll) into CassandraEventStore"
                  + " and CassandraEventIndex (at most %d writes in flight each)",
              events,
              aggregates,
              mode.eventsPerAggregate(),
              mode.callerThreads(),
              CassandraBenchmarks.AGGREGATES_PER_BATCH * mode.eventsPerAggregate(),
              PARTITIONS,
              CONSUMERS,
              MAX_POLL_RECORDS,
              CassandraBenchmarks.MAX_IN_FLIGHT);
      return List.of(
          new Result(
              "B3 full pipeline",
              "events/s",
              Stats.median(cursus),
              Math.min(rawKafka, rawCassandra),
              true,
              0.6,
              String.format(
                  "%s; events/s from the first emit until the consumers' handler has seen the"
                      + " last event persisted and indexed. Raw = the slower of raw Kafka"
                      + " produce (%,.0f events/s: kafka-clients, acks=all, idempotence on, the"
                      + " same JSON bytes, same threads and batches, waiting for each batch's"
                      + " acks) and raw Cassandra write (%,.0f events/s: prepared async inserts"
                      + " of the same rows, %d in flight, same threads); median of %d"
                      + " alternating repetitions",
                  setup,
                  rawKafka,
                  rawCassandra,
                  CassandraBenchmarks.MAX_IN_FLIGHT,
                  mode.repetitions())),
          new Result(
              "B3 full pipeline vs hand-built",
              "events/s",
              Stats.median(cursus),
              Stats.median(handBuilt),
              true,
              0.85,
              String.format(
                  "%s; the same events/s of Cursus's pipeline against the same pipeline written"
                      + " by hand on the Hazelcast IMap, kafka-clients and the Cassandra driver"
                      + " (HandBuiltPipeline: putIfAbsent with a TTL per event, the same JSON bytes"
                      + " produced with acks=all and idempotence, a consumer group committing"
                      + " after the batch's event rows and index rows, each index cell once per"
                      + " batch, are written with prepared async inserts, %d in flight); it does"
                      + " not validate, write the aggregate catalogue, keep first captures or"
                      + " dead-letter; the two take turns in going first; median of %d"
                      + " repetitions",
                  setup, CassandraBenchmarks.MAX_IN_FLIGHT, mode.repetitions())),
          handCpuResult(cpu, setup),
          lagResult("B3 end-to-end lag p50", lag, 50, setup),
          lagResult("B3 end-to-end lag p99", lag, 99, setup),
          cpuResult(cpu, setup));
    } finally {
      for (KafkaEventConsumer consumer : consumers) {
        consumer.close();
      }
    }
  }

  /** B3's hand-built pipeline on {@code topic}, its consumers in group {@code group}. */
  private HandBuiltPipeline handBuilt(
      CassandraBenchmarks cassandra,
      CqlSession session,
      HazelcastInstance member,
      KafkaBroker kafka,
      String topic,
      String group,
      HandBuiltPipeline.Envelope envelope) {
    return new HandBuiltPipeline(
        mode,
        cassandra,
        session,
        member,
        kafka,
        topic,
        group,
        envelope,
        CONSUMERS,
        MAX_POLL_RECORDS);
  }

  // --- B13 compact envelope --------------------------------------------------------------------

  /**
   * B3's hand-built pipeline twice, taking turns: with Cursus's JSON envelope on the Kafka leg and
   * with a compact CBOR one ({@link CborEnvelope}). The issue offers a compact envelope only if it
   * gains 10% or more end to end: this is that measurement.
   */
  List<Result> compactEnvelope(
      CqlSession session, CassandraBenchmarks cassandra, KafkaBroker kafka) {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String jsonTopic = "b13-json-" + run;
    String cborTopic = "b13-cbor-" + run;
    kafka.createTopics(PARTITIONS, jsonTopic, cborTopic);
    Map<String, List<Double>> cpu = new LinkedHashMap<>();
    List<Double> jsonRates = new ArrayList<>();
    List<Double> cborRates = new ArrayList<>();
    int aggregates = mode.pipelineAggregates();
    int events = mode.pipelineEvents();
    long jsonBytes;
    long cborBytes;
    try (HazelcastMembers hazelcast = HazelcastMembers.start(1);
        HandBuiltPipeline withJson =
            handBuilt(
                cassandra,
                session,
                hazelcast.member(),
                kafka,
                jsonTopic,
                "b13j-" + run,
                HandBuiltPipeline.Envelope.json(EventJson.using(Parcels.REGISTRY)));
        HandBuiltPipeline withCbor =
            handBuilt(
                cassandra,
                session,
                hazelcast.member(),
                kafka,
                cborTopic,
                "b13c-" + run,
                HandBuiltPipeline.Envelope.cbor(new CborEnvelope(Parcels.REGISTRY)))) {
      log("B13 compact envelope: warm-up");
      withJson.run("jw", aggregates / 5);
      withCbor.run("cw", aggregates / 5);
      long jsonBefore = withJson.envelopeBytes();
      long cborBefore = withCbor.envelopeBytes();
      for (int rep = 0; rep < mode.repetitions(); rep++) {
        for (int turn = 0; turn < 2; turn++) {
          boolean cbor = (rep + turn) % 2 == 1;
          CpuTime before = CpuTime.now();
          double seconds =
              cbor ? withCbor.run("c" + rep, aggregates) : withJson.run("j" + rep, aggregates);
          addCpu(
              cpu,
              cbor ? "CBOR envelope" : "JSON envelope",
              CpuTime.now().microsPerEventSince(before, events));
          (cbor ? cborRates : jsonRates).add(events / seconds);
        }
        log(
            "B13 compact envelope %d: JSON %.0f events/s, CBOR %.0f events/s; CPU per event in"
                + " µs: %s",
            rep,
            jsonRates.get(rep),
            cborRates.get(rep),
            describe(cpu, ", ", values -> values.get(values.size() - 1)));
      }
      jsonBytes = withJson.envelopeBytes() - jsonBefore;
      cborBytes = withCbor.envelopeBytes() - cborBefore;
    }
    long sent = (long) events * mode.repetitions();
    String setup =
        String.format(
            "B3's hand-built pipeline (HandBuiltPipeline: %d producer threads, putIfAbsent per"
                + " event on one Hazelcast member, kafka-clients with acks=all and idempotence,"
                + " %d partitions, %d consumers in a group, the event rows and index rows written"
                + " to Cassandra) run twice per repetition, taking turns in going first: with"
                + " Cursus's JSON envelope (EventJson) and with a CBOR envelope of the same fields"
                + " (CborEnvelope: Jackson CBOR, time as seconds and nanoseconds, processing id as"
                + " 16 bytes, parameters as CBOR of their declared types); %,d events per run;"
                + " median of %d repetitions",
            mode.callerThreads(), PARTITIONS, CONSUMERS, events, mode.repetitions());
    return List.of(
        new Result(
            "B13 compact envelope (CBOR) vs JSON",
            "events/s",
            Stats.median(cborRates),
            Stats.median(jsonRates),
            true,
            Double.NaN,
            setup
                + "; the issue adopts a compact envelope, as an option, only if this is 1.1x or"
                + " more"),
        new Result(
            "B13 CPU per event, CBOR vs JSON",
            "µs",
            Stats.median(cpu.get("CBOR envelope: all")),
            Stats.median(cpu.get("JSON envelope: all")),
            false,
            Double.NaN,
            setup + "; CPU of every process (benchmark JVM, Cassandra, broker) per event"),
        new Result(
            "B13 envelope size, CBOR vs JSON",
            "bytes",
            cborBytes / (double) sent,
            jsonBytes / (double) sent,
            false,
            Double.NaN,
            setup + "; mean bytes of one envelope as produced to Kafka"));
  }

  /** CPU per event of Cursus's pipeline against the hand-built one, all processes each. */
  private static Result handCpuResult(Map<String, List<Double>> cpu, String setup) {
    List<Double> pipeline = cpu.get("Cursus pipeline: all");
    List<Double> hand = cpu.get("hand-built pipeline: all");
    return new Result(
        "B3 CPU per event vs hand-built",
        "µs",
        pipeline == null ? Double.NaN : Stats.median(pipeline),
        hand == null ? Double.NaN : Stats.median(hand),
        false,
        1.2,
        String.format(
            "%s; CPU time (user + system, every thread) of the benchmark JVM and the engines'"
                + " processes per event, Cursus's pipeline against the hand-built one doing the"
                + " same work (see the row above), median of the repetitions",
            setup));
  }

  private static void addCpu(
      Map<String, List<Double>> cpu, String phase, Map<String, Double> perEvent) {
    double total = 0;
    for (Map.Entry<String, Double> process : perEvent.entrySet()) {
      cpu.computeIfAbsent(phase + ": " + process.getKey(), k -> new ArrayList<>())
          .add(process.getValue());
      total += process.getValue();
    }
    cpu.computeIfAbsent(phase + ": all", k -> new ArrayList<>()).add(total);
  }

  /** Each phase and process with {@code pick} of its figures, as "phase: process 12". */
  private static String describe(
      Map<String, List<Double>> cpu, String separator, ToDoubleFunction<List<Double>> pick) {
    StringBuilder text = new StringBuilder();
    cpu.forEach(
        (key, values) ->
            text.append(text.length() == 0 ? "" : separator)
                .append(key)
                .append(String.format(" %.0f", pick.applyAsDouble(values))));
    return text.toString();
  }

  /**
   * CPU per event of the pipeline against the raw Cassandra write (all processes each: the
   * benchmark JVM, Cassandra and, for the pipeline, the broker), with the split per process in the
   * detail. A cost, so lower is better; reported without a target.
   */
  private static Result cpuResult(Map<String, List<Double>> cpu, String setup) {
    List<Double> pipeline = cpu.get("Cursus pipeline: all");
    List<Double> raw = cpu.get("raw Cassandra write: all");
    return new Result(
        "B3 CPU per event",
        "µs",
        pipeline == null ? Double.NaN : Stats.median(pipeline),
        raw == null ? Double.NaN : Stats.median(raw),
        false,
        Double.NaN,
        String.format(
            "%s; CPU time (user + system, every thread: JIT, GC and engine background work"
                + " included) that the benchmark JVM and the testkit's engine processes used"
                + " during each phase, divided by its events, median of the repetitions. Per"
                + " phase and process (µs per event): %s. No target: it explains the events/s"
                + " figures, since all processes share the machine's cores",
            setup, describe(cpu, "; ", Stats::median)));
  }

  /** {@code filter}, adding the time each check takes to {@code times}. */
  private static IdempotencyFilter timed(IdempotencyFilter filter, StageTimes times) {
    return new IdempotencyFilter() {
      @Override
      public boolean test(Event event) {
        long start = System.nanoTime();
        try {
          return filter.test(event);
        } finally {
          times.idempotency.add(System.nanoTime() - start);
        }
      }

      @Override
      public void forget(Event event) {
        filter.forget(event);
      }
    };
  }

  private static Result lagResult(String id, long[] lagMicros, double percentile, String setup) {
    return new Result(
        id,
        "ms",
        Stats.percentile(lagMicros, percentile) / 1e3,
        Double.NaN,
        false,
        Double.NaN,
        String.format(
            "%s; per event, from the capture time in its processing id (stamped by the bus at"
                + " emit) to the handler seeing it after persist and index, over every event of"
                + " the measured repetitions; producers emit as fast as they can, so this is the"
                + " lag of a saturated pipeline (mostly the backlog in Kafka), not of a light"
                + " load; no raw counterpart, no target",
            setup));
  }

  /** Emits {@code aggregates} parcels' events; returns the seconds until all were handled. */
  private double emitCursus(
      EventBus bus,
      Handled handled,
      String run,
      int aggregates,
      List<KafkaEventConsumer> consumers,
      StageTimes times) {
    int events = aggregates * mode.eventsPerAggregate();
    handled.reset();
    long start = System.nanoTime();
    Parallel.run(
        mode.callerThreads(),
        aggregates / CassandraBenchmarks.AGGREGATES_PER_BATCH,
        batch -> {
          long begin = System.nanoTime();
          bus.batch(
              b -> {
                ParcelEvents emit = b.emitter(ParcelEvents.class);
                for (int a = 0; a < CassandraBenchmarks.AGGREGATES_PER_BATCH; a++) {
                  String id =
                      "b3" + run + "-" + (batch * CassandraBenchmarks.AGGREGATES_PER_BATCH + a);
                  for (int i = 0; i < mode.eventsPerAggregate(); i++) {
                    emit(emit, id, i);
                  }
                }
              });
          times.emit.add(System.nanoTime() - begin);
        });
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (handled.count() < events) {
      for (KafkaEventConsumer consumer : consumers) {
        consumer
            .failure()
            .ifPresent(
                f -> {
                  throw new IllegalStateException("a B3 consumer failed", f);
                });
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "B3: only " + handled.count() + " of " + events + " events handled after 5 minutes");
      }
      sleep();
    }
    return (handled.lastNanos() - start) / 1e9;
  }

  /** The {@code index}-th event of a parcel, as {@link Parcels#event} builds it by hand. */
  private static void emit(ParcelEvents emit, String parcelId, int index) {
    StreamTimestamp at = StreamTimestamp.of(Parcels.STREAM, Parcels.T0.plusMillis(index));
    if (index == 0) {
      emit.receivedAtDepot(at, parcelId, "depot-" + (index % 7));
    } else if (index % 2 == 1) {
      emit.loadedOntoTruck(at, parcelId, "truck-" + (index % 13));
    } else {
      emit.arrivedAtDepot(at, parcelId, "depot-" + (index % 7));
    }
  }

  private double produceRaw(
      KafkaProducer<String, byte[]> producer,
      String topic,
      EventJson json,
      String run,
      int aggregates,
      CassandraBenchmarks cassandra) {
    int batches = aggregates / CassandraBenchmarks.AGGREGATES_PER_BATCH;
    List<List<ProducerRecord<String, byte[]>>> records = new ArrayList<>(batches);
    for (int b = 0; b < batches; b++) {
      List<ProducerRecord<String, byte[]>> batch = new ArrayList<>();
      for (Event event : cassandra.batchOf("b3k" + run, b)) {
        Event captured = event.captured();
        batch.add(
            new ProducerRecord<>(topic, KafkaEventSink.keyOf(captured), json.write(captured)));
      }
      records.add(batch);
    }
    return Parallel.run(
        mode.callerThreads(),
        batches,
        b -> {
          List<Future<RecordMetadata>> acks = new ArrayList<>();
          for (ProducerRecord<String, byte[]> record : records.get(b)) {
            acks.add(producer.send(record));
          }
          for (Future<RecordMetadata> ack : acks) {
            try {
              ack.get(30, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
              throw new IllegalStateException("raw Kafka produce failed", e);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IllegalStateException("interrupted", e);
            }
          }
        });
  }

  /** A producer with the sink's settings: acks=all, idempotence on, linger 5 ms, 64 KiB batches. */
  static KafkaProducer<String, byte[]> rawProducer(KafkaBroker kafka) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true,
            ProducerConfig.LINGER_MS_CONFIG,
            5,
            ProducerConfig.BATCH_SIZE_CONFIG,
            64 * 1024),
        new StringSerializer(),
        new ByteArraySerializer());
  }

  private static void sleep() {
    try {
      Thread.sleep(2);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the B3 consumers", e);
    }
  }

  /** Time the consumers and the producers spent in each stage, summed over threads. */
  private static final class StageTimes {
    final LongAdder persist = new LongAdder();
    final LongAdder index = new LongAdder();
    final LongAdder batches = new LongAdder();
    final LongAdder events = new LongAdder();
    final LongAdder emit = new LongAdder();
    final LongAdder idempotency = new LongAdder();
    final LongAdder sink = new LongAdder();

    void reset() {
      for (LongAdder adder : List.of(persist, index, batches, events, emit, idempotency, sink)) {
        adder.reset();
      }
    }
  }

  /** The consumers' handler: counts events and records each one's lag since capture. */
  private static final class Handled implements Consumer<Event> {
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong lastNanos = new AtomicLong();
    private final List<Long> lags = new ArrayList<>();

    @Override
    public void accept(Event event) {
      Instant now = Instant.now();
      Instant captured = event.processingTime().orElseThrow();
      long lag = Duration.between(captured, now).toNanos() / 1_000;
      synchronized (lags) {
        lags.add(lag);
      }
      count.incrementAndGet();
      lastNanos.accumulateAndGet(System.nanoTime(), Math::max);
    }

    void reset() {
      synchronized (lags) {
        lags.clear();
      }
      count.set(0);
    }

    long count() {
      return count.get();
    }

    long lastNanos() {
      return lastNanos.get();
    }

    List<Long> lagsMicros() {
      synchronized (lags) {
        return new ArrayList<>(lags);
      }
    }

    long[] lagsArray() {
      return lagsMicros().stream().mapToLong(Long::longValue).toArray();
    }
  }
}
