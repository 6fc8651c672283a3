package io.cursus.reliability;

import com.datastax.oss.driver.api.core.CqlSession;
import io.cursus.api.Event;
import io.cursus.api.store.EventLog;
import io.cursus.cassandra.CassandraEventIndex;
import io.cursus.cassandra.CassandraEventStore;
import io.cursus.middleware.kafka.KafkaEventConsumer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A consumer process for R3: {@link KafkaEventConsumer} into Cassandra (keyspace {@value
 * Rig#KEYSPACE}), storing each batch in two halves.
 *
 * <p>Arguments: bootstrap servers, topic, group, Cassandra host, Cassandra port, and the number of
 * stored events after which it prints {@code MID-BATCH} between the two halves of a batch and waits
 * (so a SIGKILL lands in the middle of a batch; -1: never). It prints {@code stored N} after each
 * half, and exits when its standard input closes (its parent died) or on SIGTERM.
 */
public final class ConsumerMain {

  private ConsumerMain() {}

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String topic = args[1];
    String group = args[2];
    InetSocketAddress cassandra = new InetSocketAddress(args[3], Integer.parseInt(args[4]));
    long pauseAfter = Long.parseLong(args[5]);
    Thread orphanWatch =
        new Thread(
            () -> {
              try (InputStream in = System.in) {
                while (in.read() >= 0) {
                  // the parent writes nothing; end of input means it is gone
                }
              } catch (IOException e) {
                // the same: the parent is gone
              }
              System.exit(3);
            },
            "orphan-watch");
    orphanWatch.setDaemon(true);
    orphanWatch.start();

    CqlSession session = Rig.connect(List.of(cassandra));
    CassandraEventStore store =
        CassandraEventStore.builder(session, Parcels.REGISTRY).tables(Rig.TABLES).build();
    CassandraEventIndex index =
        CassandraEventIndex.builder(session, Parcels.REGISTRY).tables(Rig.TABLES).build();
    AtomicLong stored = new AtomicLong();
    EventLog inHalves =
        events -> {
          int half = events.size() / 2;
          for (List<Event> part :
              List.of(events.subList(0, half), events.subList(half, events.size()))) {
            if (part.isEmpty()) {
              continue;
            }
            store.append(part);
            System.out.println("stored " + stored.addAndGet(part.size()));
            if (pauseAfter >= 0 && stored.get() >= pauseAfter && part.size() < events.size()) {
              System.out.println("MID-BATCH");
              System.out.flush();
              sleep(Duration.ofMinutes(2)); // the parent kills us here
            }
          }
        };
    KafkaEventConsumer consumer =
        KafkaEventConsumer.builder(bootstrap, topic, group, Parcels.JSON, inHalves)
            .indexer(index)
            .maxPollRecords(100)
            .build();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  consumer.close();
                  session.close();
                  stopped.countDown();
                },
                "close-consumer"));
    System.out.println("started");
    consumer.run();
    System.out.println(
        "stopped; failure: " + consumer.failure().map(Throwable::toString).orElse("none"));
    stopped.await();
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
