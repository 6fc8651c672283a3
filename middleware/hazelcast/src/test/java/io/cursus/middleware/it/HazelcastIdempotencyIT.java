package io.cursus.middleware.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.api.Event;
import io.cursus.middleware.IdempotencyFilter;
import io.cursus.middleware.fixtures.Parcels;
import io.cursus.middleware.hazelcast.HazelcastIdempotencyFilter;
import io.cursus.testkit.HazelcastMembers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
}
