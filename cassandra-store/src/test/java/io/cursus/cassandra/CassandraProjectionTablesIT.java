package io.cursus.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.mapping.EventMapper;
import io.cursus.api.projection.Checkpoint;
import io.cursus.api.projection.ParkedEvent;
import io.cursus.api.projection.Position;
import io.cursus.conformance.ConformanceEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The projection tables the schema creates: checkpoints, parked events, claims, on Cassandra. */
class CassandraProjectionTablesIT {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final CassandraCheckpointStore checkpoints =
      CassandraCheckpointStore.using(SharedCassandra.session(), SharedCassandra.TABLES);
  private final CassandraParkedEventStore parked =
      CassandraParkedEventStore.using(
          SharedCassandra.session(), SharedCassandra.TABLES, SharedCassandra.REGISTRY);
  private final CassandraProjectionClaims claims =
      CassandraProjectionClaims.using(SharedCassandra.session(), SharedCassandra.TABLES);

  private static String fresh(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  @Test
  void savesMergePartitionByPartitionAndKeepTheLatestHeader() {
    // given
    String key = fresh("board");
    AggregateId after = AggregateId.of("account", "a-1");
    checkpoints.save(
        key, Checkpoint.catchingUp(1, Position.of(Map.of("0", 4L, "1", 9L)), Optional.of(after)));

    // when: another instance saves partition 1 only, live
    checkpoints.save(key, Checkpoint.live(1, Position.of("1", 12)));

    // then
    Checkpoint loaded = checkpoints.load(key).orElseThrow();
    assertThat(loaded.isCaughtUp()).isTrue();
    assertThat(loaded.generation()).isEqualTo(1);
    assertThat(loaded.position().offsets())
        .containsExactly(Map.entry("0", 4L), Map.entry("1", 12L));
  }

  @Test
  void aCatchingUpCheckpointKeepsItsMarkAndADeletedOneIsGone() {
    // given
    String key = fresh("board") + "#rebuild";
    AggregateId after = AggregateId.of("account", "a/7|x");
    Checkpoint saved = Checkpoint.catchingUp(3, Position.of("feed", 40), Optional.of(after));
    checkpoints.save(key, saved);

    // when / then
    assertThat(checkpoints.load(key)).contains(saved);
    checkpoints.delete(key);
    assertThat(checkpoints.load(key)).isEmpty();
    assertThat(checkpoints.load(fresh("never-saved"))).isEmpty();
  }

  @Test
  void parkedEventsAreListedOldestFirstWithTheirEventsAndRemovedByKey() {
    // given
    String projection = fresh("invoices");
    UUID id = UUID.randomUUID();
    List<Event> events = new ArrayList<>();
    ConformanceEvents emit = EventMapper.emitter(ConformanceEvents.class, events::add);
    emit.opened(StreamTimestamp.of("s", T0), id, "ann");
    emit.moved(StreamTimestamp.of("s", T0.plusSeconds(1)), id, null, 2);
    AggregateId aggregate = events.get(0).aggregateId();
    ParkedEvent second =
        new ParkedEvent(
            projection,
            1,
            "b",
            aggregate,
            events,
            "IllegalStateException: no",
            6,
            T0.plusSeconds(60));
    ParkedEvent first =
        new ParkedEvent(
            projection,
            1,
            "z",
            aggregate,
            events.subList(1, 2),
            "IllegalArgumentException: bad",
            3,
            T0);

    // when
    parked.park(second);
    parked.park(first);

    // then
    assertThat(parked.list(projection)).containsExactly(first, second);
    assertThat(parked.get(projection, "b")).contains(second);
    parked.remove(projection, "z");
    assertThat(parked.list(projection)).containsExactly(second);
    assertThat(parked.get(projection, "z")).isEmpty();
  }

  @Test
  void anEventReadOverTheLimitOfOneEmittedEventIsParkedAndListedWhole() {
    // given: an event of 1,040,000 bytes, which a reader (limit 1 MiB) reads but an emitter
    // (limit 1,000,000 bytes) could not have sent: parking it must not fail
    String projection = fresh("invoices");
    List<Event> events = new ArrayList<>();
    EventMapper.emitter(ConformanceEvents.class, events::add)
        .opened(StreamTimestamp.of("s", T0), UUID.randomUUID(), "x".repeat(1_040_000));
    ParkedEvent large =
        new ParkedEvent(projection, 1, "big", events.get(0).aggregateId(), events, "no", 1, T0);

    // when
    parked.park(large);

    // then
    assertThat(parked.list(projection)).containsExactly(large);
  }

  @Test
  void aClaimIsHeldByOneOwnerUntilReleasedOrRunOut() {
    String name = fresh("board");
    Instant now = T0;
    Instant until = now.plusSeconds(30);

    // a free claim is taken; another owner cannot take it; its owner renews it
    assertThat(claims.claim(name, "first", now, until)).isTrue();
    assertThat(claims.claim(name, "second", now.plusSeconds(10), now.plusSeconds(40))).isFalse();
    assertThat(claims.claim(name, "first", now.plusSeconds(20), now.plusSeconds(50))).isTrue();

    // once run out, another owner takes it, and the first cannot release it
    assertThat(claims.claim(name, "second", now.plusSeconds(51), now.plusSeconds(81))).isTrue();
    claims.release(name, "first");
    assertThat(claims.claim(name, "first", now.plusSeconds(52), now.plusSeconds(82))).isFalse();

    // released by its owner, it is free
    claims.release(name, "second");
    assertThat(claims.claim(name, "first", now.plusSeconds(53), now.plusSeconds(83))).isTrue();
  }
}
