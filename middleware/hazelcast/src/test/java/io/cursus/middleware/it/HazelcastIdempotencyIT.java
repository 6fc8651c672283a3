package io.cursus.middleware.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.core.HazelcastException;
import com.hazelcast.map.IMap;
import io.cursus.api.CursusException;
import io.cursus.api.Event;
import io.cursus.middleware.IdempotencyFilter;
import io.cursus.middleware.fixtures.Parcels;
import io.cursus.middleware.hazelcast.HazelcastIdempotencyFilter;
import io.cursus.testkit.HazelcastMembers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HazelcastIdempotencyIT {

  @Test
  void theSameEventsOfferedThroughTwoMembersPassOnceInTotal() throws Exception {
    // given: 250 parcels' journeys (1,000 events) and a filter on each of two members
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      events.addAll(Parcels.journey(UUID.randomUUID(), "s"));
    }
    try (HazelcastMembers hazelcast = HazelcastMembers.start(2)) {
      String map = "idempotency-" + UUID.randomUUID();
      // tag::hazelcast[]
      IdempotencyFilter filter =
          HazelcastIdempotencyFilter.using(hazelcast.members().get(0), map, Duration.ofMinutes(10));
      // end::hazelcast[]
      List<IdempotencyFilter> filters =
          List.of(
              filter,
              HazelcastIdempotencyFilter.using(
                  hazelcast.members().get(1), map, Duration.ofMinutes(10)));
      ConcurrentLinkedQueue<Event> passed = new ConcurrentLinkedQueue<>();
      CountDownLatch go = new CountDownLatch(1);

      // when: two producers per member offer every event, each in its own shuffled order
      ExecutorService producers = Executors.newFixedThreadPool(4);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          IdempotencyFilter mine = filters.get(t % 2);
          List<Event> order = new ArrayList<>(events);
          Collections.shuffle(order, new Random(t));
          done.add(
              producers.submit(
                  () -> {
                    go.await();
                    for (Event event : order) {
                      if (mine.test(event)) {
                        passed.add(event);
                      }
                    }
                    return null;
                  }));
        }
        go.countDown();
        for (Future<?> future : done) {
          future.get();
        }
      } finally {
        producers.shutdownNow();
      }

      // then
      assertThat(passed).hasSize(events.size()).doesNotHaveDuplicates();
      assertThat(passed).containsExactlyInAnyOrderElementsOf(events);
      assertThat(hazelcast.members().get(1).getMap(map).size()).isEqualTo(events.size());

      // and forgetting on one member lets the event pass on the other
      filters.get(0).forget(events.get(0));
      assertThat(filters.get(1).test(events.get(0))).isTrue();
      assertThat(filters.get(0).test(events.get(0))).isFalse();
    }
  }

  @Test
  void batchesCheckedInOneRoundFromTwoMembersLetEachEventThroughOnceAsOneByOneDoes()
      throws Exception {
    // given: 1,000 events, and four producers (two per member) each offering all of them in its
    // own shuffled order, in batches of 25 that repeat some of their own events
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      events.addAll(Parcels.journey(UUID.randomUUID(), "b"));
    }
    try (HazelcastMembers hazelcast = HazelcastMembers.start(2)) {
      String map = "idempotency-" + UUID.randomUUID();
      Duration window = Duration.ofMinutes(10);
      List<IdempotencyFilter> filters =
          List.of(
              HazelcastIdempotencyFilter.using(hazelcast.members().get(0), map, window),
              HazelcastIdempotencyFilter.using(hazelcast.members().get(1), map, window));
      ConcurrentLinkedQueue<Event> passed = new ConcurrentLinkedQueue<>();
      CountDownLatch go = new CountDownLatch(1);

      // when
      ExecutorService producers = Executors.newFixedThreadPool(4);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          IdempotencyFilter mine = filters.get(t % 2);
          List<Event> order = new ArrayList<>(events);
          Collections.shuffle(order, new Random(t));
          done.add(
              producers.submit(
                  () -> {
                    go.await();
                    for (int from = 0; from < order.size(); from += 25) {
                      List<Event> batch = new ArrayList<>(order.subList(from, from + 25));
                      batch.add(batch.get(3)); // a repeat within the batch
                      batch.add(0, batch.get(7)); // and one before its first sighting
                      passed.addAll(mine.firstSightings(batch));
                    }
                    return null;
                  }));
        }
        go.countDown();
        for (Future<?> future : done) {
          future.get();
        }
      } finally {
        producers.shutdownNow();
      }

      // then: each event passed exactly once in total, and each entry lives for the window
      assertThat(passed).hasSize(events.size()).doesNotHaveDuplicates();
      assertThat(passed).containsExactlyInAnyOrderElementsOf(events);
      IMap<String, Long> seen = hazelcast.members().get(1).getMap(map);
      assertThat(seen.size()).isEqualTo(events.size());
      assertThat(seen.getEntryView(IdempotencyFilter.identityKey(events.get(0))).getTtl())
          .isEqualTo(window.toMillis());
      // and a batch and a single test agree on what was seen
      assertThat(filters.get(0).firstSightings(events.subList(0, 10))).isEmpty();
      assertThat(filters.get(1).test(events.get(11))).isFalse();
    }
  }

  @Test
  void aBatchPassesInTheOrderOfItsFirstSightingsLeavingOutWhatWasSeenBefore() {
    try (HazelcastMembers hazelcast = HazelcastMembers.start(1)) {
      IdempotencyFilter filter =
          HazelcastIdempotencyFilter.using(
              hazelcast.member(), "idempotency-" + UUID.randomUUID(), Duration.ofMinutes(10));
      List<Event> journey = Parcels.journey(UUID.randomUUID(), "o");
      assertThat(filter.test(journey.get(2))).isTrue();

      List<Event> passed =
          filter.firstSightings(
              List.of(
                  journey.get(3), journey.get(1), journey.get(2), journey.get(3), journey.get(0)));

      assertThat(passed).containsExactly(journey.get(3), journey.get(1), journey.get(0));
    }
  }

  @Test
  void aHazelcastFailureMidBatchLosesNothingTheBatchMayHaveRecorded() throws Exception {
    // given: a map that records half of a batch's keys, then fails, as a member lost mid-call does
    try (HazelcastMembers hazelcast = HazelcastMembers.start(1)) {
      IMap<String, Long> real = hazelcast.member().getMap("idempotency-" + UUID.randomUUID());
      boolean[] failing = {false};
      IMap<String, Long> flaky = failingMidBatch(real, failing);
      IdempotencyFilter filter = HazelcastIdempotencyFilter.using(flaky, Duration.ofMinutes(10));
      List<Event> seenBefore = Parcels.journey(UUID.randomUUID(), "before");
      assertThat(filter.firstSightings(seenBefore)).isEqualTo(seenBefore);
      List<Event> batch = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        batch.addAll(Parcels.journey(UUID.randomUUID(), "mid"));
      }

      // when
      failing[0] = true;
      assertThatThrownBy(() -> filter.firstSightings(batch))
          .isInstanceOfSatisfying(CursusException.class, e -> assertThat(e.isTransient()).isTrue())
          .hasMessageContaining("failed while checking a batch of 20 events");
      failing[0] = false;

      // then: the retry passes every event of the batch; what was seen before stays a repeat
      List<Event> retry = new ArrayList<>(batch);
      retry.addAll(seenBefore.subList(0, 1));
      assertThat(filter.firstSightings(retry)).isEqualTo(batch);
    }
  }

  /** {@code real}, except that while {@code failing[0]} its batch calls record half, then fail. */
  @SuppressWarnings("unchecked")
  private static IMap<String, Long> failingMidBatch(IMap<String, Long> real, boolean[] failing) {
    return (IMap<String, Long>)
        java.lang.reflect.Proxy.newProxyInstance(
            IMap.class.getClassLoader(),
            new Class<?>[] {IMap.class},
            (proxy, method, args) -> {
              if (failing[0] && method.getName().equals("submitToKeys")) {
                List<String> keys = new ArrayList<>((Set<String>) args[0]);
                Set<String> half = new HashSet<>(keys.subList(0, keys.size() / 2));
                var processor = (com.hazelcast.map.EntryProcessor<String, Long, Object>) args[1];
                real.submitToKeys(half, processor).toCompletableFuture().get(10, TimeUnit.SECONDS);
                return CompletableFuture.failedFuture(
                    new HazelcastException("member left the cluster mid-call"));
              }
              try {
                return method.invoke(real, args);
              } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
