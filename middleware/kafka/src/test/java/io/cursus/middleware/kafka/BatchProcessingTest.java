package io.cursus.middleware.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.Event;
import io.cursus.api.NonTransientCursusException;
import io.cursus.api.TransientCursusException;
import io.cursus.api.memory.InMemoryEventIndex;
import io.cursus.api.memory.InMemoryEventStore;
import io.cursus.api.store.EventIndexer;
import io.cursus.api.store.EventLog;
import io.cursus.middleware.PipelineException;
import io.cursus.middleware.fixtures.Parcels;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class BatchProcessingTest {

  private final List<Event> batch = new ArrayList<>();
  private final InMemoryEventStore store = InMemoryEventStore.empty();
  private final InMemoryEventIndex index = InMemoryEventIndex.empty();
  private final List<Event> handled = new ArrayList<>();
  private final List<List<Event>> indexCalls = new ArrayList<>();

  BatchProcessingTest() {
    batch.addAll(Parcels.journey(UUID.randomUUID(), "s"));
    batch.addAll(Parcels.journey(UUID.randomUUID(), "s"));
  }

  /** An index that refuses, with {@code failure}, every call that holds {@code refused}. */
  private EventIndexer refusing(Event refused, RuntimeException failure) {
    return events -> {
      indexCalls.add(List.copyOf(events));
      if (events.contains(refused)) {
        throw failure;
      }
      index.index(events);
    };
  }

  private Consumer<Event> handlerRefusing(Event refused, RuntimeException failure) {
    return event -> {
      if (event.equals(refused)) {
        throw failure;
      }
      handled.add(event);
    };
  }

  private List<Event> without(Event... events) {
    List<Event> rest = new ArrayList<>(batch);
    rest.removeAll(List.of(events));
    return rest;
  }

  private Set<Event> stored() {
    Set<Event> all = new HashSet<>();
    for (Event event : batch) {
      all.addAll(store.history(event.aggregateId()));
    }
    return all;
  }

  @Test
  void setsApartAnEventTheIndexRefusesForGoodAndTakesTheRestThroughEveryStage() {
    // given
    Event refused = batch.get(2);
    BatchProcessing processing =
        new BatchProcessing(
            store,
            refusing(refused, new NonTransientCursusException("key too long", null)),
            List.of(handled::add));

    // when
    List<BatchProcessing.Refusal> refusals = processing.process(batch, Set.of());

    // then
    assertThat(refusals).extracting(BatchProcessing.Refusal::position).containsExactly(2);
    assertThat(refusals.get(0).reason()).isEqualTo(KafkaEventConsumer.INDEX_FAILED);
    assertThat(refusals.get(0).failure())
        .hasMessageContaining("stage 'index' failed on " + refused)
        .hasMessageContaining("key too long");
    assertThat(stored()).as("stored, the refused event too").isEqualTo(Set.copyOf(batch));
    assertThat(handled).containsExactlyElementsOf(without(refused));
    assertThat(indexCalls).hasSize(1 + batch.size()); // the batch, then each event alone
    assertThat(index.find("parcel", "depotId", "Croydon"))
        .containsExactly(batch.get(4).aggregateId());
  }

  @Test
  void setsApartAnEventAHandlerRefusesWithAProgrammingError() {
    // given
    Event refused = batch.get(5);
    IllegalStateException bug = new IllegalStateException("no projection for trucks");
    BatchProcessing processing =
        new BatchProcessing(store, index, List.of(handlerRefusing(refused, bug)));

    // when
    List<BatchProcessing.Refusal> refusals = processing.process(batch, Set.of());

    // then
    assertThat(refusals).extracting(BatchProcessing.Refusal::position).containsExactly(5);
    assertThat(refusals.get(0).reason()).isEqualTo(KafkaEventConsumer.HANDLER_FAILED);
    assertThat(refusals.get(0).failure())
        .hasMessageContaining("stage 'notify' failed on " + refused)
        .hasCause(bug);
    assertThat(handled).containsExactlyElementsOf(without(refused));
    assertThat(stored()).isEqualTo(Set.copyOf(batch));
  }

  @Test
  void aHandlerAfterOneThatRefusedAnEventDoesNotSeeIt() {
    Event refused = batch.get(1);
    List<Event> second = new ArrayList<>();
    BatchProcessing processing =
        new BatchProcessing(
            store,
            null,
            List.of(handlerRefusing(refused, new IllegalArgumentException("bad")), second::add));

    List<BatchProcessing.Refusal> refusals = processing.process(batch, Set.of());

    assertThat(refusals).extracting(BatchProcessing.Refusal::position).containsExactly(1);
    assertThat(second).containsExactlyElementsOf(without(refused));
  }

  @Test
  void reportsRefusalsOfTheIndexAndOfHandlersInBatchOrder() {
    Event refusedByHandler = batch.get(1);
    Event refusedByIndex = batch.get(6);
    BatchProcessing processing =
        new BatchProcessing(
            store,
            refusing(refusedByIndex, new NonTransientCursusException("refused", null)),
            List.of(handlerRefusing(refusedByHandler, new IllegalStateException("bug"))));

    List<BatchProcessing.Refusal> refusals = processing.process(batch, Set.of());

    assertThat(refusals)
        .extracting(BatchProcessing.Refusal::position, BatchProcessing.Refusal::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, KafkaEventConsumer.HANDLER_FAILED),
            org.assertj.core.groups.Tuple.tuple(6, KafkaEventConsumer.INDEX_FAILED));
    assertThat(handled).containsExactlyElementsOf(without(refusedByHandler, refusedByIndex));
  }

  @Test
  void aTransientIndexFailureIsThrownAndNothingIsSetApart() {
    BatchProcessing processing =
        new BatchProcessing(
            store,
            refusing(batch.get(3), new TransientCursusException("timed out", null)),
            List.of(handled::add));

    assertThatThrownBy(() -> processing.process(batch, Set.of()))
        .isInstanceOfSatisfying(PipelineException.class, e -> assertThat(e.isTransient()).isTrue())
        .hasMessageContaining("timed out");
    assertThat(indexCalls).hasSize(1);
    assertThat(handled).isEmpty();
  }

  @Test
  void aTransientFailureOfAnEventIndexedAloneIsThrown() {
    // the batch is refused for good, then the index times out on the event looked at alone
    List<RuntimeException> failures =
        new ArrayList<>(
            List.of(
                new NonTransientCursusException("refused", null),
                new TransientCursusException("timed out", null)));
    BatchProcessing processing =
        new BatchProcessing(
            store,
            events -> {
              if (!failures.isEmpty()) {
                throw failures.remove(0);
              }
            },
            List.of());

    assertThatThrownBy(() -> processing.process(batch, Set.of()))
        .isInstanceOfSatisfying(PipelineException.class, e -> assertThat(e.isTransient()).isTrue())
        .hasMessageContaining("timed out");
  }

  @Test
  void aTransientHandlerFailureIsThrown() {
    BatchProcessing processing =
        new BatchProcessing(
            store,
            index,
            List.of(handlerRefusing(batch.get(4), new TransientCursusException("busy", null))));

    assertThatThrownBy(() -> processing.process(batch, Set.of()))
        .isInstanceOfSatisfying(PipelineException.class, e -> assertThat(e.isTransient()).isTrue());
    assertThat(handled).containsExactlyElementsOf(batch.subList(0, 4));
  }

  @Test
  void aStoreFailureIsThrownAndNothingIsIndexedWhetherItIsTransientOrNot() {
    for (RuntimeException failure :
        List.of(
            new NonTransientCursusException("no such table", null),
            new TransientCursusException("timed out", null))) {
      EventLog failing =
          events -> {
            throw failure;
          };
      BatchProcessing processing =
          new BatchProcessing(failing, refusing(batch.get(0), failure), List.of(handled::add));

      assertThatThrownBy(() -> processing.process(batch, Set.of()))
          .isInstanceOf(PipelineException.class)
          .hasMessageContaining("stage 'persist'")
          .hasCause(failure);
      assertThat(indexCalls).isEmpty();
      assertThat(handled).isEmpty();
    }
  }

  @Test
  void anIndexThatRefusesOnlyTheWholeBatchSetsNothingApart() {
    BatchProcessing processing =
        new BatchProcessing(
            store,
            events -> {
              if (events.size() > 1) {
                throw new NonTransientCursusException("batch too large", null);
              }
              index.index(events);
            },
            List.of(handled::add));

    assertThat(processing.process(batch, Set.of())).isEmpty();
    assertThat(handled).containsExactlyElementsOf(batch);
  }

  @Test
  void leavesOutTheEventsSetApartOnAnEarlierTry() {
    List<Event> appended = new ArrayList<>();
    EventLog log =
        events -> {
          appended.addAll(events);
          store.append(events);
        };
    BatchProcessing processing =
        new BatchProcessing(
            log, refusing(batch.get(0), new IllegalStateException("never")), List.of(handled::add));

    List<BatchProcessing.Refusal> refusals = processing.process(batch, Set.of(0, 3));

    assertThat(refusals).isEmpty();
    assertThat(appended).containsExactlyElementsOf(without(batch.get(0), batch.get(3)));
    assertThat(indexCalls).containsExactly(without(batch.get(0), batch.get(3)));
    assertThat(handled).containsExactlyElementsOf(without(batch.get(0), batch.get(3)));
  }
}
