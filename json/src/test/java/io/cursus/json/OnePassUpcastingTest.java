package io.cursus.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.EventType;
import io.cursus.api.ProcessingIds;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.bus.EventBus;
import io.cursus.api.evolution.Upcasters;
import io.cursus.api.fixtures.Accounts;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.store.UnreadableEventException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Events whose upcasters only rename, add constants and remove are read in one pass, as a current
 * event is read; these tests check that this gives exactly what reading through the upcasters
 * gives, and that anything unexpected goes back to the upcasters' way, with their errors.
 */
class OnePassUpcastingTest {

  private static final UUID ACCOUNT = UUID.randomUUID();
  private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
  private static final EventJson V1_JSON = EventJson.using(EventTypeRegistry.of(Accounts.V1.class));

  /** The upcasters of {@link Accounts}: the deposit's rename and constant describe themselves. */
  private static EventJson onePass() {
    return EventJson.using(
        EventTypeRegistry.of(Accounts.V3.class).withUpcasters(Accounts.upcasters()));
  }

  /** The same steps written as functions, which readers cannot apply themselves. */
  private static EventJson stepByStep() {
    return EventJson.using(
        EventTypeRegistry.of(Accounts.V3.class)
            .withUpcasters(
                Upcasters.builder()
                    .changeParameter("account", "deposited", 1, "amount", v -> v)
                    .renameParameter("account", "deposited", 1, "amount", "pence")
                    .addParameter("account", "deposited", 2, "currency", e -> "GBP")));
  }

  private static List<byte[]> deposits(int count) {
    Random random = new Random(17);
    List<Event> events = new ArrayList<>();
    Accounts.V1 account = EventBus.to(events::addAll).emitter(Accounts.V1.class);
    for (int i = 0; i < count; i++) {
      account.deposited(
          StreamTimestamp.of("web", T0.plusSeconds(i)),
          ACCOUNT,
          random.nextLong() >> random.nextInt(64));
    }
    return events.stream().map(e -> V1_JSON.write(e.captured())).toList();
  }

  @Test
  void readsEveryEventAsTheUpcastersMakeIt() {
    EventJson onePass = onePass();
    EventJson stepByStep = stepByStep();

    for (byte[] envelope : deposits(500)) {
      List<Event> read = onePass.readAll(envelope);
      assertThat(read).isEqualTo(stepByStep.readAll(envelope));
      assertThat(read.get(0).type()).isEqualTo(EventType.of("account", "deposited", "3"));
      assertThat(read.get(0).processingId()).isPresent();
      assertThat(read.get(0).parameters().get("pence")).isInstanceOf(Long.class);
    }
  }

  @Test
  void anEnvelopeThatDoesNotFitTheLastPlanIsReadTheUpcastersWay() {
    EventJson onePass = onePass();
    List<byte[]> deposits = deposits(3);
    onePass.readAll(deposits.get(0)); // the plan for ["amount"] is made
    onePass.readAll(deposits.get(1)); // and used

    byte[] extraField = edit(deposits.get(2), "\"amount\":", "\"memo\":\"x\",\"amount\":");
    byte[] noAmount = edit(deposits.get(2), "\"amount\":", "\"sum\":");
    byte[] notANumber = edit(deposits.get(2), "\"amount\":", "\"amount\":\"many\",\"x\":");

    assertThatThrownBy(() -> onePass.readAll(extraField))
        .isInstanceOf(UnreadableEventException.class)
        .hasMessageContaining("'memo'");
    assertThatThrownBy(() -> onePass.readAll(noAmount))
        .isInstanceOf(UnreadableEventException.class)
        .hasMessageContaining("renameParameter(amount -> pence)")
        .hasMessageContaining("no parameter 'amount'");
    assertThatThrownBy(() -> onePass.readAll(notANumber))
        .isInstanceOf(UnreadableEventException.class);
    // and the envelopes that fit are still read
    assertThat(onePass.readAll(deposits.get(2))).isEqualTo(stepByStep().readAll(deposits.get(2)));
  }

  @Test
  void aValueThatDoesNotReadAsItsNewTypeIsNamedAsTheUpcastersNameIt() {
    EventJson onePass = onePass();
    List<byte[]> deposits = deposits(2);
    onePass.readAll(deposits.get(0));
    byte[] text = edit(deposits.get(1), "\"amount\":", "\"amount\":\"lots\",\"_\":");
    byte[] fractional = replaceAmount(deposits.get(1), "12.5");

    assertThatThrownBy(() -> onePass.readAll(fractional))
        .isInstanceOf(UnreadableEventException.class)
        .hasMessageContaining("pence")
        .hasMessageContaining("upcast from account/deposited_1");
    assertThatThrownBy(() -> stepByStep().readAll(fractional))
        .isInstanceOf(UnreadableEventException.class)
        .hasMessageContaining("pence")
        .hasMessageContaining("upcast from account/deposited_1");
    assertThatThrownBy(() -> onePass.readAll(text)).isInstanceOf(UnreadableEventException.class);
  }

  @Test
  void storedParameterTextsAreReadInOnePassAsTheUpcastersMakeThem() {
    EventTypeRegistry registry =
        EventTypeRegistry.of(Accounts.V3.class).withUpcasters(Accounts.upcasters());
    StoredUpcasting upcasting = StoredUpcasting.of(registry, ParameterCodec.create());
    AggregateId id = AggregateId.of("account", ACCOUNT.toString());
    EventType stored = EventType.of("account", "deposited", "1");
    UUID processingId = ProcessingIds.next();

    List<Event> first = upcasting.read(id, at(0), stored, Map.of("amount", "500"), Set.of(), null);
    List<Event> second =
        upcasting.read(id, at(1), stored, Map.of("amount", "700"), Set.of(), processingId);
    Map<String, String> renamedTwice = new LinkedHashMap<>();
    renamedTwice.put("amount", "1");
    renamedTwice.put("pence", "2");

    assertThat(first.get(0).parameters().asMap())
        .containsExactly(entry("pence", 500L), entry("currency", "GBP"));
    assertThat(second.get(0).type()).isEqualTo(EventType.of("account", "deposited", "3"));
    assertThat(second.get(0).parameters().asMap())
        .containsExactly(entry("pence", 700L), entry("currency", "GBP"));
    assertThat(second.get(0).processingId()).contains(processingId);
    assertThat(upcasting.lastPlan(stored).renaming).isNotNull();
    assertThatThrownBy(() -> upcasting.read(id, at(2), stored, renamedTwice, Set.of(), null))
        .isInstanceOf(UnreadableEventException.class)
        .hasMessageContaining("renameParameter(amount -> pence)");
    assertThatThrownBy(
            () -> upcasting.read(id, at(3), stored, Map.of("amount", "\"x\""), Set.of(), null))
        .isInstanceOf(UnreadableEventException.class)
        .hasMessageContaining("pence");
  }

  private static Map.Entry<String, Object> entry(String name, Object value) {
    return Map.entry(name, value);
  }

  private static StreamTimestamp at(int seconds) {
    return StreamTimestamp.of("web", T0.plusSeconds(seconds));
  }

  private static byte[] edit(byte[] envelope, String from, String to) {
    String json = new String(envelope, StandardCharsets.UTF_8);
    assertThat(json).contains(from);
    return json.replace(from, to).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] replaceAmount(byte[] envelope, String amount) {
    String json = new String(envelope, StandardCharsets.UTF_8);
    return json.replaceFirst("\"amount\":-?[0-9]+", "\"amount\":" + amount)
        .getBytes(StandardCharsets.UTF_8);
  }
}
