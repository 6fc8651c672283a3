package io.cursus.api.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.EventType;
import io.cursus.api.Parameters;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.bus.EventBus;
import io.cursus.api.fixtures.ChildFirstLoader;
import io.cursus.api.state.elsewhere.HiddenTallies;
import io.cursus.api.state.elsewhere.PluginTally;
import io.cursus.api.state.elsewhere.TallyEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * How {@link StateMethod} calls state methods: directly up to {@link StateMethod#DIRECT_PARAMETERS}
 * parameters, through the method handle beyond that or where the spun class cannot reach the state
 * class, with the same results and the same errors either way.
 */
class StateMethodTest {

  private static final Instant T0 = Instant.parse("2026-04-01T08:00:00Z");
  private static final String ID = "t-1";

  /** Updates of every shape; e4 and e6 are at the direct limit, e7 is beyond it. */
  public static final class Tally {
    final List<String> calls = new ArrayList<>();

    public static Tally e0() {
      Tally tally = new Tally();
      tally.calls.add("e0()");
      return tally;
    }

    @SuppressWarnings("DoNotCallSuggester") // a state method that fails, on purpose
    public void e1(int a) {
      calls.add("e1(" + a + ")");
    }

    public Tally e2(int a, int b) {
      calls.add("e2(" + a + "," + b + ")");
      return this;
    }

    public void e3(StreamTimestamp ts, int a, int b, int c) {
      calls.add("e3(" + ts.timestamp().getEpochSecond() % 100 + "," + a + "," + b + "," + c + ")");
    }

    public Tally e4(StreamTimestamp ts, String tallyId, int a, int b, int c, int d) {
      calls.add("e4(" + tallyId + "," + a + "," + b + "," + c + "," + d + ")");
      return new Tally(this);
    }

    public void e5(int a, int b, int c, int d, int e) {
      calls.add("e5(" + a + "," + b + "," + c + "," + d + "," + e + ")");
    }

    public void e6(int a, int b, int c, int d, int e, int f) {
      calls.add("e6(" + a + "," + b + "," + c + "," + d + "," + e + "," + f + ")");
    }

    public Tally e7(
        StreamTimestamp ts, String tallyId, int a, int b, int c, int d, int e, int f, int g) {
      calls.add("e7(" + tallyId + "," + a + "," + b + "," + c + "," + d + "," + e + "," + f);
      calls.add(g + ")");
      return this;
    }

    private Tally() {}

    private Tally(Tally before) {
      calls.addAll(before.calls);
    }
  }

  /** Factories at the direct limit (e6) and beyond it (e7). */
  public static final class Wide {
    final String made;

    private Wide(String made) {
      this.made = made;
    }

    public static Wide e6(int a, int b, int c, int d, int e, int f) {
      return new Wide("e6(" + a + "," + b + "," + c + "," + d + "," + e + "," + f + ")");
    }

    public static Wide e7(
        StreamTimestamp ts, String tallyId, int a, int b, int c, int d, int e, int f, int g) {
      return new Wide("e7(" + tallyId + "," + a + "," + g + ")");
    }
  }

  /** A record as the state class. */
  public record Sum(int total) {
    public static Sum e0() {
      return new Sum(0);
    }

    public Sum e1(int a) {
      return new Sum(total + a);
    }

    public Sum e2(int a, int b) {
      return new Sum(total + a + b);
    }
  }

  /** A state class of this package: the spun class, of this package too, reaches it. */
  static final class Near {
    int total;

    public static Near e0() {
      return new Near();
    }

    @SuppressWarnings("DoNotCallSuggester") // a state method that fails, on purpose
    public void e1(int a) {
      total += a;
    }
  }

  /** Takes the aggregate id as a long, which the declaration's text id may not be. */
  public static final class Numbered {
    final long id;

    private Numbered(long id) {
      this.id = id;
    }

    public static Numbered e0(StreamTimestamp ts, long tallyId) {
      return new Numbered(tallyId);
    }
  }

  /** Its methods fail by themselves, with the exceptions a bad argument also causes. */
  public static final class Failing {
    public static Failing e0() {
      return new Failing();
    }

    @SuppressWarnings("DoNotCallSuggester") // a state method that fails, on purpose
    public void e1(int a) {
      throw new IllegalArgumentException("e1 refuses " + a);
    }

    @SuppressWarnings("DoNotCallSuggester") // a state method that fails, on purpose
    public void e2(int a, int b) {
      throw new ClassCastException("e2 casts badly");
    }

    public Failing e3(int a, int b, int c) {
      return null;
    }
  }

  private static List<Event> history(Consumer<TallyEvents> calls) {
    return history(ID, calls);
  }

  private static List<Event> history(String id, Consumer<TallyEvents> calls) {
    List<Event> events = new ArrayList<>();
    TallyEvents emitter = EventBus.to(events::addAll).emitter(TallyEvents.class);
    calls.accept(
        new TallyEvents() {
          private int second;

          private StreamTimestamp next() {
            return StreamTimestamp.of(T0.plusSeconds(second++));
          }

          @Override
          public void e0(StreamTimestamp ts, String tallyId) {
            emitter.e0(next(), id);
          }

          @Override
          public void e1(StreamTimestamp ts, String tallyId, int a) {
            emitter.e1(next(), id, a);
          }

          @Override
          public void e2(StreamTimestamp ts, String tallyId, int a, int b) {
            emitter.e2(next(), id, a, b);
          }

          @Override
          public void e3(StreamTimestamp ts, String tallyId, int a, int b, int c) {
            emitter.e3(next(), id, a, b, c);
          }

          @Override
          public void e4(StreamTimestamp ts, String tallyId, int a, int b, int c, int d) {
            emitter.e4(next(), id, a, b, c, d);
          }

          @Override
          public void e5(StreamTimestamp ts, String tallyId, int a, int b, int c, int d, int e) {
            emitter.e5(next(), id, a, b, c, d, e);
          }

          @Override
          public void e6(
              StreamTimestamp ts, String tallyId, int a, int b, int c, int d, int e, int f) {
            emitter.e6(next(), id, a, b, c, d, e, f);
          }

          @Override
          public void e7(
              StreamTimestamp ts, String tallyId, int a, int b, int c, int d, int e, int f, int g) {
            emitter.e7(next(), id, a, b, c, d, e, f, g);
          }
        });
    return events;
  }

  private static List<Event> everyArity() {
    return history(
        t -> {
          t.e0(null, null);
          t.e1(null, null, 1);
          t.e2(null, null, 1, 2);
          t.e3(null, null, 1, 2, 3);
          t.e4(null, null, 1, 2, 3, 4);
          t.e5(null, null, 1, 2, 3, 4, 5);
          t.e6(null, null, 1, 2, 3, 4, 5, 6);
          t.e7(null, null, 1, 2, 3, 4, 5, 6, 7);
        });
  }

  private static EventType type(String name) {
    return EventType.of("tally", name);
  }

  /** {@code event} with parameter {@code name} set to {@code value} instead. */
  private static Event with(Event event, String name, Object value) {
    Parameters.Builder parameters = Parameters.builder();
    event.parameters().asMap().forEach((n, v) -> parameters.add(n, n.equals(name) ? value : v));
    return Event.of(
        event.aggregateId(),
        event.timestamp(),
        event.type(),
        parameters.build(),
        event.characteristics());
  }

  @Test
  void callsUpdatesOfEveryShapeDirectlyUpToTheLimitAndThroughTheHandleBeyondIt() {
    StateBuilder<Tally> builder = StateBuilder.of(Tally.class, TallyEvents.class);

    Tally tally = builder.build(everyArity()).orElseThrow();

    assertThat(tally.calls)
        .containsExactly(
            "e0()",
            "e1(1)",
            "e2(1,2)",
            "e3(3,1,2,3)",
            "e4(t-1,1,2,3,4)",
            "e5(1,2,3,4,5)",
            "e6(1,2,3,4,5,6)",
            "e7(t-1,1,2,3,4,5,6",
            "7)");
    for (String direct : List.of("e0", "e1", "e2", "e3", "e4", "e5", "e6")) {
      assertThat(builder.callsDirectly(type(direct))).as(direct).isTrue();
    }
    assertThat(builder.callsDirectly(type("e7"))).isFalse();
  }

  @Test
  @SuppressWarnings("JdkObsolete") // a LinkedList on purpose: a list without access by index
  void aHistoryWithoutAccessByIndexOrOrderGivesTheSameState() {
    List<Event> shuffled = new ArrayList<>(everyArity());
    Collections.reverse(shuffled);
    StateBuilder<Tally> builder = StateBuilder.of(Tally.class, TallyEvents.class);
    List<String> calls = builder.build(everyArity()).orElseThrow().calls;

    assertThat(builder.build(new LinkedList<>(everyArity())).orElseThrow().calls).isEqualTo(calls);
    assertThat(builder.build(new LinkedList<>(shuffled)).orElseThrow().calls).isEqualTo(calls);
    assertThat(builder.build(shuffled).orElseThrow().calls).isEqualTo(calls);
  }

  @Test
  void callsFactoriesDirectlyUpToTheLimitAndThroughTheHandleBeyondIt() {
    StateBuilder<Wide> builder = StateBuilder.of(Wide.class, TallyEvents.class);

    assertThat(builder.build(history(t -> t.e6(null, null, 1, 2, 3, 4, 5, 6))).orElseThrow().made)
        .isEqualTo("e6(1,2,3,4,5,6)");
    assertThat(
            builder.build(history(t -> t.e7(null, null, 1, 2, 3, 4, 5, 6, 7))).orElseThrow().made)
        .isEqualTo("e7(t-1,1,7)");
    assertThat(builder.callsDirectly(type("e6"))).isTrue();
    assertThat(builder.callsDirectly(type("e7"))).isFalse();
  }

  @Test
  void aBuilderMadeAgainReusesTheSpunCalls() {
    StateBuilder<Tally> first = StateBuilder.of(Tally.class, TallyEvents.class);
    StateBuilder<Tally> second = StateBuilder.of(Tally.class, TallyEvents.class);

    for (String name : List.of("e0", "e1", "e2", "e6")) {
      assertThat(second.method(type(name)).target())
          .as(name)
          .isSameAs(first.method(type(name)).target());
    }
  }

  @Test
  void aRecordAndAStateClassOfThisPackageAreCalledDirectly() {
    List<Event> history =
        history(
            t -> {
              t.e0(null, null);
              t.e1(null, null, 3);
              t.e2(null, null, 4, 5);
            });
    StateBuilder<Sum> sums = StateBuilder.of(Sum.class, TallyEvents.class);
    StateBuilder<Near> nears = StateBuilder.of(Near.class, TallyEvents.class);

    assertThat(sums.build(history)).contains(new Sum(12));
    assertThat(nears.build(history).orElseThrow().total).isEqualTo(3);
    assertThat(sums.callsDirectly(type("e2"))).isTrue();
    assertThat(nears.callsDirectly(type("e1"))).isTrue();
  }

  @Test
  void aStateClassTheSpunClassCannotReachIsCalledThroughItsHandles() {
    List<Event> history =
        history(
            t -> {
              t.e0(null, null);
              t.e1(null, null, 3);
              t.e2(null, null, 4, 5);
              t.e5(null, null, 1, 2, 3, 4, 5);
            });
    StateBuilder<?> hidden = HiddenTallies.builder();

    assertThat(HiddenTallies.calls(hidden.build(history).orElseThrow()))
        .containsExactly("e0()", "e1(3)", "e2(4,5)", "e5(1,2,3,4,5)");
    for (String name : List.of("e0", "e1", "e2", "e5")) {
      assertThat(hidden.callsDirectly(type(name))).as(name).isFalse();
    }
  }

  @Test
  void aStateClassOfAnotherLoaderIsCalledThroughItsHandles() throws Exception {
    List<Event> history =
        history(
            t -> {
              t.e0(null, null);
              t.e1(null, null, 3);
              t.e2(null, null, 4, 5);
            });
    String name = PluginTally.class.getName();
    Class<?> plugin = new ChildFirstLoader(getClass().getClassLoader(), name).loadClass(name);
    StateBuilder<?> ours = StateBuilder.of(PluginTally.class, TallyEvents.class);
    StateBuilder<?> theirs = StateBuilder.of(plugin, TallyEvents.class);

    Object tally = theirs.build(history).orElseThrow();

    assertThat(tally.getClass()).isSameAs(plugin).isNotSameAs(PluginTally.class);
    assertThat(plugin.getMethod("total").invoke(tally)).isEqualTo(23);
    assertThat(((PluginTally) ours.build(history).orElseThrow()).total()).isEqualTo(23);
    for (String event : List.of("e0", "e1", "e2")) {
      assertThat(theirs.callsDirectly(type(event))).as(event).isFalse();
      assertThat(ours.callsDirectly(type(event))).as(event).isTrue();
    }
  }

  @Test
  void aValueOfTheWrongTypeIsRefusedByNameWhicheverWayTheMethodIsCalled() {
    List<Event> history = new ArrayList<>(everyArity());
    history.set(1, with(history.get(1), "a", "one")); // e1, called directly
    history.set(7, with(history.get(7), "g", 7L)); // e7, called through the handle

    assertThatThrownBy(() -> StateBuilder.of(Tally.class, TallyEvents.class).build(history))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TallyEvents.e1: parameter 'a' of tally/t-1")
        .hasMessageContaining("is a java.lang.String but the declaration expects int");
    history.set(1, everyArity().get(1));
    assertThatThrownBy(() -> StateBuilder.of(Tally.class, TallyEvents.class).build(history))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TallyEvents.e7: parameter 'g'")
        .hasMessageContaining("is a java.lang.Long but the declaration expects int");
    List<Event> hidden = history(t -> t.e0(null, null));
    hidden.add(with(history(t -> t.e2(null, null, 1, 2)).get(0), "b", "two"));
    assertThatThrownBy(() -> HiddenTallies.builder().build(hidden))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TallyEvents.e2: parameter 'b'");
  }

  @Test
  void theFirstBadArgumentIsTheOneReported() {
    List<Event> history = history(t -> t.e0(null, null));
    Event e2 = history(t -> t.e2(null, null, 1, 2)).get(0);
    Parameters missingB = Parameters.of("a", "one");
    history.add(
        Event.of(e2.aggregateId(), e2.timestamp(), e2.type(), missingB, e2.characteristics()));

    // a is of the wrong type and b is missing: a comes first, as when values were checked first.
    assertThatThrownBy(() -> StateBuilder.of(Tally.class, TallyEvents.class).build(history))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("parameter 'a'")
        .hasMessageContaining("java.lang.String");
  }

  @Test
  void anIdThatIsNotOfTheMethodsIdTypeIsRefusedNamingBoth() {
    assertThat(
            StateBuilder.of(Numbered.class, TallyEvents.class)
                .build(history("42", t -> t.e0(null, null)))
                .orElseThrow()
                .id)
        .isEqualTo(42L);
    assertThatThrownBy(
            () ->
                StateBuilder.of(Numbered.class, TallyEvents.class)
                    .build(history(t -> t.e0(null, null))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("aggregate id 't-1' is not a valid long");
  }

  @Test
  void whatAStateMethodThrowsIsThrownAsItIs() {
    StateBuilder<Failing> builder = StateBuilder.of(Failing.class, TallyEvents.class);
    IllegalArgumentException refused = new IllegalArgumentException();
    ClassCastException badCast = new ClassCastException();

    assertThatThrownBy(
            () ->
                builder.build(
                    history(
                        t -> {
                          t.e0(null, null);
                          t.e1(null, null, 5);
                        })))
        .isInstanceOf(refused.getClass())
        .hasMessage("e1 refuses 5");
    assertThatThrownBy(
            () ->
                builder.build(
                    history(
                        t -> {
                          t.e0(null, null);
                          t.e2(null, null, 1, 2);
                        })))
        .isInstanceOf(badCast.getClass())
        .hasMessage("e2 casts badly");
    assertThatThrownBy(
            () ->
                builder.build(
                    history(
                        t -> {
                          t.e0(null, null);
                          t.e3(null, null, 1, 2, 3);
                        })))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Failing.e3 returned null for e3_1 tally/t-1");
  }

  @Test
  void eventsOfAnotherAggregateAreRefused() {
    List<Event> history = new ArrayList<>(everyArity());
    Event other = history("t-2", t -> t.e1(null, null, 9)).get(0);
    history.add(
        3,
        Event.of(
            AggregateId.of("tally", "t-2"),
            StreamTimestamp.of(T0.plusMillis(2500)),
            other.type(),
            other.parameters()));

    assertThatThrownBy(() -> StateBuilder.of(Tally.class, TallyEvents.class).build(history))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a state is built from one aggregate's history; found tally/t-1 and tally/t-2");
  }
}
