package io.cursus.api.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.Event;
import io.cursus.api.NonTransientCursusException;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.TransientCursusException;
import io.cursus.api.fixtures.ParcelEvent.LoadedOntoTruck;
import io.cursus.api.fixtures.ParcelEvents;
import io.cursus.api.memory.InMemoryEventStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class EventBusAsyncTest {

  private static final UUID PARCEL = UUID.randomUUID();
  private static final StreamTimestamp AT =
      StreamTimestamp.of("s", Instant.parse("2026-03-01T09:00:00Z"));

  /** An asynchronous channel whose writes complete when the test says so. */
  private static final class Pending {
    final List<List<Event>> batches = new ArrayList<>();
    final List<CompletableFuture<Void>> writes = new ArrayList<>();

    CompletableFuture<Void> start(List<Event> batch) {
      batches.add(batch);
      CompletableFuture<Void> write = new CompletableFuture<>();
      writes.add(write);
      return write;
    }
  }

  @Test
  void anAsynchronousEmitReturnsAtOnceAndCompletesWhenTheChannelIsDone() {
    // given
    Pending channel = new Pending();
    EventBus bus = EventBus.toAsync(channel::start);

    // when
    CompletableFuture<Void> received =
        bus.batchAsync(b -> b.emitter(ParcelEvents.class).receivedAtDepot(AT, PARCEL, "Lewisham"));
    CompletableFuture<Void> loaded =
        bus.dispatchToAsync(PARCEL, AT.plus(1, ChronoUnit.HOURS), new LoadedOntoTruck("J98 257"));

    // then: both reached the channel in call order, stamped, and neither is done yet
    assertThat(channel.batches)
        .extracting(batch -> batch.get(0).type().name())
        .containsExactly("receivedAtDepot", "loadedOntoTruck");
    assertThat(channel.batches.get(0).get(0).processingId()).isPresent();
    assertThat(received).isNotDone();
    channel.writes.get(0).complete(null);
    assertThat(received).isCompletedWithValue(null);
    assertThat(loaded).isNotDone();
  }

  @Test
  void aFailureOfTheChannelFailsTheFutureWithTheChannelsException() {
    Pending channel = new Pending();
    EventBus bus = EventBus.toAsync(channel::start);
    Event event = ParcelEventsOf.received();

    CompletableFuture<Void> done = bus.dispatchAsync(event);
    TransientCursusException down = new TransientCursusException("broker down", null);
    channel.writes.get(0).completeExceptionally(new CompletionException(down));

    assertThatThrownBy(done::join).isInstanceOf(CompletionException.class).hasCause(down);
  }

  @Test
  void whatTheChannelThrowsIsThrownAtTheCallAndWhatItsFutureFailsWithFailsTheFuture() {
    // given: a channel refusing events of one parcel at the call, and failing later for another
    UUID refused = UUID.randomUUID();
    UUID unreachable = UUID.randomUUID();
    EventBus bus =
        EventBus.toAsync(
            batch -> {
              UUID id = UUID.fromString(batch.get(0).aggregateId().id());
              if (id.equals(refused)) {
                throw new IllegalArgumentException("parameter 'depotId' is not allowed");
              }
              if (id.equals(unreachable)) {
                return CompletableFuture.failedFuture(
                    new NonTransientCursusException("credentials refused", null));
              }
              return CompletableFuture.completedFuture(null);
            });
    ParcelEvents emit = bus.emitter(ParcelEvents.class);

    // when / then
    assertThatThrownBy(
            () ->
                bus.batchAsync(
                    b -> b.emitter(ParcelEvents.class).receivedAtDepot(AT, refused, "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("depotId");
    CompletableFuture<Void> failed =
        bus.batchAsync(b -> b.emitter(ParcelEvents.class).receivedAtDepot(AT, unreachable, "x"));
    assertThatThrownBy(failed::join).hasMessageContaining("credentials refused");
    // and the synchronous emit of the same bus throws it
    assertThatThrownBy(() -> emit.receivedAtDepot(AT, unreachable, "x"))
        .isInstanceOf(NonTransientCursusException.class)
        .hasMessageContaining("credentials refused");
  }

  @Test
  void aValidatingBusRefusesAnInvalidEventAtTheAsynchronousCall() {
    // given: a bus validating against what its emitters declare, writing to a store
    InMemoryEventStore store = InMemoryEventStore.empty();
    EventBus bus = EventBus.writingTo(store);
    bus.emitter(ParcelEvents.class);
    Event good = ParcelEventsOf.received();
    Event unknown =
        Event.of(
            good.aggregateId(),
            good.timestamp(),
            io.cursus.api.EventType.of("parcel", "lost", "1"),
            io.cursus.api.Parameters.of());

    // when / then
    assertThatThrownBy(() -> bus.dispatchAsync(List.of(good, unknown)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("event 1 of a batch of 2 is refused");
    assertThat(store.history(good.aggregateId())).isEmpty();
    // a synchronous channel is run on the caller's thread: the future is already complete
    assertThat(bus.dispatchAsync(good)).isCompletedWithValue(null);
    assertThat(store.history(good.aggregateId())).hasSize(1);
  }

  /** A received-at-depot event built through the mapping core. */
  private static final class ParcelEventsOf {
    static Event received() {
      List<Event> events = new ArrayList<>();
      io.cursus.api.mapping.EventMapper.emitter(ParcelEvents.class, events::add)
          .receivedAtDepot(AT, UUID.randomUUID(), "Lewisham");
      return events.get(0);
    }
  }
}
