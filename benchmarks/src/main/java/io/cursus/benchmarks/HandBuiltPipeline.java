package io.cursus.benchmarks;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.cursus.api.Event;
import io.cursus.json.EventJson;
import io.cursus.middleware.IdempotencyFilter;
import io.cursus.middleware.kafka.KafkaEventSink;
import io.cursus.testkit.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * B3's second baseline: the pipeline a competent engineer would write directly on the Hazelcast
 * IMap, kafka-clients and the Cassandra driver, with the same guarantees as Cursus's: each event's
 * identity checked with {@code putIfAbsent} and a TTL (one synchronous call per event, as the
 * Hazelcast documentation shows it), the same JSON bytes produced with acks=all and idempotence
 * (waiting for each batch's acknowledgements), a consumer group reading with auto-commit off, each
 * polled batch's event rows and index rows (latest value per aggregate and parameter, and the value
 * lookup row, each written once per polled batch with the event's time as write timestamp, as
 * Cursus's index does) inserted with prepared async statements, and the offsets committed once they
 * are all written.
 *
 * <p>What it does not do that Cursus does: validate events against their declarations, write the
 * aggregate catalogue (the list of aggregates of a type, which catch-ups and replays read), keep
 * the first capture of a repeated event, dead-letter a record it cannot read, or retry a failed
 * write. It is the floor for the same rows and the same guarantees of delivery, not for the same
 * features.
 */
final class HandBuiltPipeline implements AutoCloseable {

  private final Mode mode;
  private final CassandraBenchmarks cassandra;
  private final CqlSession session;
  private final Envelope envelope;
  private final LongAdder envelopeBytes = new LongAdder();
  private final IMap<String, Long> seen;
  private final KafkaProducer<String, byte[]> producer;
  private final String topic;
  private final PreparedStatement writeLatest;
  private final PreparedStatement writeValue;
  private final Semaphore inFlight = new Semaphore(CassandraBenchmarks.MAX_IN_FLIGHT);
  private final AtomicLong handled = new AtomicLong();
  private final AtomicLong lastHandled = new AtomicLong();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final List<Thread> consumers = new ArrayList<>();

  HandBuiltPipeline(
      Mode mode,
      CassandraBenchmarks cassandra,
      CqlSession session,
      HazelcastInstance member,
      KafkaBroker kafka,
      String topic,
      String group,
      Envelope envelope,
      int consumerThreads,
      int maxPollRecords) {
    this.mode = mode;
    this.cassandra = cassandra;
    this.session = session;
    this.envelope = envelope;
    this.seen = member.getMap("b3-hand-built-" + group);
    this.producer = MiddlewareBenchmarks.rawProducer(kafka);
    this.topic = topic;
    String keyspace = CassandraBenchmarks.TABLES.keyspace();
    session.execute(
        "CREATE TABLE IF NOT EXISTS "
            + keyspace
            + ".hand_latest (aggregate_type text, aggregate_id text, parameter text, value text,"
            + " PRIMARY KEY ((aggregate_type, aggregate_id), parameter))");
    session.execute(
        "CREATE TABLE IF NOT EXISTS "
            + keyspace
            + ".hand_value (aggregate_type text, parameter text, value text, aggregate_id text,"
            + " PRIMARY KEY ((aggregate_type, parameter, value), aggregate_id))");
    this.writeLatest =
        session.prepare(
            "UPDATE "
                + keyspace
                + ".hand_latest USING TIMESTAMP ? SET value = ?"
                + " WHERE aggregate_type = ? AND aggregate_id = ? AND parameter = ?");
    this.writeValue =
        session.prepare(
            "INSERT INTO "
                + keyspace
                + ".hand_value (aggregate_type, parameter, value, aggregate_id)"
                + " VALUES (?, ?, ?, ?) USING TIMESTAMP ?");
    for (int c = 0; c < consumerThreads; c++) {
      Map<String, Object> config = new HashMap<>();
      config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
      config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
      config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      KafkaConsumer<String, byte[]> consumer =
          new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
      Thread thread = new Thread(() -> consume(consumer), "b3-hand-built-consumer-" + c);
      thread.setDaemon(true);
      consumers.add(thread);
      thread.start();
    }
  }

  /** Emits {@code aggregates} parcels' events; returns the seconds until all were handled. */
  double run(String run, int aggregates) {
    int events = aggregates * mode.eventsPerAggregate();
    handled.set(0);
    long start = System.nanoTime();
    Parallel.run(
        mode.callerThreads(),
        aggregates / CassandraBenchmarks.AGGREGATES_PER_BATCH,
        b -> produce(cassandra.batchOf("b3h" + run, b)));
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (handled.get() < events) {
      Throwable failed = failure.get();
      if (failed != null) {
        throw new IllegalStateException("a hand-built consumer failed", failed);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "hand-built B3: only " + handled.get() + " of " + events + " handled after 5 minutes");
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    return (lastHandled.get() - start) / 1e9;
  }

  /** How events travel on the Kafka leg: Cursus's JSON envelope, or another. */
  record Envelope(Function<Event, byte[]> writer, Function<byte[], Event> reader) {

    /** Cursus's JSON envelope: the same bytes as its pipeline sends. */
    static Envelope json(EventJson json) {
      return new Envelope(json::write, json::read);
    }

    /** A compact envelope in CBOR ({@link CborEnvelope}). */
    static Envelope cbor(CborEnvelope cbor) {
      return new Envelope(cbor::write, cbor::read);
    }

    byte[] write(Event event) {
      return writer.apply(event);
    }

    Event read(byte[] bytes) {
      return reader.apply(bytes);
    }
  }

  /** The bytes produced so far, envelopes only. */
  long envelopeBytes() {
    return envelopeBytes.sum();
  }

  private byte[] written(Event event) {
    byte[] bytes = envelope.write(event);
    envelopeBytes.add(bytes.length);
    return bytes;
  }

  /** A caller's batch: check each identity, then produce what is new and wait for its acks. */
  private void produce(List<Event> batch) {
    List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
    long window = MiddlewareBenchmarks.WINDOW.toMillis();
    for (Event event : batch) {
      Event captured = event.captured();
      String key = IdempotencyFilter.identityKey(captured);
      if (seen.putIfAbsent(key, System.currentTimeMillis(), window, TimeUnit.MILLISECONDS)
          != null) {
        continue; // seen within the window
      }
      acks.add(
          producer.send(
              new ProducerRecord<>(topic, KafkaEventSink.keyOf(captured), written(captured))));
    }
    for (Future<RecordMetadata> ack : acks) {
      try {
        ack.get(30, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException("hand-built produce failed", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  private void consume(KafkaConsumer<String, byte[]> consumer) {
    try (consumer) {
      consumer.subscribe(List.of(topic));
      while (!stop.get()) {
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(100));
        if (records.isEmpty()) {
          continue;
        }
        List<CompletableFuture<AsyncResultSet>> writes = new ArrayList<>();
        // each index cell once per polled batch: the latest value of a parameter by event time,
        // and each value's lookup row with its newest time
        Map<List<String>, Long> latestTimes = new HashMap<>();
        Map<List<String>, String> latestValues = new HashMap<>();
        Map<List<String>, Long> valueRows = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
          Event event = envelope.read(record.value());
          writes.add(write(cassandra.rawInsertOf(event)));
          long micros = event.eventTime().toEpochMilli() * 1_000;
          String type = event.aggregateId().type();
          String id = event.aggregateId().id();
          for (Map.Entry<String, String> parameter :
              CassandraBenchmarks.rawParameters(event).entrySet()) {
            List<String> cell = List.of(type, id, parameter.getKey());
            Long known = latestTimes.get(cell);
            if (known == null || known < micros) {
              latestTimes.put(cell, micros);
              latestValues.put(cell, parameter.getValue());
            }
            valueRows.merge(
                List.of(type, parameter.getKey(), parameter.getValue(), id), micros, Math::max);
          }
        }
        latestTimes.forEach(
            (cell, micros) ->
                writes.add(
                    write(
                        writeLatest
                            .boundStatementBuilder()
                            .setLong(0, micros)
                            .setString(1, latestValues.get(cell))
                            .setString(2, cell.get(0))
                            .setString(3, cell.get(1))
                            .setString(4, cell.get(2))
                            .setConsistencyLevel(CassandraBenchmarks.CONSISTENCY)
                            .setTimeout(CassandraBenchmarks.TIMEOUT)
                            .setIdempotence(true)
                            .build())));
        valueRows.forEach(
            (row, micros) ->
                writes.add(
                    write(
                        writeValue
                            .boundStatementBuilder()
                            .setString(0, row.get(0))
                            .setString(1, row.get(1))
                            .setString(2, row.get(2))
                            .setString(3, row.get(3))
                            .setLong(4, micros)
                            .setConsistencyLevel(CassandraBenchmarks.CONSISTENCY)
                            .setTimeout(CassandraBenchmarks.TIMEOUT)
                            .setIdempotence(true)
                            .build())));
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
        consumer.commitSync();
        handled.addAndGet(records.count());
        lastHandled.accumulateAndGet(System.nanoTime(), Math::max);
      }
    } catch (RuntimeException e) {
      if (!stop.get()) {
        failure.compareAndSet(null, e);
      }
    }
  }

  private CompletableFuture<AsyncResultSet> write(
      com.datastax.oss.driver.api.core.cql.BoundStatement statement) {
    inFlight.acquireUninterruptibly();
    return session
        .executeAsync(statement)
        .toCompletableFuture()
        .whenComplete((r, f) -> inFlight.release());
  }

  @Override
  public void close() {
    stop.set(true);
    for (Thread consumer : consumers) {
      try {
        consumer.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    producer.close();
  }
}
