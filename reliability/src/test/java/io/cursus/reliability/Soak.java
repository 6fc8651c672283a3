package io.cursus.reliability;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.cursus.api.AggregateId;
import io.cursus.api.CursusException;
import io.cursus.api.Event;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.fixtures.ParcelEvents;
import io.cursus.api.mapping.EventMapper;
import io.cursus.api.projection.Projection;
import io.cursus.api.projection.ProjectionStatus;
import io.cursus.api.projection.Projections;
import io.cursus.api.store.AppendCondition;
import io.cursus.api.store.AppendConflictException;
import io.cursus.api.store.HistoryQuery;
import io.cursus.api.store.TokenedHistory;
import io.cursus.cassandra.CassandraCheckpointStore;
import io.cursus.cassandra.CassandraEventIndex;
import io.cursus.cassandra.CassandraEventStore;
import io.cursus.cassandra.CassandraFailures;
import io.cursus.cassandra.CassandraParkedEventStore;
import io.cursus.cassandra.CassandraSchema;
import io.cursus.cassandra.CassandraTables;
import io.cursus.middleware.kafka.KafkaEventConsumer;
import io.cursus.middleware.kafka.KafkaEventSink;
import io.cursus.middleware.kafka.KafkaProjectionSource;
import io.cursus.testkit.Engines;
import io.cursus.testkit.KafkaBroker;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * R9, the soak: not part of {@code mvn verify}; run it with {@code reliability/soak.sh}.
 *
 * <p>Starts Cassandra and Kafka through the testkit, runs a producer (Kafka sink) and a consumer
 * (Kafka to Cassandra store and index), measures the maximum sustained end-to-end rate for a probe
 * period, then runs at half of it for the soak duration, sampling the heap after a GC and the
 * consumer lag every few seconds into {@code soak.csv}. Ends by checking a sample of the parcels in
 * the store and whether heap and lag stayed bounded; the exit code is 0 when they did.
 *
 * <p>Arguments (all optional): soak duration (ISO-8601, default PT10M), probe duration (default
 * PT30S), output folder (default reliability/target/soak).
 */
public final class Soak {

  private static final Duration SAMPLE_EVERY = Duration.ofSeconds(5);
  private static final int BATCH = 100;

  private Soak() {}

  public static void main(String[] args) throws Exception {
    Duration duration = Duration.parse(args.length > 0 ? args[0] : "PT10M");
    Duration probe = Duration.parse(args.length > 1 ? args[1] : "PT30S");
    Path out = Path.of(args.length > 2 ? args[2] : "reliability/target/soak");
    Files.createDirectories(out);
    int code;
    try {
      code = run(duration, probe, out);
    } finally {
      Engines.stopAll();
    }
    System.exit(code);
  }

