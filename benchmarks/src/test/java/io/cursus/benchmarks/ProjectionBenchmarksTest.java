package io.cursus.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.api.Event;
import io.cursus.benchmarks.model.Parcels;
import io.cursus.json.EventJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** B9's raw side does the projection's work: decode every record, then the same handler. */
class ProjectionBenchmarksTest {

  private final EventJson json = EventJson.using(Parcels.REGISTRY);

  @Test
  void theRawConsumerDecodesEachRecordToTheEventThatWasSentCapturedAndKeyedByAggregate() {
    List<Event> sent = Parcels.history("p-1", 10);
    List<ConsumerRecord<String, byte[]>> polled = new ArrayList<>();
    for (Event event : sent) {
      ProducerRecord<String, byte[]> record = ProjectionBenchmarks.recordOf("t", event, json);
      polled.add(new ConsumerRecord<>("t", 0, polled.size(), record.key(), record.value()));
    }
    List<Event> handled = new ArrayList<>();

    ProjectionBenchmarks.handleRaw(polled, json, handled::add);

    assertThat(handled)
        .extracting(Event::identity)
        .isEqualTo(sent.stream().map(Event::identity).toList());
    assertThat(handled)
        .extracting(Event::parameters)
        .isEqualTo(sent.stream().map(Event::parameters).toList());
    assertThat(handled).allSatisfy(e -> assertThat(e.processingTime()).isPresent());
    assertThat(polled).extracting(ConsumerRecord::key).containsOnly(polled.get(0).key());
  }

  @Test
  void theHandlerWorkCountsEveryEventAndTheArrivalsPerDepot() {
    ProjectionBenchmarks.Work work = new ProjectionBenchmarks.Work(false);

    Parcels.history("p-1", 4).forEach(work);

    assertThat(work.count()).isEqualTo(4);
    assertThat(work.arrivalsPerDepot()).isEqualTo(Map.of("depot-0", 1, "depot-2", 1));
    assertThat(work.lagsMicros()).isEmpty();
  }

  @Test
  void theLagRunRecordsOneLagPerEventFromItsCaptureTime() {
    ProjectionBenchmarks.Work work = new ProjectionBenchmarks.Work(true);

    Parcels.history("p-1", 3).forEach(e -> work.accept(e.captured()));

    assertThat(work.lagsMicros()).hasSize(3);
  }

  @Test
  void lagEventsAreDueAtTheFixedRate() {
    assertThat(ProjectionBenchmarks.dueNanos(0, 2_000)).isZero();
    assertThat(ProjectionBenchmarks.dueNanos(1, 2_000)).isEqualTo(500_000);
    assertThat(ProjectionBenchmarks.dueNanos(10_000, 2_000)).isEqualTo(5_000_000_000L);
    assertThat(ProjectionBenchmarks.lagEvents(Mode.quick())).isEqualTo(10_000);
  }

  @Test
  void everyRunHasTablesOfItsOwn() {
    assertThat(ProjectionBenchmarks.tablesOf("0123abcd").events())
        .isNotEqualTo(ProjectionBenchmarks.tablesOf("4567cdef").events());
  }
}
