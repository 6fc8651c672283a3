package io.cursus.api.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.Event;
import io.cursus.api.Parameters;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.fixtures.AllTypes;
import io.cursus.api.fixtures.AllTypes.Colour;
import io.cursus.api.fixtures.AllTypes.Dimensions;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class EventValidatorTest {

  private static final StreamTimestamp AT =
      StreamTimestamp.of("s", Instant.parse("2026-03-01T09:00:00Z"));
  private static final UUID REF = UUID.fromString("3f0e9a55-7c1e-4c56-9a43-9d0f1c1b2a10");
  private static final EventValidator VALIDATOR =
      EventValidator.of(EventTypeRegistry.of(AllTypes.class));

  private static Event everything() {
    List<Event> out = new ArrayList<>();
    EventMapper.emitter(AllTypes.class, out::add)
        .everything(
            AT,
            "s-1",
            "text",
            1,
            2L,
            0.5,
            true,
            3,
            REF,
            AT.timestamp(),
            LocalDate.of(2026, 3, 9),
            new BigDecimal("12.50"),
            Colour.RED,
            new Dimensions(3, 4, Optional.of("cm")),
            List.of(new Dimensions(1, 2, Optional.empty())),
            Set.of(Colour.GREEN),
            Map.of("a", List.of(REF)),
            Optional.of(LocalDate.of(2026, 4, 1)));
    return out.get(0);
  }

  /** {@code event} with parameter {@code name} replaced by {@code value}. */
  private static Event with(Event event, String name, Object value) {
    return changed(
        event,
        values -> {
          values.put(name, value);
          return values;
        });
  }

  private static Event changed(Event event, UnaryOperator<Map<String, Object>> change) {
    Map<String, Object> values = new LinkedHashMap<>(event.parameters().asMap());
    return Event.of(
        event.aggregateId(),
        event.timestamp(),
        event.type(),
        Parameters.of(change.apply(values)),
        event.characteristics());
  }

  @Test
  void passesAnEventOfEveryParameterTypeAsTheMappingCoreMadeIt() {
    VALIDATOR.check(everything());
  }

  @Test
  void checksTheElementsOfCollectionsAndMapsAndTheContentOfOptionals() {
    Event event = everything();

    assertThatThrownBy(() -> VALIDATOR.check(with(event, "colours", Set.of("GREEN"))))
        .hasMessageEndingWith(
            "parameter 'colours' is declared java.util.Set<io.cursus.api.fixtures.AllTypes$Colour>"
                + " but its element 0 is a java.lang.String: GREEN");
    assertThatThrownBy(() -> VALIDATOR.check(with(event, "groups", Map.of("a", List.of("x")))))
        .hasMessageEndingWith(
            "parameter 'groups' is declared java.util.Map<java.lang.String,"
                + " java.util.List<java.util.UUID>> but its value at key a, element 0 is a"
                + " java.lang.String: x");
    assertThatThrownBy(() -> VALIDATOR.check(with(event, "due", Optional.of("tomorrow"))))
        .hasMessageEndingWith(
            "parameter 'due' is declared java.util.Optional<java.time.LocalDate> but its content"
                + " is a java.lang.String: tomorrow");
    assertThatThrownBy(() -> VALIDATOR.check(with(event, "small", 1L)))
        .hasMessageEndingWith(
            "(declared by AllTypes.everything): parameter 'small' is declared int but was given a"
                + " java.lang.Long: 1");
  }

  @Test
  void namesTheKnownVersionsOfAnUndeclaredVersion() {
    Event event = everything();
    Event second =
        Event.of(
            event.aggregateId(),
            event.timestamp(),
            io.cursus.api.EventType.of("sample", "everything", "2"),
            event.parameters(),
            event.characteristics());

    assertThatThrownBy(() -> VALIDATOR.check(second))
        .hasMessage(
            "event sample/everything_2 of sample/s-1 at "
                + AT
                + ": no declaration declares event type sample/everything_2; the registry knows"
                + " [AllTypes], which declare versions [1] of it");
  }

  @Test
  void theSerialisedSizeGrowsWithTheUtf8BytesOfTheTexts() {
    Event ascii = with(everything(), "text", "abc");
    Event accented = with(everything(), "text", "àbc");
    Event escaped = with(everything(), "text", "a\"c");
    Event control = with(everything(), "text", "a\u0001c");

    long base = EventValidator.serialisedSize(ascii);

    assertThat(EventValidator.serialisedSize(accented)).isEqualTo(base + 1);
    assertThat(EventValidator.serialisedSize(escaped)).isEqualTo(base + 1);
    assertThat(EventValidator.serialisedSize(control)).isEqualTo(base + 5);
    assertThat(EventValidator.serialisedSize(ascii.captured())).isEqualTo(base + 54);
  }

  @Test
  void refusesADecimalNoReaderWouldReadBackNamingTheParameterAndWhatToDo() {
    // found by EventJsonFuzzTest: such values were written, then refused by every reader
    Event event = everything();

    assertThatThrownBy(() -> VALIDATOR.check(with(event, "money", new BigDecimal("1E-1500"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("event sample/everything_1 of sample/s-1 at ")
        .hasMessageContaining(
            "parameter 'money' is a decimal written with 1502 characters, over the 1000 that a"
                + " reader accepts; round it (BigDecimal.setScale) or keep it as a String"
                + " parameter");
    assertThatThrownBy(() -> VALIDATOR.check(with(event, "money", new BigDecimal("1E+10000"))))
        .hasMessageContaining(
            "parameter 'money' is a decimal of scale -10000, beyond the 9999 either way that a"
                + " reader accepts");
    BigInteger huge = BigInteger.TEN.pow(100_000); // refused without printing its digits
    assertThatThrownBy(() -> VALIDATOR.check(with(event, "money", new BigDecimal(huge))))
        .hasMessageContaining(
            "parameter 'money' is a decimal of "
                + huge.bitLength()
                + " bits, written with more than the 1000 characters");
  }

  @Test
  void passesDecimalsUpToTheLimitsExactly() {
    Event event = everything();
    String digits = "9".repeat(EventValidator.MAX_NUMBER_CHARACTERS - 1);

    VALIDATOR.check(with(event, "money", new BigDecimal("-" + digits)));
    VALIDATOR.check(with(event, "money", new BigDecimal("1E+9999")));
    VALIDATOR.check(with(event, "money", new BigDecimal("1E-998"))); // 0.000…1: 1,000 characters
    assertThatThrownBy(() -> VALIDATOR.check(with(event, "money", new BigDecimal("1E-999"))))
        .hasMessageContaining("1001 characters");
    assertThatThrownBy(() -> VALIDATOR.check(with(event, "money", new BigDecimal("-9" + digits))))
        .hasMessageContaining("1001 characters");
  }
}
