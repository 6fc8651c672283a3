package io.cursus.api.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.TransientCursusException;
import io.cursus.api.bus.EventBus;
import io.cursus.api.fixtures.ParcelEvent;
import io.cursus.api.fixtures.ParcelEvents;
import io.cursus.api.fixtures.ParcelState;
import io.cursus.api.memory.InMemoryEventStore;
import io.cursus.api.state.StateBuilder;
import io.cursus.api.state.StateFold;
import io.cursus.api.store.AppendCondition;
import io.cursus.api.store.AppendConflictException;
import io.cursus.api.store.ConsistencyToken;
import io.cursus.api.store.DecisionLog;
import io.cursus.api.store.HistoryQuery;
import io.cursus.api.store.TokenedHistory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeciderTest {

  private static final Instant T0 = Instant.parse("2026-04-01T09:00:00Z");

  private final InMemoryEventStore store = InMemoryEventStore.empty();
  private final ParcelEvents facts = EventBus.writingTo(store).emitter(ParcelEvents.class);
  private final StateBuilder<ParcelState> parcelState =
      StateBuilder.of(ParcelState.class, ParcelEvents.class);
  private final UUID parcel = UUID.randomUUID();

  private static StreamTimestamp at(int minutes, String stream) {
    return StreamTimestamp.of(stream, T0.plusSeconds(60L * minutes));
  }

  /** Loads the parcel onto truck-9 unless it was delivered; emits nothing if it was. */
  private static Decision<ParcelState> loadUnlessDelivered(UUID parcel) {
    return (state, out) -> {
      if (state.isEmpty()) {
        throw new IllegalStateException("parcel " + parcel + " is unknown");
      }
      if (!state.get().isDelivered()) {
        out.emitter(ParcelEvents.class).loadedOntoTruck(at(30, "desk"), parcel, "truck-9");
      }
    };
  }

  @Test
  void appendsWhatTheDecisionEmitsWithProcessingIdsAndReturnsTheTokenAfterIt() {
    facts.receivedAtDepot(at(0, "depot"), parcel, "Lewisham");

    Decided<ParcelState> decided =
        Decider.of(store, parcelState).decide(parcel, loadUnlessDelivered(parcel));

    assertThat(decided.appended()).isTrue();
    assertThat(decided.attempts()).isEqualTo(1);
    assertThat(decided.state().orElseThrow().location()).isEqualTo("Lewisham");
    List<Event> history = store.history(AggregateId.of("parcel", parcel));
    assertThat(history).hasSize(2);
    assertThat(decided.events()).containsExactly(history.get(1));
    assertThat(decided.events().get(0).processingId()).isEqualTo(history.get(1).processingId());
    ConsistencyToken now = store.historyWithToken(decided.aggregate(), HistoryQuery.all()).token();
    assertThat(decided.token().isAtLeast(now)).isTrue();
    assertThat(now.isAtLeast(decided.token())).isTrue();
    assertThat(decided.token().appended()).isEqualTo(decided.events().get(0).processingId());
  }

  @Test
  void decidesAgainOnTheNewStateWhenAFactArrivedBetweenReadAndAppend() {
    facts.receivedAtDepot(at(0, "depot"), parcel, "Lewisham");
    List<Boolean> seenDelivered = new ArrayList<>();
    Decision<ParcelState> racing =
        (state, out) -> {
          seenDelivered.add(state.orElseThrow().isDelivered());
          if (seenDelivered.size() == 1) { // the truck reports the delivery meanwhile
            facts.delivered(at(20, "truck"), parcel, "Mr Smith");
          }
          loadUnlessDelivered(parcel).decide(state, out);
        };

    Decided<ParcelState> decided = Decider.of(store, parcelState).decide(parcel, racing);

    assertThat(seenDelivered).containsExactly(false, true);
    assertThat(decided.attempts()).isEqualTo(2);
    assertThat(decided.appended()).isFalse();
    assertThat(store.history(AggregateId.of("parcel", parcel)))
        .extracting(e -> e.type().name())
        .containsExactly("receivedAtDepot", "delivered");
  }

  @Test
  void letsTheConflictThroughAfterItsRetries() {
    facts.receivedAtDepot(at(0, "depot"), parcel, "Lewisham");
    AtomicInteger calls = new AtomicInteger();
    Decision<ParcelState> alwaysOvertaken =
        (state, out) -> {
          int call = calls.incrementAndGet();
          facts.arrivedAtDepot(at(call, "scanner"), parcel, "hub-" + call);
          out.emitter(ParcelEvents.class).loadedOntoTruck(at(30, "desk"), parcel, "truck-9");
        };

    assertThatThrownBy(
            () -> Decider.of(store, parcelState).retries(2).decide(parcel, alwaysOvertaken))
        .isInstanceOf(AppendConflictException.class)
        .hasMessageContaining("arrivedAtDepot");
    assertThat(calls).hasValue(3);
    assertThat(store.history(AggregateId.of("parcel", parcel)))
        .noneMatch(e -> e.type().name().equals("loadedOntoTruck"));
  }

  @Test
  void conflictingOnlyWithLetsOtherEventsArriveMeanwhile() {
    facts.receivedAtDepot(at(0, "depot"), parcel, "Lewisham");
    AtomicInteger calls = new AtomicInteger();
    Decision<ParcelState> withAScanMeanwhile =
        (state, out) -> {
          calls.incrementAndGet();
          facts.arrivedAtDepot(at(5, "scanner"), parcel, "hub");
          loadUnlessDelivered(parcel).decide(state, out);
        };

    Decided<ParcelState> decided =
        Decider.of(store, parcelState)
            .conflictingOnlyWith("delivered")
            .decide(parcel, withAScanMeanwhile);

    assertThat(calls).hasValue(1);
    assertThat(decided.appended()).isTrue();
  }

  @Test
  void aRefusedCommandAppendsNothing() {
    assertThatThrownBy(
            () -> Decider.of(store, parcelState).decide(parcel, loadUnlessDelivered(parcel)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is unknown");
    assertThat(store.history(AggregateId.of("parcel", parcel))).isEmpty();
  }

  @Test
  void createsAnAggregateThatHasNoEventsYet() {
    Decided<ParcelState> decided =
        Decider.of(store, parcelState)
            .decide(
                parcel,
                (state, out) ->
                    out.emitter(ParcelEvents.class)
                        .receivedAtDepot(at(0, "desk"), parcel, "Lewisham"));

    assertThat(decided.state()).isEmpty();
    assertThat(decided.appended()).isTrue();
    assertThat(store.history(AggregateId.of("parcel", parcel))).hasSize(1);
  }

  @Test
  void refusesAnotherTypesAggregateAndEventsOfAnotherAggregate() {
    UUID other = UUID.randomUUID();
    facts.receivedAtDepot(at(0, "depot"), parcel, "Lewisham");
    Decider<ParcelState> decider = Decider.of(store, parcelState);

    assertThatThrownBy(
            () -> decider.decide(AggregateId.of("truck", "t-1"), loadUnlessDelivered(parcel)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'parcel'")
        .hasMessageContaining("truck/t-1");
    assertThatThrownBy(() -> decider.decide(parcel, loadUnlessDelivered(other)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("another aggregate");
    assertThat(store.history(AggregateId.of("parcel", other))).isEmpty();
    assertThatThrownBy(() -> decider.retries(-1)).hasMessageContaining("-1");
  }

  @Test
  void decidesWithAFoldOverRecords() {
    StateFold<String, ParcelEvent> whereabouts =
        StateFold.of(
            ParcelEvent.class,
            first -> ((ParcelEvent.ReceivedAtDepot) first.event()).depotId(),
            (where, next) ->
                next.event() instanceof ParcelEvent.LoadedOntoTruck loaded
                    ? loaded.truckId()
                    : where);
    facts.receivedAtDepot(at(0, "depot"), parcel, "Lewisham");

    Decided<String> decided =
        Decider.of(store, whereabouts)
            .decide(
                parcel,
                (where, out) ->
                    out.dispatchTo(
                        parcel,
                        at(10, "desk"),
                        new ParcelEvent.LoadedOntoTruck(where.get() + "-van")));

    assertThat(decided.state()).contains("Lewisham");
    assertThat(whereabouts.build(store.history(AggregateId.of("parcel", parcel))))
        .contains("Lewisham-van");
  }

  @Test
  void appendsTheSameCapturedEventsAgainWhenAnAnswerWasLostAndTheStoreRecognisesThem() {
    facts.receivedAtDepot(at(0, "depot"), parcel, "Lewisham");
    List<List<Event>> attempts = new ArrayList<>();
    DecisionLog losesTheFirstAnswer =
        new DecisionLog() {
          @Override
          public ConsistencyToken append(List<Event> events, AppendCondition condition) {
            attempts.add(events);
            ConsistencyToken token = store.append(events, condition);
            if (attempts.size() == 1) {
              throw new TransientCursusException("timed out; the outcome is unknown", null);
            }
            return token;
          }

          @Override
          public TokenedHistory historyWithToken(AggregateId aggregate, HistoryQuery query) {
            return store.historyWithToken(aggregate, query);
          }

          @Override
          public TokenedHistory historyWithToken(
              AggregateId aggregate, HistoryQuery query, ConsistencyToken atLeast) {
            return store.historyWithToken(aggregate, query, atLeast);
          }
        };

    Decided<ParcelState> decided =
        Decider.of(losesTheFirstAnswer, parcelState).decide(parcel, loadUnlessDelivered(parcel));

    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(1)).isEqualTo(attempts.get(0));
    assertThat(attempts.get(1).get(0).processingId())
        .isEqualTo(attempts.get(0).get(0).processingId());
    assertThat(decided.attempts()).isEqualTo(1);
    assertThat(store.history(AggregateId.of("parcel", parcel))).hasSize(2);
  }

  @Test
  void publishedDecisionsHandTheStoredEventsToThePipelineAndNothingOnAConflict() {
    facts.receivedAtDepot(at(0, "depot"), parcel, "Lewisham");
    List<Event> published = new ArrayList<>();
    DecisionLog decisions = PublishedDecisions.of(store, published::addAll);
    TokenedHistory read =
        decisions.historyWithToken(AggregateId.of("parcel", parcel), HistoryQuery.all());
    List<Event> load = new ArrayList<>();
    EventBus.to(load::addAll)
        .batch(b -> b.emitter(ParcelEvents.class).loadedOntoTruck(at(5, "desk"), parcel, "t"));

    decisions.append(load, AppendCondition.unchangedSince(read.token()));
    List<Event> again = new ArrayList<>(); // the same command again, from the same stale read
    EventBus.to(again::addAll)
        .batch(b -> b.emitter(ParcelEvents.class).loadedOntoTruck(at(6, "desk"), parcel, "t"));
    assertThatThrownBy(() -> decisions.append(again, AppendCondition.unchangedSince(read.token())))
        .isInstanceOf(AppendConflictException.class);

    List<Event> stored = store.history(AggregateId.of("parcel", parcel));
    assertThat(published).containsExactly(stored.get(1));
    assertThat(published.get(0).processingId()).isEqualTo(stored.get(1).processingId());
  }

  @Test
  void aDeciderPublishesAgainWhenPublishingFailedAfterTheAppend() {
    facts.receivedAtDepot(at(0, "depot"), parcel, "Lewisham");
    List<Event> published = new ArrayList<>();
    AtomicInteger handOvers = new AtomicInteger();
    DecisionLog decisions =
        PublishedDecisions.of(
            store,
            batch -> {
              if (handOvers.incrementAndGet() == 1) {
                throw new IllegalStateException("broker unreachable");
              }
              published.addAll(batch);
            });

    Decided<ParcelState> decided =
        Decider.of(decisions, parcelState).decide(parcel, loadUnlessDelivered(parcel));

    assertThat(handOvers).hasValue(2);
    assertThat(published).isEqualTo(decided.events());
    assertThat(store.history(AggregateId.of("parcel", parcel))).hasSize(2);
  }

  @Test
  void aFailedHandOverSaysTheDecisionWasAppended() {
    facts.receivedAtDepot(at(0, "depot"), parcel, "Lewisham");
    DecisionLog decisions =
        PublishedDecisions.of(
            store,
            batch -> {
              throw new IllegalStateException("broker unreachable");
            });
    List<Event> load = new ArrayList<>();
    EventBus.to(load::addAll)
        .batch(b -> b.emitter(ParcelEvents.class).loadedOntoTruck(at(5, "desk"), parcel, "t"));

    assertThatThrownBy(() -> decisions.append(load, AppendCondition.none()))
        .isInstanceOf(TransientCursusException.class)
        .hasMessageContaining("was appended")
        .hasMessageContaining("broker unreachable")
        .hasMessageContaining("append the same captured events again");
    assertThat(Optional.of(store.history(AggregateId.of("parcel", parcel)).size())).contains(2);
  }
}
