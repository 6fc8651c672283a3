package io.cursus.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.bus.EventBus;
import io.cursus.api.command.Decided;
import io.cursus.api.command.Decider;
import io.cursus.api.command.PublishedDecisions;
import io.cursus.api.fixtures.ParcelEvents;
import io.cursus.api.fixtures.ParcelState;
import io.cursus.api.mapping.EventMapper;
import io.cursus.api.memory.InMemoryEventStore;
import io.cursus.api.state.StateBuilder;
import io.cursus.api.store.AppendCondition;
import io.cursus.api.store.AppendConflictException;
import io.cursus.api.store.ConsistencyToken;
import io.cursus.api.store.DecisionLog;
import io.cursus.api.store.HistoryQuery;
import io.cursus.api.store.TokenNotReachedException;
import io.cursus.api.store.TokenedHistory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The samples of docs/consistency.md, compiled and run on the in-memory store (the docs-samples
 * test of the parcel example checks that every sample of the page appears in compiled code).
 */
class ConsistencyGuideTest {

  private static final Instant T = Instant.parse("2026-11-22T09:00:00Z");

  private final InMemoryEventStore store = InMemoryEventStore.empty();
  private final ParcelEvents facts = EventBus.writingTo(store).emitter(ParcelEvents.class);
  private final UUID parcelId = UUID.randomUUID();

  private static StreamTimestamp at(int minutes, String stream) {
    return StreamTimestamp.of(stream, T.plusSeconds(60L * minutes));
  }

  @Test
  void aDecisionAppendsOnlyIfNoDeliveryCameSinceTheRead() {
    facts.receivedAtDepot(at(0, "depot-1"), parcelId, "Lewisham");

    // tag::decide-by-hand[]
    AggregateId parcel = AggregateId.of("parcel", parcelId);
    TokenedHistory read = store.historyWithToken(parcel, HistoryQuery.all());
    Optional<ParcelState> state =
        StateBuilder.of(ParcelState.class, ParcelEvents.class).build(read.events());
    if (state.isEmpty() || state.get().isDelivered()) {
      throw new IllegalStateException("parcel " + parcelId + " cannot be redirected");
    }
    List<Event> redirect = new ArrayList<>();
    EventMapper.emitter(ParcelEvents.class, redirect::add)
        .arrivedAtDepot(StreamTimestamp.now("desk"), parcelId, "Croydon");
    ConsistencyToken token =
        store.append(redirect, AppendCondition.noEventsSince(read.token(), "delivered"));
    // end::decide-by-hand[]

    assertThat(store.history(parcel)).hasSize(2);
    assertThat(token.appended()).isPresent();
    assertThat(token.isAtLeast(read.token())).isTrue();
  }

  @Test
  void aConflictNamesTheAggregateAndWhatChangedAndWritesNothing() {
    facts.receivedAtDepot(at(0, "depot-1"), parcelId, "Lewisham");
    AggregateId parcel = AggregateId.of("parcel", parcelId);
    TokenedHistory read = store.historyWithToken(parcel, HistoryQuery.all());
    facts.delivered(at(30, "truck-9"), parcelId, "SE13 5AB"); // another writer, in between
    List<Event> redirect = new ArrayList<>();
    EventMapper.emitter(ParcelEvents.class, redirect::add)
        .arrivedAtDepot(at(40, "desk"), parcelId, "Croydon");
    List<String> said = new ArrayList<>();

    // tag::conflict[]
    try {
      store.append(redirect, AppendCondition.noEventsSince(read.token(), "delivered"));
    } catch (AppendConflictException conflict) {
      // nothing of the batch was written; read again from conflict.current() and decide again
      said.add(conflict.getMessage());
    }
    // end::conflict[]

    assertThat(said).hasSize(1);
    assertThat(said.get(0)).contains(parcel.toString()).contains("delivered");
    assertThat(store.history(parcel)).hasSize(2);
  }

  @Test
  void theConditions() {
    AggregateId parcel = AggregateId.of("parcel", parcelId);
    List<Event> received = new ArrayList<>();
    EventMapper.emitter(ParcelEvents.class, received::add)
        .receivedAtDepot(at(0, "depot-1"), parcelId, "Lewisham");
    ConsistencyToken token = store.append(received, AppendCondition.noEventsYet());

    // tag::conditions[]
    AppendCondition create = AppendCondition.noEventsYet(); // the aggregate has no events at all
    AppendCondition exact = AppendCondition.unchangedSince(token); // nothing appended since
    AppendCondition unlessDelivered = AppendCondition.noEventsSince(token, "delivered");
    AppendCondition blind = AppendCondition.none(); // written anyway, with a token back
    // end::conditions[]

    assertThatThrownBy(() -> store.append(received, create))
        .isInstanceOf(AppendConflictException.class);
    facts.loadedOntoTruck(at(10, "truck-9"), parcelId, "truck-9");
    List<Event> next = new ArrayList<>();
    EventMapper.emitter(ParcelEvents.class, next::add)
        .arrivedAtDepot(at(20, "depot-2"), parcelId, "Croydon");
    assertThatThrownBy(() -> store.append(next, exact)).isInstanceOf(AppendConflictException.class);
    assertThat(store.append(next, unlessDelivered).isAtLeast(token)).isTrue();
    assertThat(store.append(next, blind)).isNotNull();
    assertThat(store.history(parcel)).hasSize(3);
  }

