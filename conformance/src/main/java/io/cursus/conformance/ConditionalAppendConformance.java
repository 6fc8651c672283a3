package io.cursus.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.mapping.EventMapper;
import io.cursus.api.store.AppendCondition;
import io.cursus.api.store.AppendConflictException;
import io.cursus.api.store.ConsistencyToken;
import io.cursus.api.store.DecisionLog;
import io.cursus.api.store.EventLog;
import io.cursus.api.store.EventSource;
import io.cursus.api.store.HistoryQuery;
import io.cursus.api.store.TokenedHistory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DecisionLog} must do, as JUnit 5 tests: conditions checked and written
 * atomically, plain appends and late events counted as changes, tokens that round-trip and refuse
 * what is not theirs, reads of one's own writes. Extend it and return the store (the same object
 * for all three roles, usually):
 *
 * <pre>{@code
 * class MyStoreDecisionsTest extends ConditionalAppendConformance {
 *   static final MyStore STORE = MyStore.create(EventStoreConformance.DECLARATIONS);
 *   protected DecisionLog decisions() { return STORE; }
 *   protected EventLog log() { return STORE; }
 *   protected EventSource source() { return STORE; }
 * }
 * }</pre>
 *
 * Every test uses fresh aggregate ids, so the store may be shared across tests and classes.
 */
public abstract class ConditionalAppendConformance {

  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

  /** The store's conditional write side and token reads. */
  protected abstract DecisionLog decisions();

  /** The store's plain (blind) write side. */
  protected abstract EventLog log();

  /** The store's read side. */
  protected abstract EventSource source();

  /** Threads that race in {@link #ofWritersRacingOnOneConditionExactlyOneWins}. Default 8. */
  protected int racingWriters() {
    return 8;
  }

  /** Rounds of {@link #ofWritersRacingOnOneConditionExactlyOneWins}. Default 25. */
  protected int racingRounds() {
    return 25;
  }

  private static final class Emit {
    final List<Event> events = new ArrayList<>();
    final ConformanceEvents to = EventMapper.emitter(ConformanceEvents.class, events::add);

    List<Event> take() {
      List<Event> taken = List.copyOf(events);
      events.clear();
      return taken;
    }
  }

  private static StreamTimestamp at(int seconds, String stream) {
    return StreamTimestamp.of(stream, T0.plusSeconds(seconds));
  }

  private static AggregateId idOf(UUID id) {
    return AggregateId.of(ConformanceEvents.AGGREGATE_TYPE, id);
  }

  private List<Event> opened(UUID id, String owner) {
    Emit emit = new Emit();
    emit.to.opened(at(0, "a"), id, owner);
    return emit.take();
  }

  private List<Event> moved(UUID id, int seconds, String location) {
    Emit emit = new Emit();
    emit.to.moved(at(seconds, "a"), id, location, seconds);
    return emit.take();
  }

  private List<Event> closed(UUID id, int seconds) {
    Emit emit = new Emit();
    emit.to.closed(at(seconds, "a"), id);
    return emit.take();
  }

  private List<Event> history(UUID id) {
    return source().history(idOf(id));
  }

  @Test
  public void aNewAggregateAcceptsNoEventsYetOnceAndRefusesTheSecondWriterWritingNothing() {
    UUID id = UUID.randomUUID();

    ConsistencyToken first = decisions().append(opened(id, "alice"), AppendCondition.noEventsYet());

    assertThat(first.belongsTo(idOf(id))).isTrue();
    assertThatThrownBy(() -> decisions().append(opened(id, "bob"), AppendCondition.noEventsYet()))
        .isInstanceOf(AppendConflictException.class)
        .hasMessageContaining(idOf(id).toString())
        .hasMessageContaining("no events yet")
        .satisfies(
            e -> {
              AppendConflictException conflict = (AppendConflictException) e;
              assertThat(conflict.aggregate()).isEqualTo(idOf(id));
              assertThat(conflict.isTransient()).isFalse();
              assertThat(conflict.current()).isEqualTo(tokenOf(id));
            });
    assertThat(history(id)).extracting(e -> e.parameters().get("owner")).containsExactly("alice");
  }

  @Test
  public void noEventsYetIsFalseWhenOnlyPlainAppendsWroteTheAggregate() {
    UUID id = UUID.randomUUID();
    log().append(moved(id, 5, "somewhere"));

    assertThatThrownBy(() -> decisions().append(opened(id, "alice"), AppendCondition.noEventsYet()))
        .isInstanceOfSatisfying(
            AppendConflictException.class,
            conflict -> {
              assertThat(conflict.factsSince()).isTrue();
              assertThat(conflict.decisionsSince()).isZero();
            });
    assertThat(history(id)).hasSize(1);
  }

