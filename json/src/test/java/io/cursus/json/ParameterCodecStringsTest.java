package io.cursus.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.HandlesEventsFor;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.mapping.EventSchema;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.store.UnreadableEventException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The default codec writes and reads strings that need no escaping without Jackson; this checks it
 * gives the very texts and values Jackson gives, on strings with and without what Jackson escapes.
 */
class ParameterCodecStringsTest {

  private final ParameterCodec fast = ParameterCodec.create();
  private final ParameterCodec jackson = ParameterCodec.using(JsonMappers.strict());

  @Test
  void writesAndReadsStringsAsJacksonDoes() {
    EventSchema schema = schema();
    for (String value : samples()) {
      String text = fast.write(String.class, value);
      assertThat(text).as("%s", value).isEqualTo(jackson.write(String.class, value));
      assertThat(fast.readAll(schema, Map.of("label", text), "sample").get("label"))
          .as("%s", value)
          .isEqualTo(value);
    }
  }

  @Test
  void readsOddTextsAsJacksonDoes() {
    EventSchema schema = schema();
    for (String text :
        List.of(
            "\"a\" ",
            " \"a\"",
            "\"",
            "\"\"",
            "abc",
            "\"a\"\"",
            "\"tab\there\"",
            "1",
            "null",
            "\"a\\u0041\\\"\"")) {
      assertThat(outcome(fast, schema, text)).as(text).isEqualTo(outcome(jackson, schema, text));
    }
    assertThat(outcome(fast, schema, "\"a\\u0041\\\"\"")).isEqualTo("aA\"");
    assertThatThrownBy(() -> fast.readAll(schema, Map.of("label", "\"a\"\""), "sample"))
        .isInstanceOf(UnreadableEventException.class)
        .hasMessageContaining("field 'label' cannot be read as java.lang.String");
  }

  /** The value read, or the class of the exception thrown. */
  private static Object outcome(ParameterCodec codec, EventSchema schema, String text) {
    try {
      return String.valueOf(codec.readAll(schema, Map.of("label", text), "sample").get("label"));
    } catch (RuntimeException e) {
      return e.getClass();
    }
  }

  private static EventSchema schema() {
    return EventTypeRegistry.of(Labelled.class).schemas().iterator().next();
  }

  private static List<String> samples() {
    List<String> samples =
        new ArrayList<>(
            List.of(
                "",
                "depot-1",
                "quote \" inside",
                "back\\slash",
                "line\nbreak",
                "nul \u0000",
                "del \u007f",
                "é and 中文",
                "emoji \uD83D\uDE00",
                "\u2028 separator",
                "slash / kept"));
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 2_000; i++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(12);
      for (int c = 0; c < length; c++) {
        // mostly ASCII, sometimes a control character, a quote, a backslash or beyond ASCII
        int kind = random.nextInt(10);
        text.append(
            kind < 6
                ? (char) random.nextInt(0x20, 0x7f)
                : kind < 7
                    ? (char) random.nextInt(0, 0x20)
                    : kind < 8 ? '"' : kind < 9 ? '\\' : 'ü');
      }
      samples.add(text.toString());
    }
    return samples;
  }

  @HandlesEventsFor("label")
  interface Labelled {
    void labelled(StreamTimestamp at, String id, String label);
  }
}
