package io.cursus.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cursus.api.mapping.ParameterSchema;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A value taken as it is from an upcaster is exactly what reading its JSON as the declared type
 * gives: for every pair here, the shortcut either declines or agrees with the JSON round trip.
 */
class PlainValuesTest {

  enum Mode {
    FAST,
    SLOW
  }

  private static final ObjectMapper MAPPER = JsonMappers.strict();
  private static final ParameterCodec CODEC = ParameterCodec.using(MAPPER);

  private static final List<Type> TYPES =
      List.of(
          String.class,
          long.class,
          Long.class,
          int.class,
          Integer.class,
          boolean.class,
          Boolean.class,
          BigDecimal.class,
          BigInteger.class,
          UUID.class,
          Instant.class,
          LocalDate.class,
          Duration.class,
          Mode.class,
          double.class);

  private static final List<Object> VALUES =
      List.of(
          "",
          "text",
          "lone \ud800 surrogate",
          "12",
          "true",
          "3f0e9a55-7c1e-4c56-9a43-9d0f1c1b2a10",
          "3F0E9A55-7C1E-4C56-9A43-9D0F1C1B2A10",
          "3f0e9a55-7c1e-4c56-9a43-9d0f1c1b2a1g",
          "3f0e9a55x7c1e-4c56-9a43-9d0f1c1b2a10",
          "1-1-1-1-1",
          "2026-01-02T03:04:05.123456789Z",
          "FAST",
          0,
          -7,
          Integer.MAX_VALUE,
          Long.MAX_VALUE,
          3_000_000_000L,
          true,
          new BigDecimal("12.50"),
          new BigDecimal("1E+3"),
          new BigDecimal("1E+10000"),
          BigInteger.TEN.pow(30),
          UUID.fromString("3f0e9a55-7c1e-4c56-9a43-9d0f1c1b2a10"),
          Instant.parse("2026-01-02T03:04:05.123456789Z"),
          LocalDate.of(2026, 2, 28),
          Duration.ofMillis(1500),
          Mode.SLOW,
          1.5,
          List.of("a"),
          Map.of("k", 1));

  @Test
  void everyValueTakenAsItIsIsWhatReadingItsJsonGives() throws Exception {
    int taken = 0;
    for (Type type : TYPES) {
      ParameterSchema parameter = new ParameterSchema("p", type);
      for (Object value : VALUES) {
        Object shortcut = PlainValues.asDeclared(type, value);
        if (shortcut == PlainValues.NOT_EXACT) {
          continue;
        }
        taken++;
        Object read = CODEC.read(parameter, MAPPER.writeValueAsString(value), () -> "p");

        assertThat(shortcut).as("%s as %s", value, type).isEqualTo(read);
        assertThat(shortcut.getClass()).as("%s as %s", value, type).isEqualTo(read.getClass());
      }
    }
    assertThat(taken).isGreaterThanOrEqualTo(20);
  }

  @Test
  void nullAndValuesOfAnotherFormAreLeftToTheJsonRead() {
    assertThat(PlainValues.asDeclared(String.class, null)).isSameAs(PlainValues.NOT_EXACT);
    assertThat(PlainValues.asDeclared(String.class, 12)).isSameAs(PlainValues.NOT_EXACT);
    assertThat(PlainValues.asDeclared(int.class, 3_000_000_000L)).isSameAs(PlainValues.NOT_EXACT);
    assertThat(PlainValues.asDeclared(long.class, "12")).isSameAs(PlainValues.NOT_EXACT);
    assertThat(PlainValues.asDeclared(UUID.class, "1-1-1-1-1")).isSameAs(PlainValues.NOT_EXACT);
    assertThat(PlainValues.asDeclared(Instant.class, "2026-01-02T03:04:05Z"))
        .isSameAs(PlainValues.NOT_EXACT);
    assertThat(PlainValues.asDeclared(BigDecimal.class, new BigDecimal("1E+10000")))
        .isSameAs(PlainValues.NOT_EXACT);
    assertThat(PlainValues.asDeclared(double.class, 1.5)).isSameAs(PlainValues.NOT_EXACT);
  }
}
