package io.cursus.api.mapping;

import static java.lang.annotation.RetentionPolicy.RUNTIME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.EventCharacteristic;
import io.cursus.api.EventType;
import io.cursus.api.HandlesEventsFor;
import io.cursus.api.Initial;
import io.cursus.api.Parameters;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.bus.EventBus;
import io.cursus.api.memory.InMemoryEventStore;
import java.lang.annotation.Retention;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A parameter may be null only where its declaration says so: {@code @Nullable} (any annotation of
 * that name kept at run time) on an interface's parameter or a record's component. The Kotlin
 * {@code String?} is tested in the Kotlin module.
 */
class NullParametersTest {

  private static final StreamTimestamp AT =
      StreamTimestamp.of("desk", Instant.parse("2026-11-22T09:00:00Z"));

  /** JSpecify's {@code @Nullable}, a type annotation. */
  @HandlesEventsFor("note")
  interface NoteEvents {
    @Initial
    void written(
        StreamTimestamp ts, String id, String text, @org.jspecify.annotations.Nullable String by);
  }

  /** Jakarta's {@code @Nullable}, a declaration annotation, on a record component. */
  @HandlesEventsFor("memo")
  sealed interface MemoEvent {
    @Initial
    record Written(String text, @jakarta.annotation.Nullable String by) implements MemoEvent {}
  }

  /** An application's own annotation: recognised by its simple name. */
  @Retention(RUNTIME)
  @interface Nullable {}

  @HandlesEventsFor("tag")
  interface TagEvents {
    @Initial
    void tagged(StreamTimestamp ts, String id, @Nullable String label);
  }

  /** The same event as {@link NoteEvents}, but without a nullable parameter. */
  @HandlesEventsFor("note")
  interface StrictNoteEvents {
    @Initial
    void written(StreamTimestamp ts, String id, String text, String by);
  }

  @HandlesEventsFor("count")
  @SuppressWarnings("NullablePrimitive") // the mistake under test
  interface NullablePrimitive {
    @Initial
    void counted(StreamTimestamp ts, String id, @jakarta.annotation.Nullable int count);
  }

  @HandlesEventsFor("count")
  @SuppressWarnings("NullableOptional") // the mistake under test
  interface NullableOptional {
    @Initial
    void counted(StreamTimestamp ts, String id, @jakarta.annotation.Nullable Optional<String> note);
  }