  @Test
  public void unchangedSinceATokenHoldsWhileNothingIsAppendedAndEachAppendReturnsTheNextToken() {
    UUID id = UUID.randomUUID();
    log().append(opened(id, "alice"));
    TokenedHistory read = decisions().historyWithToken(idOf(id), HistoryQuery.all());
    assertThat(read.events()).hasSize(1);

    ConsistencyToken second =
        decisions().append(moved(id, 10, "hub"), AppendCondition.unchangedSince(read.token()));
    ConsistencyToken third =
        decisions().append(moved(id, 20, "door"), AppendCondition.unchangedSince(second));

    assertThat(second).isGreaterThan(read.token());
    assertThat(third).isGreaterThan(second);
    assertThat(third.isAtLeast(read.token())).isTrue();
    assertThat(history(id)).hasSize(3);
    assertThatThrownBy(
            () -> decisions().append(moved(id, 30, "late"), AppendCondition.unchangedSince(second)))
        .isInstanceOfSatisfying(
            AppendConflictException.class,
            conflict -> {
              assertThat(conflict.decisionsSince()).isEqualTo(1);
              assertThat(conflict.eventNames()).contains("moved");
            });
  }

  @Test
  public void aPlainAppendAfterTheTokenIsAChange() {
    UUID id = UUID.randomUUID();
    ConsistencyToken token = decisions().append(opened(id, "alice"), AppendCondition.noEventsYet());

    log().append(moved(id, 10, "reported by a scanner"));

    assertThatThrownBy(
            () -> decisions().append(closed(id, 20), AppendCondition.unchangedSince(token)))
        .isInstanceOfSatisfying(
            AppendConflictException.class,
            conflict -> {
              assertThat(conflict.factsSince()).isTrue();
              assertThat(conflict.decisionsSince()).isZero();
              assertThat(conflict.eventNames()).contains("moved");
              assertThat(conflict.getMessage()).contains(idOf(id).toString(), "moved");
            });
    assertThat(history(id)).noneMatch(Event::isTerminal);
  }

  @Test
  public void
      aLateEventAppendedAfterTheTokenIsAChangeThoughItHappenedBeforeEverythingTheTokenSaw() {
    UUID id = UUID.randomUUID();
    log().append(moved(id, 100, "newest"));
    TokenedHistory read = decisions().historyWithToken(idOf(id), HistoryQuery.all());

    log().append(moved(id, 1, "happened long before, reported late"));

    assertThatThrownBy(
            () -> decisions().append(closed(id, 200), AppendCondition.unchangedSince(read.token())))
        .isInstanceOf(AppendConflictException.class);
    assertThatThrownBy(
            () ->
                decisions()
                    .append(closed(id, 200), AppendCondition.noEventsSince(read.token(), "moved")))
        .isInstanceOf(AppendConflictException.class);
    assertThat(history(id)).hasSize(2);
  }

  @Test
  public void aDecisionAfterTheTokenIsAChange() {
    UUID id = UUID.randomUUID();
    ConsistencyToken token = decisions().append(opened(id, "alice"), AppendCondition.noEventsYet());
    decisions().append(moved(id, 10, "first"), AppendCondition.unchangedSince(token));

    assertThatThrownBy(
            () ->
                decisions().append(moved(id, 20, "second"), AppendCondition.unchangedSince(token)))
        .isInstanceOfSatisfying(
            AppendConflictException.class,
            conflict -> {
              assertThat(conflict.decisionsSince()).isEqualTo(1);
              assertThat(conflict.current()).isGreaterThan(token);
            });
    assertThat(history(id))
        .extracting(e -> e.parameters().find("location").orElse("-"))
        .containsExactly("-", "first");
  }

  @Test
  public void noEventsSinceLooksOnlyAtTheNamedEventsWhetherPlainOrDecided() {
    UUID id = UUID.randomUUID();
    log().append(opened(id, "alice"));
    log().append(closed(id, 1)); // a "closed" before the token does not count
    ConsistencyToken token = decisions().historyWithToken(idOf(id), HistoryQuery.all()).token();
    log().append(moved(id, 10, "plain"));
    decisions().append(moved(id, 20, "decided"), AppendCondition.none());
    decisions()
        .append(
            moved(id, 25, "decided on a condition"),
            AppendCondition.noEventsSince(token, "closed"));

    ConsistencyToken afterMoves =
        decisions()
            .append(
                moved(id, 30, "still no new closed"),
                AppendCondition.noEventsSince(token, "closed"));
    decisions().append(closed(id, 40), AppendCondition.unchangedSince(afterMoves));

    assertThatThrownBy(
            () ->
                decisions()
                    .append(
                        moved(id, 50, "after closed"),
                        AppendCondition.noEventsSince(token, "closed", "opened")))
        .isInstanceOfSatisfying(
            AppendConflictException.class,
            conflict -> {
              assertThat(conflict.eventNames()).contains("closed").doesNotContain("opened");
              assertThat(conflict.getMessage()).contains("closed");
            });
    log().append(closed(id, 60));
    ConsistencyToken beforePlainClose = afterMoves;
    assertThatThrownBy(
            () ->
                decisions()
                    .append(
                        moved(id, 70, "x"),
                        AppendCondition.noEventsSince(beforePlainClose, "closed")))
        .isInstanceOf(AppendConflictException.class);
    assertThat(history(id)).hasSize(8);
  }