  private static int run(Duration duration, Duration probe, Path out) throws Exception {
    KafkaBroker kafka = Engines.kafka();
    CassandraTables tables = CassandraTables.inKeyspace("cursus_soak");
    try (CqlSession session = Rig.connect(Engines.cassandra())) {
      CassandraSchema.of(tables).create(session);
      CassandraEventStore store =
          CassandraEventStore.builder(session, Parcels.REGISTRY).tables(tables).build();
      CassandraEventIndex index =
          CassandraEventIndex.builder(session, Parcels.REGISTRY).tables(tables).build();
      String topic = Rig.freshTopic(kafka, "soak", 4);
      Tally sample = new Tally("R9 soak " + duration + " (sampled parcels)");
      AtomicLong acknowledged = new AtomicLong();
      AtomicLong targetRate = new AtomicLong(0); // events/s; 0 = as fast as possible
      AtomicBoolean stop = new AtomicBoolean();
      List<Throwable> producerFailures = new ArrayList<>();
      Thread producer =
          new Thread(
              () -> produce(kafka, topic, sample, acknowledged, targetRate, stop, producerFailures),
              "soak-producer");
      session.execute(
          "CREATE TABLE IF NOT EXISTS cursus_soak.soak_trail (parcel text PRIMARY KEY, trail text)");
      PreparedStatement writeTrail =
          session.prepare("INSERT INTO cursus_soak.soak_trail (parcel, trail) VALUES (?, ?)");
      AtomicLong projected = new AtomicLong();
      Decisions decisions = new Decisions(store);
      Thread[] deciders = new Thread[Decisions.THREADS];
      try (KafkaEventConsumer consumer =
              Rig.consumer(kafka, topic, "soak", store).indexer(index).maxPollRecords(500).build();
          KafkaProjectionSource source =
              KafkaProjectionSource.builder(kafka.bootstrapServers(), topic, "soak", Parcels.JSON)
                  .build();
          Projections projections =
              Projections.builder(source, store, store)
                  .checkpoints(CassandraCheckpointStore.using(session, tables))
                  .parkedEvents(CassandraParkedEventStore.using(session, tables, Parcels.REGISTRY))
                  .build()) {
        consumer.start();
        // an event projection counting what it is handed, and a state projection writing each
        // parcel's trail (its events in event-time order) to Cassandra
        projections.start(
            Projection.events("soak-events")
                .aggregateTypes("parcel")
                .batchSize(500)
                .handler(event -> projected.incrementAndGet())
                .build());
        projections.start(
            Projection.states(
                    "soak-trails", "parcel", history -> Optional.of(ProjectionMain.trail(history)))
                .batchSize(500)
                .handler(
                    (AggregateId id, String trail) ->
                        session.execute(writeTrail.bind(id.id(), trail)))
                .transientWhen(CassandraFailures::isTransient)
                .build());
        Rig.await(
            "both projections live",
            Duration.ofMinutes(2),
            () ->
                projections.statuses().stream()
                    .allMatch(p -> p.phase() == ProjectionStatus.Phase.LIVE));
        producer.start();
        for (int d = 0; d < deciders.length; d++) {
          deciders[d] = new Thread(() -> decisions.run(stop), "soak-decider-" + d);
          deciders[d].start();
        }

        // probe: as fast as possible; the rate is what the consumer stored in the second half
        Thread.sleep(probe.toMillis() / 2);
        long from = consumer.eventsProcessed();
        long fromNanos = System.nanoTime();
        Thread.sleep(probe.toMillis() / 2);
        double max = (consumer.eventsProcessed() - from) * 1e9 / (System.nanoTime() - fromNanos);
        long half = Math.max(1, Math.round(max / 2));
        System.out.printf("probe: maximum sustained %.0f events/s; soaking at %d%n", max, half);
        targetRate.set(half);
        Rig.await(
            "the consumer caught up after the probe",
            Duration.ofMinutes(3),
            () -> consumer.eventsProcessed() >= acknowledged.get());

        // soak
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        List<long[]> samples = new ArrayList<>(); // seconds, heap, lag
        long start = System.nanoTime();
        long startAcked = acknowledged.get();
        long startProcessed = consumer.eventsProcessed();
        try (PrintWriter csv =
            new PrintWriter(
                Files.newBufferedWriter(out.resolve("soak.csv"), StandardCharsets.UTF_8))) {
          csv.println(
              "seconds,acknowledged,stored,lag,heap_after_gc_mb,retries,projection_lag,"
                  + "decisions,conflicts");
          while (System.nanoTime() - start < duration.toNanos()) {
            Thread.sleep(SAMPLE_EVERY.toMillis());
            if (consumer.failure().isPresent() || !producerFailures.isEmpty()) {
              break;
            }
            System.gc();
            long heap = memory.getHeapMemoryUsage().getUsed();
            long acked = acknowledged.get() - startAcked;
            long stored = consumer.eventsProcessed() - startProcessed;
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            long lag = Math.max(0, acked - stored);
            long projectionLag =
                projections.statuses().stream()
                    .mapToLong(ProjectionStatus::lagEvents)
                    .max()
                    .orElse(0);
            samples.add(new long[] {seconds, heap, lag, projectionLag});
            csv.printf(
                "%d,%d,%d,%d,%d,%d,%d,%d,%d%n",
                seconds,
                acked,
                stored,
                lag,
                heap >> 20,
                consumer.retries(),
                projectionLag,
                decisions.won.get(),
                decisions.conflicts.get());
            csv.flush();
          }
        }
        stop.set(true);
        producer.join(60_000);
        for (Thread decider : deciders) {
          decider.join(60_000);
        }
        Rig.await(
            "the consumer caught up at the end",
            Duration.ofMinutes(3),
            () -> consumer.eventsProcessed() >= acknowledged.get());
        Rig.await(
            "the projections caught up at the end",
            Duration.ofMinutes(3),
            () ->
                projections.statuses().stream()
                    .allMatch(p -> p.phase() == ProjectionStatus.Phase.LIVE && p.lagEvents() == 0));
        long trailsWrong =
            sample.parcelsWhere(
                store,
                history -> {
                  var row =
                      session
                          .execute(
                              "SELECT trail FROM cursus_soak.soak_trail WHERE parcel = ?",
                              history.get(0).aggregateId().id())
                          .one();
                  return row == null || !row.getString(0).equals(ProjectionMain.trail(history));
                });
        String decided = decisions.check();
        double seconds = (System.nanoTime() - start) / 1e9;
        long soaked = acknowledged.get() - startAcked;

        Tally.Result result = sample.check(store);
        int third = Math.max(1, samples.size() / 3);
        long heapFirst = max(samples.subList(0, third), 1);
        long heapLast = max(samples.subList(samples.size() - third, samples.size()), 1);
        long lagFirst = max(samples.subList(0, third), 2);
        long lagLast = max(samples.subList(samples.size() - third, samples.size()), 2);
        long projectionLagFirst = max(samples.subList(0, third), 3);
        long projectionLagLast = max(samples.subList(samples.size() - third, samples.size()), 3);
        boolean projectionLagBounded = projectionLagLast <= 2 * projectionLagFirst + 5 * half;
        long parked = projections.statuses().stream().mapToLong(ProjectionStatus::parked).sum();
        boolean heapBounded = heapLast <= heapFirst * 3 / 2 + (32L << 20);
        boolean lagBounded = lagLast <= 2 * lagFirst + 5 * half;
        boolean clean =
            consumer.failure().isEmpty()
                && producerFailures.isEmpty()
                && result.lost() == 0
                && result.duplicated() == 0
                && trailsWrong == 0
                && parked == 0
                && decided.startsWith("exact");
        String summary =
            String.format(
                "R9 soak %s at %d events/s (half of the measured %.0f): %d events in %.0f s"
                    + " (%.0f/s); heap after GC max %d MB in the first third, %d MB in the last"
                    + " (%s); lag max %d events in the first third, %d in the last (%s); consumer"
                    + " failure %s, producer failures %d; sampled parcels: %s; projections:"
                    + " lag max %d events in the first third, %d in the last (%s), %d events"
                    + " handed to the event projection, %d parked, sampled trails differing from"
                    + " a fresh fold %d; decisions: %s; %s",
                duration,
                half,
                max,
                soaked,
                seconds,
                soaked / seconds,
                heapFirst >> 20,
                heapLast >> 20,
                heapBounded ? "bounded" : "GROWING",
                lagFirst,
                lagLast,
                lagBounded ? "bounded" : "GROWING",
                consumer.failure().map(Throwable::toString).orElse("none"),
                producerFailures.size(),
                result.line(),
                projectionLagFirst,
                projectionLagLast,
                projectionLagBounded ? "bounded" : "GROWING",
                projected.get(),
                parked,
                trailsWrong,
                decided,
                Instant.now());
        System.out.println(summary);
        Files.writeString(out.resolve("summary.txt"), summary + "\n", StandardCharsets.UTF_8);
        return heapBounded && lagBounded && projectionLagBounded && clean ? 0 : 1;
      } finally {
        stop.set(true);
        producer.join(60_000);
        for (Thread decider : deciders) {
          if (decider != null) {
            decider.join(60_000);
          }
        }
      }
    } catch (IOException e) {
      throw new IOException("the soak could not write to " + out, e);
    }
  }

