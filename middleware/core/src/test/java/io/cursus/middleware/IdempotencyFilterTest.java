package io.cursus.middleware;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.EventType;
import io.cursus.api.Parameters;
import io.cursus.api.StreamTimestamp;
import io.cursus.middleware.fixtures.Parcels;
import io.cursus.middleware.internal.InMemoryIdempotencyFilter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class IdempotencyFilterTest {

  private final MutableClock clock = new MutableClock(Parcels.START);
  private final List<Event> journey = Parcels.journey(UUID.randomUUID(), "depot-1");

  @Test
  void passesAnIdentityOnceWithinTheWindow() {
    IdempotencyFilter filter = IdempotencyFilter.inMemory(100, Duration.ofMinutes(5), clock);

    assertThat(journey).allMatch(filter);
    assertThat(journey).noneMatch(filter);
    assertThat(filter.test(journey.get(0).captured())).isFalse(); // processing id is not identity
  }

  @Test
  void passesAgainAfterTheWindow() {
    IdempotencyFilter filter = IdempotencyFilter.inMemory(100, Duration.ofMinutes(5), clock);
    Event event = journey.get(0);
    filter.test(event);

    clock.advance(Duration.ofMinutes(5).minusMillis(1));
    assertThat(filter.test(event)).isFalse();
    clock.advance(Duration.ofMillis(1));
    assertThat(filter.test(event)).isTrue();
  }

  @Test
  void forgetsTheOldestBeyondMaxEntries() {
    InMemoryIdempotencyFilter filter =
        (InMemoryIdempotencyFilter) IdempotencyFilter.inMemory(3, Duration.ofHours(1), clock);

    journey.forEach(filter::test); // four identities, room for three

    assertThat(filter.size()).isEqualTo(3);
    assertThat(filter.test(journey.get(3))).isFalse();
    assertThat(filter.test(journey.get(0))).isTrue(); // the oldest was evicted
  }

  @Test
  void forgetLetsAnEventPassAgain() {
    IdempotencyFilter filter = IdempotencyFilter.inMemory(10, Duration.ofHours(1), clock);
    filter.test(journey.get(0));

    filter.forget(journey.get(0));

    assertThat(filter.test(journey.get(0))).isTrue();
  }

  @Test
  void expiredEntriesDoNotCount() {
    InMemoryIdempotencyFilter filter =
        (InMemoryIdempotencyFilter) IdempotencyFilter.inMemory(10, Duration.ofMinutes(1), clock);
    journey.forEach(filter::test);

    clock.advance(Duration.ofMinutes(1));

    assertThat(filter.size()).isZero();
  }

  @Test
  void passesEachEventOnceAmongManyThreads() throws Exception {
    IdempotencyFilter filter = IdempotencyFilter.inMemory(10_000, Duration.ofHours(1), clock);
    ConcurrentLinkedQueue<Event> passed = new ConcurrentLinkedQueue<>();
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done =
          List.of(1, 2, 3, 4).stream()
              .map(
                  t ->
                      threads.submit(
                          () -> {
                            for (int i = 0; i < 500; i++) {
                              Event e = eventOf("p" + i, "");
                              if (filter.test(e)) {
                                passed.add(e);
                              }
                            }
                          }))
              .<Future<?>>map(f -> f)
              .toList();
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(passed).hasSize(500).doesNotHaveDuplicates();
  }

  @Test
  void identityKeysOfDistinctIdentitiesNeverCollide() {
    Event a = eventOf("a|b", "c");
    Event b = eventOf("a", "b|c");
    Event c = eventOf("a\\", "|c");

    assertThat(List.of(a, b, c)).extracting(IdempotencyFilter::identityKey).doesNotHaveDuplicates();
    assertThat(IdempotencyFilter.identityKey(eventOf("x", "s")))
        .isEqualTo("parcel|x|" + Parcels.START.toEpochMilli() + "|s");
  }

  private static Event eventOf(String id, String stream) {
    return Event.of(
        AggregateId.of("parcel", id),
        StreamTimestamp.of(stream, Parcels.START),
        EventType.of("parcel", "receivedAtDepot", "1"),
        Parameters.of("depotId", "Lewisham"));
  }

  /** A clock the test moves by hand. */
  static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
