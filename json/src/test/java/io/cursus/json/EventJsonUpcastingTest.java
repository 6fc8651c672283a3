package io.cursus.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.Event;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.bus.EventBus;
import io.cursus.api.fixtures.Accounts;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.store.UnreadableEventException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventJsonUpcastingTest {

  private static final UUID ACCOUNT = UUID.randomUUID();
  private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
  private static final EventJson V1_JSON = EventJson.using(EventTypeRegistry.of(Accounts.V1.class));
  private static final EventJson V3_JSON =
      EventJson.using(EventTypeRegistry.of(Accounts.V3.class).withUpcasters(Accounts.upcasters()));

  private static List<byte[]> envelopesWrittenByV1() {
    List<Event> events = new ArrayList<>();
    Accounts.V1 account = EventBus.to(events::addAll).emitter(Accounts.V1.class);
    account.opened(StreamTimestamp.of("web", T0), ACCOUNT, "Ada");
    account.deposited(StreamTimestamp.of("web", T0.plusSeconds(10)), ACCOUNT, 500);
    account.noted(StreamTimestamp.of("web", T0.plusSeconds(20)), ACCOUNT, "call back");
    account.transferred(StreamTimestamp.of("web", T0.plusSeconds(30)), ACCOUNT, 200, "Bob");
    return events.stream().map(e -> V1_JSON.write(e.captured())).toList();
  }

  @Test
  void readsVersionOneEnvelopesAsTheCurrentDeclarationWithTypedValues() {
    List<byte[]> envelopes = envelopesWrittenByV1();

    List<Event> read = new ArrayList<>();
    envelopes.forEach(bytes -> read.addAll(V3_JSON.readAll(bytes)));

    assertThat(read)
        .extracting(e -> e.type().name() + "_" + e.type().version() + " " + e.parameters())
        .containsExactly(
            "opened_1 {owner=Ada}",
            "deposited_3 {pence=500, currency=GBP}",
            "withdrawn_2 {pence=200}",
            "memo_2 {text=to Bob}");
    assertThat(read.get(1).parameters().get("pence")).isInstanceOf(Long.class);
    assertThat(read).allSatisfy(e -> assertThat(e.processingId()).isPresent());
  }

  @Test
  void readOfOneEventReadsAnUpcastEnvelopeAndRefusesASplitOne() {
    List<byte[]> envelopes = envelopesWrittenByV1();

    Event deposited = V3_JSON.read(envelopes.get(1));

    assertThat(deposited.type().version()).isEqualTo("3");
    assertThat(deposited.parameters().get("currency")).isEqualTo("GBP");
    assertThatThrownBy(() -> V3_JSON.read(envelopes.get(3)))
        .isInstanceOf(UnreadableEventException.class)
        .hasMessageContaining("readAll");
  }

  @Test
  void aStepProducingAValueOfTheWrongTypeNamesTheParameter() {
    EventJson broken =
        EventJson.using(
            EventTypeRegistry.of(Accounts.V3.class)
                .withUpcasters(
                    Accounts.upcasters()
                        .changeParameter("account", "deposited", 1, "pence", v -> "a lot")));

    assertThatThrownBy(() -> broken.readAll(envelopesWrittenByV1().get(1)))
        .isInstanceOf(UnreadableEventException.class)
        .hasMessageContaining("pence")
        .hasMessageContaining("upcast from account/deposited_1");
  }
}
