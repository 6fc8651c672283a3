package io.cursus.api.mapping;

import io.cursus.api.Event;
import io.cursus.api.EventCharacteristic;
import io.cursus.api.Parameters;
import io.cursus.api.mapping.spi.EventShape;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The size of an event's JSON envelope as {@code cursus-json} writes it, computed without writing
 * it (and without Jackson): the envelope's fields, then each parameter in the standard JSON form of
 * its type (texts escaped as Jackson escapes them, numbers as Java prints them, java.time values in
 * ISO-8601, enums by name, records and Kotlin data classes as objects of their components).
 *
 * <p>{@link #bound} is a cheap upper bound that counts every character of text at its most, six
 * bytes (an escaped control character): most events are far below any limit by that count, and only
 * the rest need {@link #exact}, which reads every character of their texts.
 */
final class SerialisedSize {

  /** The envelope without its values: the field names, quotes, colons, commas and brackets. */
  private static final int ENVELOPE =
      ("{\"envelope\":1,\"aggregateType\":\"\",\"aggregateId\":\"\",\"eventTime\":\"\""
              + ",\"streamId\":\"\",\"name\":\"\",\"version\":\"\",\"characteristics\":[]"
              + ",\"parameters\":{}}")
          .length();

  /** {@code ,"processingId":"…"} with a UUID. */
  private static final int PROCESSING_ID = ",\"processingId\":\"\"".length() + 36;

  /** The longest text of an instant: {@code +1000000000-12-31T23:59:59.999999999Z}. */
  private static final int LONGEST_INSTANT = Instant.MAX.toString().length();

  private static final ClassValue<Optional<EventShape>> VALUE_SHAPES =
      new ClassValue<>() {
        @Override
        protected Optional<EventShape> computeValue(Class<?> type) {
          return Introspectors.valueShape(type);
        }
      };

  private final boolean exact;

  private SerialisedSize(boolean exact) {
    this.exact = exact;
  }

  private static final SerialisedSize EXACT = new SerialisedSize(true);
  private static final SerialisedSize BOUND = new SerialisedSize(false);

  /** The bytes of {@code event}'s envelope. */
  static long exact(Event event) {
    return EXACT.envelope(event);
  }

  /** At least the bytes of {@code event}'s envelope; texts are counted at six bytes a character. */
  static long bound(Event event) {
    return BOUND.envelope(event);
  }

  /** The bytes of the JSON form of {@code value}, a parameter value. */
  static long exact(Object value) {
    return EXACT.value(value);
  }

  private long envelope(Event event) {
    long size = ENVELOPE;
    size += text(event.type().aggregateType(), false) - 2;
    size += text(event.aggregateId().id(), false) - 2;
    size += exact ? event.eventTime().toString().length() : LONGEST_INSTANT;
    size += text(event.timestamp().streamId(), false) - 2;
    size += text(event.type().name(), false) - 2;
    size += text(event.type().version(), false) - 2;
    int characteristics = 0;
    for (EventCharacteristic characteristic : event.characteristics()) {
      size += characteristic.name().length() + 2 + (characteristics++ > 0 ? 1 : 0);
    }
    if (event.processingId().isPresent()) {
      size += PROCESSING_ID;
    }
    Parameters parameters = event.parameters();
    int count = 0;
    for (Map.Entry<String, Object> parameter : parameters.asMap().entrySet()) {
      size += (count++ > 0 ? 1 : 0) + text(parameter.getKey(), true) + 1;
      try {
        size += value(parameter.getValue());
      } catch (NumberOutOfRange e) {
        throw new NumberOutOfRange(
            "parameter '" + parameter.getKey() + "' " + e.getMessage() + "; " + NUMBER_HINT);
      }
    }
    return size;
  }

  private long value(Object value) {
    if (value == null) {
      return 4;
    }
    if (value instanceof String text) {
      return text(text, true);
    }
    if (value instanceof Boolean bool) {
      return bool ? 4 : 5;
    }
    if (value instanceof Integer || value instanceof Long) {
      return digits(((Number) value).longValue());
    }
    if (value instanceof Short || value instanceof Byte) {
      return digits(((Number) value).longValue());
    }
    if (value instanceof Double number) {
      // Jackson quotes what JSON has no number for
      return Double.isFinite(number)
          ? Double.toString(number).length()
          : number.toString().length() + 2L;
    }
    if (value instanceof Float number) {
      return Float.isFinite(number)
          ? Float.toString(number).length()
          : number.toString().length() + 2L;
    }
    if (value instanceof UUID) {
      return 38;
    }
    if (value instanceof Instant || value instanceof LocalDate || value instanceof Duration) {
      return value.toString().length() + 2L;
    }
    if (value instanceof LocalDateTime time) {
      return DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(time).length() + 2L;
    }
    if (value instanceof BigDecimal number) {
      return decimal(number);
    }
    if (value instanceof BigInteger number) {
      return integer(number);
    }
    if (value instanceof Character character) {
      return text(character.toString(), true);
    }
    if (value instanceof Enum<?> constant) {
      return text(constant.name(), true);
    }
    if (value instanceof Optional<?> optional) {
      return optional.isPresent() ? value(optional.get()) : 4;
    }
    if (value instanceof Collection<?> collection) {
      long size = 2L + Math.max(0, collection.size() - 1);
      for (Object element : collection) {
        size += value(element);
      }
      return size;
    }
    if (value instanceof Map<?, ?> map) {
      long size = 2L + Math.max(0, map.size() - 1);
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        Object key = entry.getKey();
        size += text(key instanceof Enum<?> constant ? constant.name() : String.valueOf(key), true);
        size += 1 + value(entry.getValue());
      }
      return size;
    }
    Optional<EventShape> shape = VALUE_SHAPES.get(value.getClass());
    if (shape.isPresent()) {
      long size = 2L + Math.max(0, shape.get().properties().size() - 1);
      for (EventShape.Property property : shape.get().properties()) {
        size += text(property.name(), true) + 1 + value(property.getter().apply(value));
      }
      return size;
    }
    return text(value.toString(), true); // not a parameter type; counted as its text
  }

  /**
   * The characters of {@code number} as written: plainly at scale 0 or more, in exponent form below
   * (so that it reads back equal, scale included).
   *
   * @throws NumberOutOfRange if a reader would refuse it: its scale is beyond {@link
   *     EventValidator#MAX_DECIMAL_SCALE} either way, or it is written with more than {@link
   *     EventValidator#MAX_NUMBER_CHARACTERS} characters
   */
  private static long decimal(BigDecimal number) {
    int scale = number.scale();
    if (Math.abs((long) scale) > EventValidator.MAX_DECIMAL_SCALE) {
      throw new NumberOutOfRange(
          "is a decimal of scale "
              + scale
              + ", beyond the "
              + EventValidator.MAX_DECIMAL_SCALE
              + " either way that a reader accepts");
    }
    if (number.unscaledValue().bitLength() > MOST_BITS) {
      throw new NumberOutOfRange(
          "is a decimal of "
              + number.unscaledValue().bitLength()
              + " bits, written with more than the "
              + EventValidator.MAX_NUMBER_CHARACTERS
              + " characters that a reader accepts");
    }
    long length = scale < 0 ? number.toString().length() : number.toPlainString().length();
    if (length > EventValidator.MAX_NUMBER_CHARACTERS) {
      throw new NumberOutOfRange(
          "is a decimal written with "
              + length
              + " characters, over the "
              + EventValidator.MAX_NUMBER_CHARACTERS
              + " that a reader accepts");
    }
    return length;
  }

  /** The digits of {@code number}, and its sign; refused as {@link #decimal} refuses. */
  private static long integer(BigInteger number) {
    if (number.bitLength() > MOST_BITS) {
      throw new NumberOutOfRange(
          "is an integer of "
              + number.bitLength()
              + " bits, written with more than the "
              + EventValidator.MAX_NUMBER_CHARACTERS
              + " characters that a reader accepts");
    }
    long length = number.toString().length();
    if (length > EventValidator.MAX_NUMBER_CHARACTERS) {
      throw new NumberOutOfRange(
          "is an integer written with "
              + length
              + " characters, over the "
              + EventValidator.MAX_NUMBER_CHARACTERS
              + " that a reader accepts");
    }
    return length;
  }

  private static final String NUMBER_HINT =
      "round it (BigDecimal.setScale) or keep it as a String parameter";

  /** A number of more bits has more than 1,000 digits: refused without printing it. */
  private static final int MOST_BITS = 3_322;

  /** A number no reader would read back: {@link EventValidator} names event and parameter. */
  static final class NumberOutOfRange extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    NumberOutOfRange(String message) {
      super(message);
    }
  }

  /**
   * The bytes of {@code text} as a JSON string, quotes included: UTF-8, with quote, backslash and
   * control characters escaped. Where surrogates are combined (the envelope's parameters), a
   * surrogate pair is four bytes of UTF-8; elsewhere, and for a surrogate not in a pair, each
   * surrogate is an escape of six.
   */
  private long text(String text, boolean combinePairs) {
    int length = text.length();
    if (!exact) {
      return 2 + 6L * length;
    }
    long size = 2;
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        size += c >= 0x20 ? (c == '"' || c == '\\' ? 2 : 1) : controlEscape(c);
      } else if (c < 0x800) {
        size += 2;
      } else if (!Character.isSurrogate(c)) {
        size += 3;
      } else if (combinePairs
          && Character.isHighSurrogate(c)
          && i + 1 < length
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        // a text with a lone surrogate is written without combining (EventJson)
        if (hasLoneSurrogate(text)) {
          return text(text, false);
        }
        size += 4;
        i++;
      } else {
        size += 6;
      }
    }
    return size;
  }

  private static boolean hasLoneSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < text.length()
            && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
        } else {
          return true;
        }
      }
    }
    return false;
  }

  /** {@code \b}, {@code \t}, {@code \n}, {@code \f}, {@code \r}, or {@code \}{@code u00XX}. */
  private static int controlEscape(char c) {
    return c == '\b' || c == '\t' || c == '\n' || c == '\f' || c == '\r' ? 2 : 6;
  }

  /** The characters of {@code value} in decimal, sign included. */
  private static int digits(long value) {
    if (value == Long.MIN_VALUE) {
      return 20;
    }
    int digits = value < 0 ? 2 : 1;
    for (long rest = Math.abs(value); rest >= 10; rest /= 10) {
      digits++;
    }
    return digits;
  }
}
