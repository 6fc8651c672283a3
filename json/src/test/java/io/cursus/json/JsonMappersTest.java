package io.cursus.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.cursus.api.Event;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.mapping.EventMapper;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.conformance.ConformanceEvents;
import io.cursus.conformance.ConformanceEvents.Priority;
import io.cursus.conformance.ConformanceEvents.Size;
import io.cursus.json.wirechanging.WireChangingModule;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The wire format does not depend on the class path: this module's test class path holds {@link
 * WireChangingModule}, registered for Jackson's module lookup, and the envelope stays as it was.
 */
class JsonMappersTest {

  private static final EventJson JSON =
      EventJson.using(EventTypeRegistry.of(ConformanceEvents.class));
  private static final UUID ID = UUID.fromString("00000000-0000-4000-8000-000000000042");
  private static final UUID REF = UUID.fromString("0000000a-000b-400c-800d-00000000000e");
  private static final StreamTimestamp AT =
      StreamTimestamp.of("depot-1", Instant.parse("2026-11-22T09:00:00.123Z"));

  @Test
  void jacksonsModuleLookupFindsTheWireChangingModule() {
    // given the module lookup JsonMappers used before (a precondition of the other tests)
    ObjectMapper lookedUp = JsonMapper.builder().findAndAddModules().build();

    // then it finds the module, and the module changes what is written
    assertThat(ObjectMapper.findModules()).hasAtLeastOneElementOfType(WireChangingModule.class);
    assertThat(lookedUp.valueToTree(REF).asText())
        .isEqualTo("0000000A-000B-400C-800D-00000000000E");
  }

  @Test
  void registersTheListedModulesOnly() {
    // when
    List<Module> modules = JsonMappers.modules();

    // then (jackson-module-kotlin is not on this module's class path)
    assertThat(modules)
        .extracting(m -> m.getClass().getName())
        .containsExactly(Jdk8Module.class.getName(), JavaTimeModule.class.getName());
    assertThat(JsonMappers.strict().getRegisteredModuleIds())
        .doesNotContain(new WireChangingModule().getTypeId());
  }

  @Test
  void envelopeBytesAreUnchangedByAModuleOnTheClassPath() {
    // given an event with a parameter of every kind the module would rewrite
    Event event =
        emitted(
            e ->
                e.described(
                    AT,
                    ID,
                    "text",
                    7,
                    8L,
                    0.5,
                    true,
                    REF,
                    Instant.parse("2026-01-01T00:00:00.001Z"),
                    LocalDate.of(2026, 2, 28),
                    new BigDecimal("12.50"),
                    Priority.LOW,
                    new Size(3, 4, Optional.of("cm")),
                    List.of(new Size(0, 0, Optional.empty())),
                    Set.of(Priority.HIGH),
                    Map.of("g", List.of(REF)),
                    Optional.of(LocalDate.of(2027, 1, 1)),
                    Optional.empty()));

    // when
    String written = new String(JSON.write(event), StandardCharsets.UTF_8);

    // then
    assertThat(written)
        .isEqualTo(
            "{\"envelope\":1,\"aggregateType\":\"cursus-conformance\","
                + "\"aggregateId\":\"00000000-0000-4000-8000-000000000042\","
                + "\"eventTime\":\"2026-11-22T09:00:00.123Z\",\"streamId\":\"depot-1\","
                + "\"name\":\"described\",\"version\":\"1\",\"characteristics\":[],"
                + "\"parameters\":{\"text\":\"text\",\"small\":7,\"big\":8,\"real\":0.5,"
                + "\"flag\":true,\"reference\":\"0000000a-000b-400c-800d-00000000000e\","
                + "\"instant\":\"2026-01-01T00:00:00.001Z\",\"date\":\"2026-02-28\","
                + "\"amount\":12.50,\"priority\":\"LOW\","
                + "\"size\":{\"width\":3,\"height\":4,\"unit\":\"cm\"},"
                + "\"sizes\":[{\"width\":0,\"height\":0,\"unit\":null}],"
                + "\"priorities\":[\"HIGH\"],"
                + "\"groups\":{\"g\":[\"0000000a-000b-400c-800d-00000000000e\"]},"
                + "\"due\":\"2027-01-01\",\"note\":null}}");
  }

  @Test
  void readsTextBackAsWrittenWithAModuleOnTheClassPath() {
    // given
    Event event = emitted(e -> e.moved(AT, ID, "Lewisham", 3));

    // when
    Event back = JSON.read(JSON.write(event));

    // then
    assertThat(back).isEqualTo(event);
    assertThat(back.parameters().get("location")).isEqualTo("Lewisham");
  }

  private static Event emitted(Consumer<ConformanceEvents> emit) {
    List<Event> out = new ArrayList<>();
    emit.accept(EventMapper.emitter(ConformanceEvents.class, out::add));
    return out.get(0);
  }
}