  @Test
  void anInterfaceParameterRefusesNullUnlessDeclaredNullable() {
    // given
    List<Event> out = new ArrayList<>();
    NoteEvents notes = EventMapper.emitter(NoteEvents.class, out::add);

    // when
    notes.written(AT, "n-1", "hello", null);

    // then: the nullable one reads back as null, the other refuses null
    assertThat(out.get(0).parameters().contains("by")).isTrue();
    assertThat(out.get(0).parameters().get("by")).isNull();
    List<String> handled = new ArrayList<>();
    EventMapper.handler(NoteEvents.class, (ts, id, text, by) -> handled.add(text + " by " + by))
        .dispatch(out.get(0));
    assertThat(handled).containsExactly("hello by null");
    assertThatThrownBy(() -> notes.written(AT, "n-1", null, "Ann"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "NoteEvents.written: parameter 'text' must not be null; to allow null, declare it"
                + " @Nullable (in Kotlin, of a nullable type such as String?)");
  }

  @Test
  void aRecordComponentRefusesNullUnlessDeclaredNullable() {
    EventCodec<MemoEvent> codec = EventMapper.codec(MemoEvent.class);

    Event event = codec.toEvent("m-1", AT, new MemoEvent.Written("hello", null));

    assertThat(codec.fromEvent(event).event()).isEqualTo(new MemoEvent.Written("hello", null));
    assertThatThrownBy(() -> codec.toEvent("m-1", AT, new MemoEvent.Written(null, "Ann")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("MemoEvent.Written: parameter 'text' must not be null;");
  }

  @Test
  void anyAnnotationNamedNullableKeptAtRunTimeCounts() {
    List<Event> out = new ArrayList<>();

    EventMapper.emitter(TagEvents.class, out::add).tagged(AT, "t-1", null);

    assertThat(out)
        .singleElement()
        .satisfies(e -> assertThat(e.parameters().get("label")).isNull());
  }

  @Test
  void theSchemaSaysWhichParametersMayBeNull() {
    assertThat(EventDeclaration.of(NoteEvents.class).events().get(0).parameters())
        .extracting(ParameterSchema::toString)
        .containsExactly("text: java.lang.String", "by: java.lang.String (nullable)");
    assertThat(EventDeclaration.of(MemoEvent.class).events().get(0).parameters())
        .extracting(ParameterSchema::nullable)
        .containsExactly(false, true);
  }

  @Test
  void twoDeclarationsOfAnEventMustAgreeOnWhatMayBeNull() {
    assertThatThrownBy(() -> EventTypeRegistry.of(NoteEvents.class, StrictNoteEvents.class))
        .isInstanceOf(DeclarationException.class)
        .hasMessageContaining("event note/written_1 is declared differently by NoteEvents")
        .hasMessageContaining("by: java.lang.String (nullable)");
  }

  @Test
  void aNullablePrimitiveOrOptionalIsADeclarationMistake() {
    assertThatThrownBy(() -> EventDeclaration.of(NullablePrimitive.class))
        .isInstanceOf(DeclarationException.class)
        .hasMessage(
            "NullablePrimitive.counted: parameter 'count' is declared @Nullable but its type int"
                + " cannot be null; declare it Integer to allow null");
    assertThatThrownBy(() -> EventDeclaration.of(NullableOptional.class))
        .isInstanceOf(DeclarationException.class)
        .hasMessageStartingWith(
            "NullableOptional.counted: parameter 'note' is an Optional declared @Nullable");
  }

  @Test
  void theValidatingBusRefusesANullBuiltByHandWhereTheDeclarationDoesNotAllowIt() {
    // given
    InMemoryEventStore store = InMemoryEventStore.empty();
    EventBus bus = EventBus.writingTo(store, EventTypeRegistry.of(NoteEvents.class));
    AggregateId id = AggregateId.of("note", "n-1");
    EventType written = EventType.of("note", "written");
    Set<EventCharacteristic> initial = Set.of(EventCharacteristic.INITIAL);

    // when
    bus.dispatch(Event.of(id, AT, written, Parameters.of("text", "hi", "by", null), initial));

    // then
    assertThat(store.history(id)).hasSize(1);
    assertThatThrownBy(
            () ->
                bus.dispatch(
                    Event.of(
                        id,
                        AT.plus(1, ChronoUnit.MILLIS),
                        written,
                        Parameters.of("text", null, "by", "Ann"),
                        initial)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith(
            "(declared by NoteEvents.written): parameter 'text' is null, but java.lang.String is"
                + " not declared nullable; to allow null, declare it @Nullable (in Kotlin, of a"
                + " nullable type such as String?)");
    assertThat(store.history(id)).hasSize(1);
  }

  @Test
  void aNullStoredForAParameterThatIsNotNullableIsRefusedOnATypedRead() {
    InMemoryEventStore store = InMemoryEventStore.empty();
    AggregateId id = AggregateId.of("memo", "m-1");
    EventBus.to(store::append)
        .dispatch(
            Event.of(
                id,
                AT,
                EventType.of("memo", "written"),
                Parameters.of("text", null, "by", null),
                Set.of(EventCharacteristic.INITIAL)));

    assertThatThrownBy(() -> store.history(MemoEvent.class, "m-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "MemoEvent.Written: parameter 'text' of memo/m-1 is null but java.lang.String does"
                + " not allow null");
    assertThat(store.history(id))
        .extracting(Event::parameters)
        .containsExactly(Parameters.of("text", null, "by", null));
  }
}
