package io.cursus.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.Event;
import io.cursus.api.Parameters;
import io.cursus.api.TransientCursusException;
import io.cursus.middleware.fixtures.Parcels;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class PipelineTest {

  private final List<Event> journey = Parcels.journey(UUID.randomUUID(), "depot-1");

  @Test
  void runsStagesTopToBottom() {
    List<String> trace = new ArrayList<>();
    Consumer<List<Event>> pipeline =
        Pipeline.start()
            .filter("not delivered", e -> !e.type().name().equals("delivered"))
            .then("first", batch -> trace.add("first " + batch.size()))
            .thenEach("each", e -> trace.add("each " + e.type().name()))
            .then("last", batch -> trace.add("last " + batch.size()))
            .build();

    pipeline.accept(journey);

    assertThat(trace)
        .containsExactly(
            "first 3",
            "each receivedAtDepot",
            "each loadedOntoTruck",
            "each arrivedAtDepot",
            "last 3");
  }

  @Test
  void aFilterThatDropsTheWholeBatchEndsIt() {
    List<List<Event>> seen = new ArrayList<>();
    Consumer<List<Event>> pipeline =
        Pipeline.start().filter("none", e -> false).then("sink", seen::add).build();

    pipeline.accept(journey);

    assertThat(seen).isEmpty();
  }

  @Test
  void mapTransformsEachEvent() {
    List<Event> seen = new ArrayList<>();
    Consumer<List<Event>> pipeline =
        Pipeline.start().map("rename depot", e -> e.captured()).then("sink", seen::addAll).build();

    pipeline.accept(journey);

    assertThat(seen).isEqualTo(journey);
    assertThat(seen).allMatch(e -> e.processingId().isPresent());
  }

  @Test
  void fanOutGivesEveryBranchTheBatchAndReportsTheFirstFailure() {
    List<Event> a = new ArrayList<>();
    List<Event> c = new ArrayList<>();
    Consumer<List<Event>> pipeline =
        Pipeline.start()
            .to(
                "fan-out",
                List.<Consumer<List<Event>>>of(
                    a::addAll,
                    batch -> {
                      throw new IllegalStateException("branch b is down");
                    },
                    c::addAll))
            .build();

    assertThatThrownBy(() -> pipeline.accept(journey))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("stage 'fan-out'")
        .hasMessageContaining("branch b is down");
    assertThat(a).isEqualTo(journey);
    assertThat(c).isEqualTo(journey);
  }

  @Test
  void wrapSeesTheRestOfThePipeline() {
    List<String> trace = new ArrayList<>();
    Consumer<List<Event>> pipeline =
        Pipeline.start()
            .wrap(
                "timer",
                next ->
                    batch -> {
                      trace.add("before");
                      next.accept(batch);
                      trace.add("after");
                    })
            .then("sink", batch -> trace.add("sink " + batch.size()))
            .build();

    pipeline.accept(journey);

    assertThat(trace).containsExactly("before", "sink 4", "after");
  }

  @Test
  void aFailureNamesTheStageAndTheEvent() {
    Event second = journey.get(1);
    Consumer<List<Event>> pipeline =
        Pipeline.start()
            .thenEach(
                "check",
                e -> {
                  if (e.equals(second)) {
                    throw new IllegalArgumentException("no trucks today");
                  }
                })
            .then("sink", batch -> {})
            .build();

    assertThatThrownBy(() -> pipeline.accept(journey))
        .isInstanceOfSatisfying(
            PipelineException.class,
            e -> {
              assertThat(e.stage()).isEqualTo("check");
              assertThat(e.event()).contains(second);
              assertThat(e.isTransient()).isFalse();
              assertThat(e.getCause()).hasMessage("no trucks today");
            })
        .hasMessageContaining("stage 'check' failed on " + second)
        .hasMessageContaining("no trucks today");
  }

  @Test
  void aBatchStageFailureNamesTheBatchAndKeepsTransience() {
    Consumer<List<Event>> pipeline =
        Pipeline.start()
            .then(
                "store",
                batch -> {
                  throw new TransientCursusException("Cassandra timed out", null);
                })
            .build();

    assertThatThrownBy(() -> pipeline.accept(journey))
        .isInstanceOfSatisfying(
            PipelineException.class,
            e -> {
              assertThat(e.stage()).isEqualTo("store");
              assertThat(e.event()).contains(journey.get(0));
              assertThat(e.isTransient()).isTrue();
            })
        .hasMessageContaining("stage 'store' failed on a batch of 4 events starting with");
  }

  @Test
  void aFailureDeepInsideIsReportedOnceByTheStageThatFailed() {
    Consumer<List<Event>> pipeline =
        Pipeline.start()
            .wrap("outer", next -> next)
            .filter("all", e -> true)
            .then(
                "inner",
                batch -> {
                  throw new IllegalStateException("boom");
                })
            .build();

    assertThatThrownBy(() -> pipeline.accept(journey))
        .isInstanceOfSatisfying(
            PipelineException.class, e -> assertThat(e.stage()).isEqualTo("inner"));
  }

  @Test
  void deduplicateDropsRepeatsAndForgetsWhenALaterStageFails() {
    IdempotencyFilter filter = IdempotencyFilter.inMemory(100, java.time.Duration.ofMinutes(1));
    List<Event> stored = new ArrayList<>();
    boolean[] down = {true};
    Consumer<List<Event>> pipeline =
        Pipeline.start()
            .deduplicate("idempotency", filter)
            .then(
                "store",
                batch -> {
                  if (down[0]) {
                    throw new TransientCursusException("store down", null);
                  }
                  stored.addAll(batch);
                })
            .build();

    assertThatThrownBy(() -> pipeline.accept(journey)).isInstanceOf(PipelineException.class);
    down[0] = false;
    pipeline.accept(journey); // the retry is not mistaken for a repeat
    pipeline.accept(journey); // a real repeat is dropped

    assertThat(stored).isEqualTo(journey);
  }

  @Test
  void rejectsDuplicateAndBlankStageNames() {
    assertThatThrownBy(() -> Pipeline.start().filter("a", e -> true).filter("a", e -> true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'a' is already used");
    assertThatThrownBy(() -> Pipeline.start().filter(" ", e -> true))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void listsStageNamesInOrder() {
    Pipeline pipeline =
        Pipeline.start().filter("validate", e -> true).then("store", b -> {}).wrap("w", n -> n);

    assertThat(pipeline.stageNames()).containsExactly("validate", "store", "w");
  }

  @Test
  void validatorRefusesEventsTheRegistryDoesNotDeclareOrWhoseParametersDoNotMatch() {
    Consumer<List<Event>> pipeline =
        Pipeline.start().filter("validate", Stages.validator(Parcels.REGISTRY)).build();
    Event good = journey.get(0);
    Event wrongType =
        Event.of(
            good.aggregateId(),
            good.timestamp(),
            good.type(),
            Parameters.builder().add("depotId", 42).build());

    pipeline.accept(List.of(good));
    assertThatThrownBy(() -> pipeline.accept(List.of(good, wrongType)))
        .isInstanceOfSatisfying(
            PipelineException.class,
            e -> {
              assertThat(e.stage()).isEqualTo("validate");
              assertThat(e.event()).contains(wrongType);
              assertThat(e.isTransient()).isFalse();
            });
  }

  @Test
  void validatorNamesTheEventTheParameterAndTheDeclaredAndGivenTypes() {
    Consumer<List<Event>> pipeline =
        Pipeline.start().filter("validate", Stages.validator(Parcels.REGISTRY)).build();
    Event good = journey.get(0);
    Event wrongType =
        Event.of(
            good.aggregateId(),
            good.timestamp(),
            good.type(),
            Parameters.builder().add("depotId", 42).build(),
            good.characteristics());

    assertThatThrownBy(() -> pipeline.accept(List.of(wrongType)))
        .isInstanceOf(PipelineException.class)
        .cause()
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "event parcel/receivedAtDepot_1 of "
                + good.aggregateId()
                + " at "
                + good.timestamp()
                + " (declared by ParcelEvents.receivedAtDepot): parameter 'depotId' is declared"
                + " java.lang.String but was given a java.lang.Integer: 42");
  }

  @Test
  void validatorRefusesAnEventOverTheRegistrysSizeLimitNamingItsSize() {
    Consumer<List<Event>> pipeline =
        Pipeline.start().filter("validate", Stages.validator(Parcels.REGISTRY)).build();
    Event good = journey.get(0);
    Event huge =
        Event.of(
            good.aggregateId(),
            good.timestamp(),
            good.type(),
            Parameters.of("depotId", "x".repeat(2 * 1024 * 1024)),
            good.characteristics());

    assertThatThrownBy(() -> pipeline.accept(List.of(huge)))
        .isInstanceOfSatisfying(
            PipelineException.class, e -> assertThat(e.stage()).isEqualTo("validate"))
        .cause()
        .hasMessageContaining("bytes, over the limit of 1000000 bytes for one event")
        .hasMessageContaining("its largest parameter is 'depotId' (2097154 bytes)");
  }
}