  @Test
  public void repeatsOfStoredEventsAreNoChange() {
    UUID id = UUID.randomUUID();
    List<Event> facts = capture(moved(id, 5, "reported"));
    log().append(facts);
    List<Event> decided = capture(opened(id, "alice"));
    ConsistencyToken token =
        decisions().append(decided, AppendCondition.noEventsSince(tokenOf(id), "opened"));

    // At-least-once delivery: both come round again, say from a Kafka topic.
    log().append(facts);
    log().append(decided);

    ConsistencyToken next =
        decisions().append(closed(id, 10), AppendCondition.unchangedSince(token));
    assertThat(next).isGreaterThan(token);
    assertThat(history(id)).hasSize(3);
  }

  @Test
  public void capturedEventsKeepTheirProcessingIds() {
    UUID id = UUID.randomUUID();
    List<Event> decided = capture(opened(id, "alice"));

    ConsistencyToken token = decisions().append(decided, AppendCondition.noEventsYet());

    assertThat(history(id).get(0).processingId()).isEqualTo(decided.get(0).processingId());
    assertThat(token.appended()).isEqualTo(decided.get(0).processingId());
  }

  @Test
  public void appendingTheSameCapturedEventsAgainReturnsTheirTokenInsteadOfAConflict() {
    UUID id = UUID.randomUUID();
    List<Event> decided = capture(opened(id, "alice"));
    ConsistencyToken token = decisions().append(decided, AppendCondition.noEventsYet());

    ConsistencyToken again = decisions().append(decided, AppendCondition.noEventsYet());

    assertThat(again).isEqualTo(token);
    assertThat(history(id)).hasSize(1);
    assertThatThrownBy(
            () -> decisions().append(capture(opened(id, "alice")), AppendCondition.noEventsYet()))
        .isInstanceOf(AppendConflictException.class);
  }

  @Test
  public void noConditionWritesAsAPlainAppendAndReturnsATokenOfIt() {
    UUID id = UUID.randomUUID();
    ConsistencyToken first = decisions().append(opened(id, "alice"), AppendCondition.none());
    ConsistencyToken second = decisions().append(moved(id, 5, "x"), AppendCondition.none());

    assertThat(second.isAtLeast(first)).isTrue();
    assertThat(second).isGreaterThan(first);
    assertThat(history(id)).hasSize(2);
    assertThat(decisions().historyWithToken(idOf(id), HistoryQuery.all(), second).events())
        .hasSize(2);
  }

  @Test
  public void aHistoryReadAtLeastAtATokenContainsTheWritesItStandsFor() {
    UUID id = UUID.randomUUID();
    ConsistencyToken created =
        decisions().append(opened(id, "alice"), AppendCondition.noEventsYet());
    ConsistencyToken moved =
        decisions().append(moved(id, 10, "hub"), AppendCondition.unchangedSince(created));

    TokenedHistory read =
        decisions().historyWithToken(idOf(id), HistoryQuery.all().descending(), moved);

    assertThat(read.events())
        .extracting(e -> e.parameters().find("location").orElse("-"))
        .containsExactly("hub", "-");
    assertThat(read.token().isAtLeast(moved)).isTrue();
    assertThat(read.aggregate()).isEqualTo(idOf(id));
  }

  @Test
  public void anUnknownAggregateReadsEmptyWithATokenThatNoEventsYetAgreesWith() {
    UUID id = UUID.randomUUID();
    TokenedHistory read = decisions().historyWithToken(idOf(id), HistoryQuery.all());

    assertThat(read.events()).isEmpty();
    ConsistencyToken token =
        decisions().append(opened(id, "alice"), AppendCondition.unchangedSince(read.token()));
    assertThat(token).isGreaterThan(read.token());
  }