  private static void produce(
      KafkaBroker kafka,
      String topic,
      Tally sample,
      AtomicLong acknowledged,
      AtomicLong targetRate,
      AtomicBoolean stop,
      List<Throwable> failures) {
    Random random = new Random(9);
    try (KafkaEventSink sink = Rig.sink(kafka, topic).compression("lz4").build()) {
      long next = System.nanoTime();
      while (!stop.get()) {
        List<Event> batch = Parcels.flatten(Parcels.journeys(BATCH / 4));
        sink.accept(batch);
        if (random.nextInt(200) == 0) { // keep about one batch in 200 for the final check
          sample.delivered(batch);
        }
        acknowledged.addAndGet(batch.size());
        long rate = targetRate.get();
        if (rate > 0) {
          next += BATCH * 1_000_000_000L / rate;
          long wait = next - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
        } else {
          next = System.nanoTime();
        }
      }
    } catch (RuntimeException | InterruptedException e) {
      synchronized (failures) {
        failures.add(e);
      }
      System.err.println("soak producer failed: " + e);
    }
  }

  /**
   * Conditional appends during the soak: {@value #THREADS} threads decide on {@value #AGGREGATES}
   * parcels, each decision reading a parcel's history with its token and appending one event at the
   * next second of the parcel's stream on the condition that nothing changed since. At the end each
   * parcel must hold exactly the events whose deciders were told they won: a double winner (two
   * appends from one token) would write two events at one timestamp, one upserting the other.
   */
  private static final class Decisions {
    static final int THREADS = 4;
    static final int AGGREGATES = 8;

