package io.cursus.json.wirechanging;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * A Jackson module of the kind an application may have on its class path for its own JSON (it is
 * listed in this module's test resources under {@code META-INF/services}, so Jackson's module
 * lookup finds it). It changes how text, ids, instants, decimals and integers are written and how
 * text is read; the event envelope must not notice it.
 */
public final class WireChangingModule extends SimpleModule {

  private static final long serialVersionUID = 1L;

  public WireChangingModule() {
    super("wire-changing");
    addSerializer(
        String.class, scalar(String.class, (value, out) -> out.writeString("<" + value + ">")));
    addSerializer(
        UUID.class,
        scalar(
            UUID.class,
            (value, out) -> out.writeString(value.toString().toUpperCase(Locale.ROOT))));
    addSerializer(
        Instant.class,
        scalar(Instant.class, (value, out) -> out.writeNumber(value.toEpochMilli())));
    addSerializer(
        BigDecimal.class,
        scalar(BigDecimal.class, (value, out) -> out.writeString(value.toString())));
    addSerializer(
        Integer.class, scalar(Integer.class, (value, out) -> out.writeString("#" + value)));
    addDeserializer(
        String.class,
        new StdScalarDeserializer<String>(String.class) {
          private static final long serialVersionUID = 1L;

          @Override
          public String deserialize(JsonParser parser, DeserializationContext context)
              throws IOException {
            return "read by the wire-changing module: " + parser.getValueAsString();
          }
        });
  }

  private interface Writer<T> {
    void write(T value, JsonGenerator out) throws IOException;
  }

  private static <T> StdScalarSerializer<T> scalar(Class<T> type, Writer<T> writer) {
    return new StdScalarSerializer<T>(type) {
      private static final long serialVersionUID = 1L;

      @Override
      public void serialize(T value, JsonGenerator out, SerializerProvider provider)
          throws IOException {
        writer.write(value, out);
      }
    };
  }
}
