package io.cursus.reliability;

import com.datastax.oss.driver.api.core.CqlSession;
import io.cursus.api.Event;
import io.cursus.cassandra.CassandraEventIndex;
import io.cursus.cassandra.CassandraEventStore;
import io.cursus.cassandra.CassandraSchema;
import io.cursus.cassandra.CassandraTables;
import io.cursus.middleware.kafka.KafkaEventConsumer;
import io.cursus.middleware.kafka.KafkaEventSink;
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
import java.util.Random;
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
      try (KafkaEventConsumer consumer =
          Rig.consumer(kafka, topic, "soak", store).indexer(index).maxPollRecords(500).build()) {
        consumer.start();
        producer.start();

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
          csv.println("seconds,acknowledged,stored,lag,heap_after_gc_mb,retries");
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
            samples.add(new long[] {seconds, heap, lag});
            csv.printf(
                "%d,%d,%d,%d,%d,%d%n", seconds, acked, stored, lag, heap >> 20, consumer.retries());
            csv.flush();
          }
        }
        stop.set(true);
        producer.join(60_000);
        Rig.await(
            "the consumer caught up at the end",
            Duration.ofMinutes(3),
            () -> consumer.eventsProcessed() >= acknowledged.get());
        double seconds = (System.nanoTime() - start) / 1e9;
        long soaked = acknowledged.get() - startAcked;

        Tally.Result result = sample.check(store);
        int third = Math.max(1, samples.size() / 3);
        long heapFirst = max(samples.subList(0, third), 1);
        long heapLast = max(samples.subList(samples.size() - third, samples.size()), 1);
        long lagFirst = max(samples.subList(0, third), 2);
        long lagLast = max(samples.subList(samples.size() - third, samples.size()), 2);
        boolean heapBounded = heapLast <= heapFirst * 3 / 2 + (32L << 20);
        boolean lagBounded = lagLast <= 2 * lagFirst + 5 * half;
        boolean clean =
            consumer.failure().isEmpty()
                && producerFailures.isEmpty()
                && result.lost() == 0
                && result.duplicated() == 0;
        String summary =
            String.format(
                "R9 soak %s at %d events/s (half of the measured %.0f): %d events in %.0f s"
                    + " (%.0f/s); heap after GC max %d MB in the first third, %d MB in the last"
                    + " (%s); lag max %d events in the first third, %d in the last (%s); consumer"
                    + " failure %s, producer failures %d; sampled parcels: %s; %s",
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
                Instant.now());
        System.out.println(summary);
        Files.writeString(out.resolve("summary.txt"), summary + "\n", StandardCharsets.UTF_8);
        return heapBounded && lagBounded && clean ? 0 : 1;
      } finally {
        stop.set(true);
        producer.join(60_000);
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

  private static long max(List<long[]> samples, int column) {
    return samples.stream().mapToLong(s -> s[column]).max().orElse(0);
  }
}