    final CassandraEventStore store;
    final List<UUID> parcels = new ArrayList<>();
    final java.util.concurrent.atomic.AtomicLongArray winners =
        new java.util.concurrent.atomic.AtomicLongArray(AGGREGATES);
    final AtomicLong won = new AtomicLong();
    final AtomicLong conflicts = new AtomicLong();
    final AtomicLong transientFailures = new AtomicLong();

    Decisions(CassandraEventStore store) {
      this.store = store;
      for (int i = 0; i < AGGREGATES; i++) {
        parcels.add(UUID.randomUUID());
      }
    }

    void run(AtomicBoolean stop) {
      Random random = new Random();
      while (!stop.get()) {
        int which = random.nextInt(AGGREGATES);
        UUID parcel = parcels.get(which);
        try {
          TokenedHistory read =
              store.historyWithToken(
                  AggregateId.of("parcel", parcel.toString()), HistoryQuery.all());
          List<Event> decided = new ArrayList<>(1);
          ParcelEvents emit = EventMapper.emitter(ParcelEvents.class, decided::add);
          StreamTimestamp at =
              StreamTimestamp.of("decider", Parcels.START.plusSeconds(read.events().size()));
          if (read.events().isEmpty()) {
            emit.receivedAtDepot(at, parcel, "Lewisham");
          } else {
            emit.arrivedAtDepot(at, parcel, "depot-" + read.events().size());
          }
          store.append(decided, AppendCondition.unchangedSince(read.token()));
          winners.incrementAndGet(which);
          won.incrementAndGet();
        } catch (AppendConflictException e) {
          conflicts.incrementAndGet();
        } catch (CursusException e) {
          if (!e.isTransient()) {
            throw e;
          }
          transientFailures.incrementAndGet(); // the outcome is unknown: the check allows for it
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    /** "exact: …" when every parcel holds its told winners' events, else what differs. */
    String check() {
      StringBuilder wrong = new StringBuilder();
      long stored = 0;
      for (int i = 0; i < AGGREGATES; i++) {
        int held =
            store
                .read(AggregateId.of("parcel", parcels.get(i).toString()), HistoryQuery.all())
                .toList()
                .size();
        stored += held;
        long told = winners.get(i);
        // a transient failure may have been applied without the decider being told
        if (held < told || held > told + transientFailures.get()) {
          wrong.append(String.format(" parcel %d holds %d, told winners %d;", i, held, told));
        }
      }
      return String.format(
          "%s %d decisions won, %d stored, %d conflicts, %d transient failures on %d parcels"
              + " from %d threads%s",
          wrong.length() == 0 ? "exact:" : "WRONG:",
          won.get(),
          stored,
          conflicts.get(),
          transientFailures.get(),
          AGGREGATES,
          THREADS,
          wrong);
    }
  }

  private static long max(List<long[]> samples, int column) {
    return samples.stream().mapToLong(s -> s[column]).max().orElse(0);
  }
}
