package io.cursus.api.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.EventType;
import io.cursus.api.HandlesEventsFor;
import io.cursus.api.Initial;
import io.cursus.api.Parameters;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.Timestamped;
import io.cursus.api.fixtures.ChildFirstLoader;
import io.cursus.api.internal.EventDecoder;
import io.cursus.api.mapping.elsewhere.HiddenEvent;
import io.cursus.api.mapping.elsewhere.PluginEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * How event records are built from events: through a spun class calling the canonical constructor
 * up to {@link RecordConstructor#DIRECT_COMPONENTS} components, through the shape's factory beyond
 * that or where the spun class cannot reach the record, with the same results and errors.
 */
class RecordConstructorTest {

  private static final StreamTimestamp AT =
      StreamTimestamp.of(Instant.parse("2026-05-01T10:00:00Z"));

  @HandlesEventsFor("widget")
  public sealed interface WidgetEvent {
    @Initial
    record Made() implements WidgetEvent {}

    record Painted(String colour) implements WidgetEvent {}

    record Measured(int width, long height, Optional<String> unit) implements WidgetEvent {}

    record Tagged(String a, String b, String c, String d, String e, List<String> f)
        implements WidgetEvent {}

    record Described(String a, String b, String c, String d, String e, String f, String g)
        implements WidgetEvent {}

    record Renamed(String name) implements WidgetEvent {
      public Renamed {
        if (name.isBlank()) {
          throw new IllegalArgumentException("a name must not be blank");
        }
      }
    }
  }

  private static final EventCodec<WidgetEvent> WIDGETS = EventMapper.codec(WidgetEvent.class);

  private static <E> E roundTrip(EventCodec<E> codec, E event) {
    return codec.fromEvent(codec.toEvent("w-1", AT, event)).event();
  }

  @Test
  void recordsUpToTheLimitAreBuiltDirectlyAndBeyondItByTheirShape() {
    List<WidgetEvent> events =
        List.of(
            new WidgetEvent.Made(),
            new WidgetEvent.Painted("red"),
            new WidgetEvent.Measured(3, 4L, Optional.of("cm")),
            new WidgetEvent.Measured(3, 4L, Optional.empty()),
            new WidgetEvent.Tagged("a", "b", "c", "d", "e", List.of("f")),
            new WidgetEvent.Described("a", "b", "c", "d", "e", "f", "g"));

    for (WidgetEvent event : events) {
      assertThat(roundTrip(WIDGETS, event)).isEqualTo(event);
    }
    assertThat(RecordConstructor.of(WidgetEvent.Made.class)).isNotNull();
    assertThat(RecordConstructor.of(WidgetEvent.Tagged.class)).isNotNull();
    assertThat(RecordConstructor.of(WidgetEvent.Described.class)).isNull();
  }

  @Test
  void recordsTheSpunClassCannotReachAreBuiltByTheirShape() {
    EventCodec<HiddenEvent> codec = EventMapper.codec(HiddenEvent.class);
    HiddenEvent opened = HiddenEvent.opened("Ada", 2);

    assertThat(roundTrip(codec, opened)).isEqualTo(opened);
    assertThat(RecordConstructor.of(opened.getClass())).isNull();
    Event blank =
        Event.of(AggregateId.of("hidden", "h-1"), AT, EventType.of("hidden", "noted"), note(" "));
    assertThatThrownBy(() -> codec.fromEvent(blank))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a note must say something");
  }

  @Test
  void recordsOfAnotherLoaderAreBuiltByTheirShape() throws ClassNotFoundException {
    String family = PluginEvent.class.getName();
    String installed = PluginEvent.Installed.class.getName();
    ClassLoader loader = new ChildFirstLoader(getClass().getClassLoader(), family, installed);
    Class<?> theirs = loader.loadClass(installed);
    EventCodec<?> codec = EventMapper.codec(loader.loadClass(family));
    Event event =
        Event.of(
            AggregateId.of("plugin", "p-1"),
            AT,
            EventType.of("plugin", "installed"),
            Parameters.of("by", "Ada", "version", 3));

    Object decoded = codec.fromEvent(event).event();

    assertThat(decoded.getClass()).isSameAs(theirs).isNotSameAs(PluginEvent.Installed.class);
    assertThat(decoded).hasToString("Installed[by=Ada, version=3]");
    assertThat(RecordConstructor.of(theirs)).isNull();
    assertThat(RecordConstructor.of(PluginEvent.Installed.class)).isNotNull();
  }

  private static Parameters note(String note) {
    return Parameters.of("note", note);
  }

  @Test
  void aValueOfTheWrongTypeOrAMissingOneIsRefusedByName() {
    Event measured = WIDGETS.toEvent("w-1", AT, new WidgetEvent.Measured(3, 4L, Optional.empty()));
    Event wrongType =
        withParameters(
            measured, Parameters.of("width", 3, "height", "tall", "unit", Optional.empty()));
    Event missing = withParameters(measured, Parameters.of("width", 3, "unit", Optional.empty()));
    Event both = withParameters(measured, Parameters.of("width", "wide", "unit", Optional.empty()));

    assertThatThrownBy(() -> WIDGETS.fromEvent(wrongType))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("WidgetEvent.Measured: parameter 'height' of widget/w-1")
        .hasMessageContaining("is a java.lang.String but the declaration expects long");
    assertThatThrownBy(() -> WIDGETS.fromEvent(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has no parameter 'height'");
    assertThatThrownBy(() -> WIDGETS.fromEvent(both))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("parameter 'width'");
  }

  @Test
  void whatTheConstructorThrowsIsThrownAsItIs() {
    Event blank =
        Event.of(
            AggregateId.of("widget", "w-1"),
            AT,
            EventType.of("widget", "renamed"),
            Parameters.of("name", " "));

    assertThatThrownBy(() -> WIDGETS.fromEvent(blank))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a name must not be blank");
  }

  @Test
  void aDecoderDecodesTheEventsOfItsType() {
    Event painted = WIDGETS.toEvent("w-1", AT, new WidgetEvent.Painted("blue"));
    EventDecoder<WidgetEvent> decoder =
        WIDGETS.decoder(EventType.of("widget", "painted")).orElseThrow();

    assertThat(decoder.event(painted)).isEqualTo(new WidgetEvent.Painted("blue"));
    assertThat(decoder.isInitial()).isFalse();
    assertThat(decoder.schema().type()).isEqualTo(painted.type());
    assertThat(WIDGETS.decoder(EventType.of("widget", "made")).orElseThrow().isInitial()).isTrue();
    assertThat(WIDGETS.decoder(EventType.of("widget", "scrapped"))).isEmpty();
    assertThat(WIDGETS.decode(painted))
        .contains(Timestamped.of(AT, new WidgetEvent.Painted("blue")));
  }

  private static Event withParameters(Event event, Parameters parameters) {
    return Event.of(event.aggregateId(), event.timestamp(), event.type(), parameters);
  }
}
