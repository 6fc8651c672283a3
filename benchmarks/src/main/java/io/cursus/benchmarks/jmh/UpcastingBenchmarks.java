package io.cursus.benchmarks.jmh;

import io.cursus.api.Event;
import io.cursus.api.HandlesEventsFor;
import io.cursus.api.ProcessingIds;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.Version;
import io.cursus.api.evolution.Upcasters;
import io.cursus.api.mapping.EventMapper;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.benchmarks.model.Parcels;
import io.cursus.json.EventJson;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * B7: reading stored events through one upcaster against reading them at their current version: the
 * same envelope bytes a store or a topic holds, read by {@link EventJson} (the path of the Kafka
 * consumer and, per row, of the Cassandra store's upcast rows). Both sides produce equal events
 * (checked by the module's unit test).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class UpcastingBenchmarks {

  /** The first declaration: a move without who made it. */
  @HandlesEventsFor("crate")
  public interface CrateV1 {
    void moved(StreamTimestamp ts, String crateId, String place, long weight);
  }

  /** The current declaration: version 2 says who moved it. */
  @HandlesEventsFor("crate")
  public interface CrateV2 {
    @Version("2")
    void moved(StreamTimestamp ts, String crateId, String place, long weight, String by);
  }

  static final int HISTORY = 100;

  /**
   * The registry of the current declaration, with the one upcaster from version 1 (adds {@code by},
   * {@code "depot"}); also B10's migration registry.
   */
  public static EventTypeRegistry currentRegistry() {
    return EventTypeRegistry.of(CrateV2.class)
        .withUpcasters(Upcasters.builder().addParameter("crate", "moved", 1, "by", "depot"));
  }

  private EventJson current;
  private List<byte[]> storedAtVersion1;
  private List<byte[]> storedAtVersion2;

  @Setup
  public void setUp() {
    current = EventJson.using(currentRegistry());
    EventJson v1Json = EventJson.using(EventTypeRegistry.of(CrateV1.class));
    storedAtVersion1 = new ArrayList<>();
    storedAtVersion2 = new ArrayList<>();
    List<Event> one = new ArrayList<>();
    List<Event> two = new ArrayList<>();
    CrateV1 first = EventMapper.emitter(CrateV1.class, one::add);
    CrateV2 second = EventMapper.emitter(CrateV2.class, two::add);
    for (int i = 0; i < HISTORY; i++) {
      StreamTimestamp at = StreamTimestamp.of(Parcels.STREAM, Parcels.T0.plusSeconds(i));
      first.moved(at, "crate-1", "bay " + i, 1000L + i);
      second.moved(at, "crate-1", "bay " + i, 1000L + i, "depot");
      UUID processingId = ProcessingIds.next();
      storedAtVersion1.add(v1Json.write(one.get(i).withProcessingId(processingId)));
      storedAtVersion2.add(current.write(two.get(i).withProcessingId(processingId)));
    }
  }

  /** A history of {@value #HISTORY} events stored at version 2, read as they are. */
  @Benchmark
  public List<Event> readHistoryAtCurrentVersion() {
    List<Event> history = new ArrayList<>(HISTORY);
    for (byte[] envelope : storedAtVersion2) {
      history.add(current.read(envelope));
    }
    return history;
  }

  /** The same history stored at version 1, read through one upcaster. */
  @Benchmark
  public List<Event> readHistoryThroughOneUpcaster() {
    List<Event> history = new ArrayList<>(HISTORY);
    for (byte[] envelope : storedAtVersion1) {
      history.add(current.read(envelope));
    }
    return history;
  }
}
