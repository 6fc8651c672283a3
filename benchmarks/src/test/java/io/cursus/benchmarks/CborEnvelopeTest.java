package io.cursus.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.api.Event;
import io.cursus.api.ProcessingIds;
import io.cursus.benchmarks.model.Parcels;
import io.cursus.json.EventJson;
import org.junit.jupiter.api.Test;

class CborEnvelopeTest {

  private final CborEnvelope cbor = new CborEnvelope(Parcels.REGISTRY);
  private final EventJson json = EventJson.using(Parcels.REGISTRY);

  @Test
  void readsBackEveryEventItWritesAsTheJsonEnvelopeDoes() {
    for (int i = 0; i < 40; i++) {
      Event event = Parcels.event("p-" + i, i);
      Event captured = event.withProcessingId(ProcessingIds.next());
      for (Event e : new Event[] {event, captured}) {
        Event read = cbor.read(cbor.write(e));
        assertThat(read).isEqualTo(json.read(json.write(e)));
        assertThat(read.processingId()).isEqualTo(e.processingId());
        assertThat(read.characteristics()).isEqualTo(e.characteristics());
      }
    }
  }

  @Test
  void isSmallerThanTheJsonEnvelope() {
    Event event = Parcels.event("p-7", 3).withProcessingId(ProcessingIds.next());
    assertThat(cbor.write(event).length).isLessThan(json.write(event).length);
  }
}
