package io.cursus.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.api.Event;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.benchmarks.jmh.UpcastingBenchmarks;
import io.cursus.cassandra.CassandraTables;
import io.cursus.json.EventJson;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** B10 stores version-1 events that the migration's registry upcasts, in tables per run. */
class MigrationBenchmarksTest {

  @Test
  void theStoredEventsAreAtVersion1AndTheMigrationsRegistryReadsThemAtVersion2() {
    List<Event> batch = MigrationBenchmarks.oldBatch(3, 10);
    EventJson version1 = EventJson.using(EventTypeRegistry.of(UpcastingBenchmarks.CrateV1.class));
    EventJson current = EventJson.using(UpcastingBenchmarks.currentRegistry());

    List<Event> upcast = batch.stream().map(e -> current.read(version1.write(e))).toList();

    assertThat(batch).hasSize(CassandraBenchmarks.AGGREGATES_PER_BATCH * 10);
    assertThat(batch).allSatisfy(e -> assertThat(e.type().version()).isEqualTo("1"));
    assertThat(batch.get(0).aggregateId().id()).isEqualTo("crate-30");
    assertThat(batch.get(batch.size() - 1).aggregateId().id()).isEqualTo("crate-39");
    assertThat(upcast).allSatisfy(e -> assertThat(e.type().version()).isEqualTo("2"));
    assertThat(upcast).allSatisfy(e -> assertThat(e.parameters().get("by")).isEqualTo("depot"));
  }

  @Test
  void everyRunMigratesTablesOfItsOwn() {
    List<CassandraTables> tables =
        Stream.of("b10_0123abcd_w", "b10_0123abcd_r0", "b10_0123abcd_r1", "b10_0123abcd_r2")
            .map(MigrationBenchmarks::tablesOf)
            .toList();

    assertThat(tables).extracting(CassandraTables::events).doesNotHaveDuplicates();
    assertThat(tables).extracting(CassandraTables::keyspace).containsOnly("cursus_bench_b10");
  }
}
