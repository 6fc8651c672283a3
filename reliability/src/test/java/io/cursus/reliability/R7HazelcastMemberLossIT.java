package io.cursus.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import io.cursus.api.Event;
import io.cursus.api.EventIdentity;
import io.cursus.api.bus.EventBus;
import io.cursus.api.memory.InMemoryEventStore;
import io.cursus.middleware.Pipelines;
import io.cursus.middleware.hazelcast.HazelcastIdempotencyFilter;
import io.cursus.testkit.HazelcastMembers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * R7: three Hazelcast members hold the idempotency window (one synchronous backup per entry, the
 * default); one member crashes; producers on the survivors still stop every repeat.
 */
class R7HazelcastMemberLossIT {

  @Test
  void theIdempotencyWindowSurvivesTheLossOfAMember() throws Exception {
    Tally tally = new Tally("R7 Hazelcast member lost");
    try (HazelcastMembers hazelcast = HazelcastMembers.start(3)) {
      List<HazelcastInstance> members = hazelcast.members();
      String map = "r7-window";
      assertThat(members.get(0).getConfig().getMapConfig(map).getBackupCount()).isEqualTo(1);
      // what passes each producer's filter reaches this store, counted per identity
      InMemoryEventStore store = InMemoryEventStore.empty();
      Map<EventIdentity, AtomicInteger> passed = new ConcurrentHashMap<>();
      EventBus[] producers = new EventBus[members.size()];
      for (int i = 0; i < members.size(); i++) {
        producers[i] =
            EventBus.to(
                Pipelines.producer(
                        Parcels.REGISTRY,
                        HazelcastIdempotencyFilter.using(
                            members.get(i), map, Duration.ofMinutes(10)),
                        batch -> {
                          batch.forEach(
                              e ->
                                  passed
                                      .computeIfAbsent(e.identity(), k -> new AtomicInteger())
                                      .incrementAndGet());
                          store.append(batch);
                        })
                    .build());
      }

      // given: 2,000 events offered through the producers of all three members
      List<Event> first = Parcels.flatten(Parcels.journeys(500));
      for (int i = 0; i < first.size(); i += 20) {
        List<Event> batch = first.subList(i, i + 20);
        producers[(i / 20) % 3].dispatch(batch);
        tally.delivered(batch);
      }
      assertThat(passed).hasSize(first.size());

      // when: member 0 crashes (its primaries are lost; the backups on the others take over)
      hazelcast.terminate(members.get(0));
      long offered = first.size();

      // then: offered again through the survivors, every event is stopped as a repeat
      for (int i = 0; i < first.size(); i += 20) {
        producers[1 + (i / 20) % 2].dispatch(first.subList(i, i + 20));
        offered += 20;
      }
      // and new events still pass once, even when offered twice
      List<Event> next = Parcels.flatten(Parcels.journeys(250));
      for (int i = 0; i < next.size(); i += 20) {
        List<Event> batch = next.subList(i, Math.min(next.size(), i + 20));
        producers[1].dispatch(batch);
        producers[2].dispatch(batch);
        tally.delivered(batch);
        offered += 2L * batch.size();
      }

      long passedTwice = passed.values().stream().filter(n -> n.get() > 1).count();
      long passedTotal = passed.values().stream().mapToLong(AtomicInteger::get).sum();
      assertThat(passedTwice).as("repeats that passed the window").isZero();
      assertThat(passedTotal).isEqualTo(first.size() + next.size());
      assertThat(members.get(1).getMap(map).size()).isEqualTo(first.size() + next.size());
      tally.note("offered " + offered);
      tally.note("passed the window " + passedTotal);
      tally.note("repeats stopped " + (offered - passedTotal));
      tally.check(store).report().assertNothingLostOrDuplicated();
    }
  }
}