  @Test
  public void tokensRoundTripThroughTheirShortTextForm() {
    UUID id = UUID.randomUUID();
    ConsistencyToken token = decisions().append(opened(id, "alice"), AppendCondition.noEventsYet());

    String text = token.toString();
    ConsistencyToken parsed = ConsistencyToken.parse(text);

    assertThat(text).matches("[A-Za-z0-9_-]{8,64}");
    assertThat(parsed).isEqualTo(token);
    ConsistencyToken next =
        decisions().append(moved(id, 5, "x"), AppendCondition.unchangedSince(parsed));
    assertThat(next).isGreaterThan(parsed);
  }

  @Test
  public void refusesTokenTextThatIsNotAToken() {
    assertThatThrownBy(() -> ConsistencyToken.parse("not a token!"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a token!")
        .hasMessageContaining("not a consistency token");
    assertThatThrownBy(() -> ConsistencyToken.parse("AAAA"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a consistency token");
    String valid = ConsistencyToken.of(idOf(UUID.randomUUID()), 3, null, null).toString();
    assertThatThrownBy(() -> ConsistencyToken.parse(valid + "AAAA"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a consistency token");
  }

  @Test
  public void refusesAnotherAggregatesTokenWritingNothing() {
    UUID id = UUID.randomUUID();
    UUID other = UUID.randomUUID();
    ConsistencyToken othersToken =
        decisions().append(opened(other, "bob"), AppendCondition.noEventsYet());

    assertThatThrownBy(
            () ->
                decisions()
                    .append(opened(id, "alice"), AppendCondition.unchangedSince(othersToken)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(idOf(id).toString())
        .hasMessageContaining("another aggregate");
    assertThatThrownBy(
            () -> decisions().historyWithToken(idOf(id), HistoryQuery.all(), othersToken))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("another aggregate");
    assertThat(history(id)).isEmpty();
  }

  @Test
  public void refusesATokenAheadOfEverythingTheStoreHasWritingNothing() {
    UUID id = UUID.randomUUID();
    ConsistencyToken token = decisions().append(opened(id, "alice"), AppendCondition.noEventsYet());
    ConsistencyToken fromTheFuture =
        ConsistencyToken.of(idOf(id), token.decisions() + 5, token.facts().orElse(null), null);

    assertThatThrownBy(
            () ->
                decisions()
                    .append(moved(id, 5, "x"), AppendCondition.unchangedSince(fromTheFuture)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(fromTheFuture.toString())
        .hasMessageContaining("ahead");
    assertThatThrownBy(
            () -> decisions().historyWithToken(idOf(id), HistoryQuery.all(), fromTheFuture))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ahead");
    assertThat(history(id)).hasSize(1);
  }

  @Test
  public void refusesBatchesThatAreEmptyHoldANullOrSpanAggregatesWritingNothing() {
    UUID id = UUID.randomUUID();
    UUID other = UUID.randomUUID();
    List<Event> withNull = new ArrayList<>(opened(id, "alice"));
    withNull.add(null);
    List<Event> twoAggregates = new ArrayList<>(opened(id, "alice"));
    twoAggregates.addAll(opened(other, "bob"));

    assertThatThrownBy(() -> decisions().append(List.of(), AppendCondition.noEventsYet()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> decisions().append(withNull, AppendCondition.noEventsYet()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("null");
    assertThatThrownBy(() -> decisions().append(twoAggregates, AppendCondition.noEventsYet()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(idOf(other).toString());
    assertThat(history(id)).isEmpty();
    assertThat(history(other)).isEmpty();
  }

  @Test
  public void ofWritersRacingOnOneConditionExactlyOneWins() throws Exception {
    int writers = racingWriters();
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      for (int round = 0; round < racingRounds(); round++) {
        UUID id = UUID.randomUUID();
        log().append(opened(id, "owner"));
        ConsistencyToken token = decisions().historyWithToken(idOf(id), HistoryQuery.all()).token();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> outcomes = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
          List<Event> claim = moved(id, 10, "writer-" + w);
          Callable<Boolean> attempt =
              () -> {
                start.await();
                try {
                  decisions().append(claim, AppendCondition.unchangedSince(token));
                  return true;
                } catch (AppendConflictException e) {
                  return false;
                }
              };
          outcomes.add(pool.submit(attempt));
        }
        start.countDown();
        List<String> winners = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
          if (outcomes.get(w).get(60, TimeUnit.SECONDS)) {
            winners.add("writer-" + w);
          }
        }
        assertThat(winners).as("winners of round %s", round).hasSize(1);
        assertThat(history(id))
            .as("history of round %s", round)
            .extracting(e -> e.parameters().find("location").orElse("-"))
            .containsExactly("-", winners.get(0));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private ConsistencyToken tokenOf(UUID id) {
    return decisions().historyWithToken(idOf(id), HistoryQuery.all()).token();
  }

  private static List<Event> capture(List<Event> events) {
    return events.stream().map(Event::captured).toList();
  }
}