  @Test
  void theDeciderReadsDecidesAppendsAndDecidesAgainOnAConflict() {
    facts.receivedAtDepot(at(0, "depot-1"), parcelId, "Lewisham");

    // tag::decider[]
    Decider<ParcelState> parcels =
        Decider.of(store, StateBuilder.of(ParcelState.class, ParcelEvents.class))
            .retries(3)
            .conflictingOnlyWith("delivered");
    Decided<ParcelState> redirected =
        parcels.decide(
            parcelId,
            (parcel, out) -> {
              if (parcel.isEmpty() || parcel.get().isDelivered()) {
                throw new IllegalStateException("parcel " + parcelId + " cannot be redirected");
              }
              out.emitter(ParcelEvents.class)
                  .arrivedAtDepot(StreamTimestamp.now("desk"), parcelId, "Croydon");
            });
    String etag = redirected.token().toString(); // for the client, as an ETag
    // end::decider[]

    assertThat(redirected.attempts()).isEqualTo(1);
    assertThat(redirected.events()).hasSize(1);
    assertThat(ConsistencyToken.parse(etag)).isEqualTo(redirected.token());
  }

  @Test
  void aReadAtLeastATokenContainsTheWritesItStandsFor() {
    facts.receivedAtDepot(at(0, "depot-1"), parcelId, "Lewisham");
    AggregateId parcel = AggregateId.of("parcel", parcelId);
    List<Event> loaded = new ArrayList<>();
    EventMapper.emitter(ParcelEvents.class, loaded::add)
        .loadedOntoTruck(at(10, "desk"), parcelId, "truck-9");
    ConsistencyToken token = store.append(loaded, AppendCondition.none());
    List<Event> seen = new ArrayList<>();

    // tag::read-your-writes[]
    try {
      TokenedHistory history = store.historyWithToken(parcel, HistoryQuery.all(), token);
      seen.addAll(history.events()); // holds the append that returned the token
    } catch (TokenNotReachedException behind) {
      // the replicas read did not show the write within the store's wait: retry later (503)
    }
    // end::read-your-writes[]

    assertThat(seen).hasSize(2);
    assertThat(seen.get(1).identity()).isEqualTo(loaded.get(0).identity());
  }

  /** What a web layer answers: a status, an ETag, a body. */
  record Response(int status, @Nullable String etag, String body) {}

  // tag::etag[]
  /** GET /parcels/{id}: the parcel's state, and its token as the ETag. */
  Response show(UUID parcelId) {
    AggregateId parcel = AggregateId.of("parcel", parcelId);
    TokenedHistory read = store.historyWithToken(parcel, HistoryQuery.all());
    Optional<ParcelState> state =
        StateBuilder.of(ParcelState.class, ParcelEvents.class).build(read.events());
    return state
        .map(s -> new Response(200, read.token().toString(), s.location()))
        .orElseGet(() -> new Response(404, null, "no parcel " + parcelId));
  }

  /** PUT /parcels/{id}/destination with If-Match: the ETag the client was shown. */
  Response redirect(UUID parcelId, String ifMatch, String destination) {
    ConsistencyToken shown;
    try {
      shown = ConsistencyToken.parse(ifMatch);
    } catch (IllegalArgumentException garbage) {
      return new Response(400, null, garbage.getMessage());
    }
    List<Event> redirect = new ArrayList<>();
    EventMapper.emitter(ParcelEvents.class, redirect::add)
        .arrivedAtDepot(StreamTimestamp.now("desk"), parcelId, destination);
    try {
      ConsistencyToken after = store.append(redirect, AppendCondition.unchangedSince(shown));
      return new Response(200, after.toString(), destination);
    } catch (AppendConflictException changed) {
      return new Response(412, changed.current().toString(), changed.getMessage());
    } catch (IllegalArgumentException notThisParcels) {
      return new Response(400, null, notThisParcels.getMessage());
    }
  }

  // end::etag[]

  @Test
  void theEtagPattern() {
    facts.receivedAtDepot(at(0, "depot-1"), parcelId, "Lewisham");
    Response shown = show(parcelId);
    String etag = shown.etag();
    assertThat(etag).isNotNull().matches("[A-Za-z0-9_-]{1,64}");

    Response redirected = redirect(parcelId, etag, "Croydon");
    Response again = redirect(parcelId, etag, "Greenwich");
    Response garbage = redirect(parcelId, "W/\"1\"", "Greenwich");
    UUID other = UUID.randomUUID();
    facts.receivedAtDepot(at(0, "depot-1"), other, "Lewisham");
    Response othersTag = redirect(other, etag, "Greenwich");

    assertThat(redirected.status()).isEqualTo(200);
    assertThat(again.status()).isEqualTo(412);
    assertThat(ConsistencyToken.parse(again.etag()).isAtLeast(ConsistencyToken.parse(etag)))
        .isTrue();
    assertThat(again.body()).contains(AggregateId.of("parcel", parcelId).toString());
    assertThat(garbage.status()).isEqualTo(400);
    assertThat(garbage.body()).contains("not a consistency token");
    assertThat(othersTag.status()).isEqualTo(400);
    assertThat(othersTag.body()).contains("another aggregate");
    assertThat(show(parcelId).body()).isEqualTo("Croydon");
  }

  @Test
  void publishedDecisionsGoToTheStoreThenToThePipeline() {
    facts.receivedAtDepot(at(0, "depot-1"), parcelId, "Lewisham");
    List<Event> published = new ArrayList<>();
    Consumer<List<Event>> channel = published::addAll;

    // tag::published[]
    DecisionLog decisions = PublishedDecisions.of(store, channel);
    // end::published[]

    Decided<ParcelState> decided =
        Decider.of(decisions, StateBuilder.of(ParcelState.class, ParcelEvents.class))
            .decide(
                parcelId,
                (parcel, out) ->
                    out.emitter(ParcelEvents.class)
                        .arrivedAtDepot(at(50, "desk"), parcelId, "Croydon"));
    assertThat(published).isEqualTo(decided.events());
    assertThat(store.history(AggregateId.of("parcel", parcelId))).contains(published.get(0));
  }
}
