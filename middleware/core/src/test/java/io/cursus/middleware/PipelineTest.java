package io.cursus.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.Event;
import io.cursus.api.NonTransientCursusException;
import io.cursus.api.Parameters;
import io.cursus.api.TransientCursusException;
import io.cursus.middleware.fixtures.Parcels;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;
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

  @Test
  void anAsynchronousStageCompletesTheFutureOnlyWhenItAndTheLaterStagesAreDone() {
    // given: a stage whose work completes later, as a Kafka acknowledgement does
    CompletableFuture<Void> acknowledged = new CompletableFuture<>();
    List<String> trace = new ArrayList<>();
    Function<List<Event>, CompletableFuture<Void>> pipeline =
        Pipeline.start()
            .then("before", batch -> trace.add("before " + batch.size()))
            .thenAsync("kafka", batch -> acknowledged)
            .then("after", batch -> trace.add("after " + batch.size()))
            .buildAsync();

    // when
    CompletableFuture<Void> done = pipeline.apply(journey);

    // then: the call returned before the work was done, and the later stage waited for it
    assertThat(done).isNotDone();
    assertThat(trace).containsExactly("before 4");
    acknowledged.complete(null);
    assertThat(done).isCompletedWithValue(null);
    assertThat(trace).containsExactly("before 4", "after 4");
  }

  @Test
  void anAsynchronousStagesFailureFailsTheFutureNamingTheStage() {
    CompletableFuture<Void> acknowledged = new CompletableFuture<>();
    Function<List<Event>, CompletableFuture<Void>> pipeline =
        Pipeline.start().thenAsync("kafka", batch -> acknowledged).buildAsync();

    CompletableFuture<Void> done = pipeline.apply(journey);
    acknowledged.completeExceptionally(new TransientCursusException("not acknowledged", null));

    assertThatThrownBy(done::join)
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(
            PipelineException.class,
            e -> {
              assertThat(e.stage()).isEqualTo("kafka");
              assertThat(e.isTransient()).isTrue();
              assertThat(e.event()).contains(journey.get(0));
            })
        .hasMessageContaining("on a batch of 4 events")
        .hasMessageContaining("not acknowledged");
  }

  @Test
  void buildAsyncThrowsARefusedEventAtTheCallButPutsAFailureOfTheOutsideWorldInTheFuture() {
    // given
    boolean[] storeDown = {false};
    Function<List<Event>, CompletableFuture<Void>> pipeline =
        Pipeline.start()
            .filter("validate", Stages.validator(Parcels.REGISTRY))
            .then(
                "store",
                batch -> {
                  if (storeDown[0]) {
                    throw new NonTransientCursusException("store refused", null);
                  }
                })
            .thenAsync("kafka", batch -> CompletableFuture.completedFuture(null))
            .buildAsync();
    Event good = journey.get(0);
    Event wrongType =
        Event.of(
            good.aggregateId(),
            good.timestamp(),
            good.type(),
            Parameters.builder().add("depotId", 42).build());

    // when / then: a refusal is the caller's mistake, thrown where it was made
    assertThatThrownBy(() -> pipeline.apply(List.of(good, wrongType)))
        .isInstanceOfSatisfying(
            PipelineException.class, e -> assertThat(e.stage()).isEqualTo("validate"))
        .hasRootCauseInstanceOf(IllegalArgumentException.class);
    // and a failure of the outside world is the future's
    storeDown[0] = true;
    CompletableFuture<Void> done = pipeline.apply(List.of(good));
    assertThat(done).isCompletedExceptionally();
    assertThatThrownBy(done::join)
        .cause()
        .isInstanceOfSatisfying(
            PipelineException.class, e -> assertThat(e.stage()).isEqualTo("store"))
        .hasMessageContaining("store refused");
    storeDown[0] = false;
    assertThat(pipeline.apply(List.of(good))).isCompletedWithValue(null);
  }

  @Test
  void buildWaitsForAnAsynchronousStageAndThrowsWhatItFailedWith() {
    Consumer<List<Event>> pipeline =
        Pipeline.start()
            .thenAsync(
                "kafka",
                batch ->
                    CompletableFuture.runAsync(
                        () -> {
                          throw new TransientCursusException("broker down", null);
                        }))
            .build();

    assertThatThrownBy(() -> pipeline.accept(journey))
        .isInstanceOfSatisfying(
            PipelineException.class,
            e -> {
              assertThat(e.stage()).isEqualTo("kafka");
              assertThat(e.isTransient()).isTrue();
            })
        .hasMessageContaining("broker down");
  }

  @Test
  void deduplicateForgetsTheBatchBeforeAFailedAsynchronousStageReachesTheCaller() {
    // given
    IdempotencyFilter filter = IdempotencyFilter.inMemory(100, java.time.Duration.ofMinutes(1));
    List<Event> sent = new ArrayList<>();
    boolean[] down = {true};
    Function<List<Event>, CompletableFuture<Void>> pipeline =
        Pipeline.start()
            .deduplicate("idempotency", filter)
            .thenAsync(
                "kafka",
                batch ->
                    CompletableFuture.runAsync(
                        () -> {
                          if (down[0]) {
                            throw new TransientCursusException("broker down", null);
                          }
                          synchronized (sent) {
                            sent.addAll(batch);
                          }
                        }))
            .buildAsync();

    // when
    CompletableFuture<Void> first = pipeline.apply(journey);
    assertThatThrownBy(first::join).hasMessageContaining("broker down");
    down[0] = false;
    pipeline.apply(journey).join(); // the retry is not mistaken for a repeat
    pipeline.apply(journey).join(); // a real repeat is dropped

    // then
    assertThat(sent).isEqualTo(journey);
  }

  @Test
  void deduplicateDropsRepeatsWithinOneBatchKeepingTheFirst() {
    List<Event> stored = new ArrayList<>();
    Consumer<List<Event>> pipeline =
        Pipeline.start()
            .deduplicate(
                "idempotency", IdempotencyFilter.inMemory(100, java.time.Duration.ofMinutes(1)))
            .then("store", stored::addAll)
            .build();
    List<Event> twice = new ArrayList<>(journey);
    twice.add(1, journey.get(0));
    twice.addAll(journey);

    pipeline.accept(twice);

    assertThat(stored).isEqualTo(journey);
  }
}
