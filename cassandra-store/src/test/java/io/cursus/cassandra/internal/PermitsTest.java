package io.cursus.cassandra.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PermitsTest {

  @Test
  void anOperationBeyondTheBoundIsQueuedWithoutBlockingAndStartsWhenAPermitIsFreed() {
    // given: two permits, both held by operations still running
    Permits permits = new Permits(2);
    CompletableFuture<String> first = new CompletableFuture<>();
    CompletableFuture<String> second = new CompletableFuture<>();
    CompletableFuture<String> firstResult = permits.whenFreeAsync(() -> first);
    var unused = permits.whenFreeAsync(() -> second);
    List<Thread> startedOn = new ArrayList<>();

    // when: a third is asked for, on this thread
    CompletableFuture<String> third =
        permits.whenFreeAsync(
            () -> {
              startedOn.add(Thread.currentThread());
              return CompletableFuture.completedFuture("third");
            });

    // then: the call returned at once, and the operation waits
    assertThat(startedOn).isEmpty();
    assertThat(permits.queued()).isEqualTo(1);
    assertThat(third).isNotDone();

    // when: the first operation completes
    first.complete("first");

    // then: the third starts on the thread that freed the permit
    assertThat(firstResult).isCompletedWithValue("first");
    assertThat(startedOn).containsExactly(Thread.currentThread());
    assertThat(third).isCompletedWithValue("third");
    assertThat(permits.available()).isEqualTo(1);
  }

  @Test
  void queuedOperationsStartInTheOrderTheyWereQueued() {
    Permits permits = new Permits(1);
    CompletableFuture<Void> holder = new CompletableFuture<>();
    var unused = permits.whenFreeAsync(() -> holder);
    List<Integer> started = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int n = i;
      var unusedToo =
          permits.whenFreeAsync(
              () -> {
                started.add(n);
                return CompletableFuture.completedFuture(null);
              });
    }

    holder.complete(null);

    assertThat(started).containsExactly(0, 1, 2, 3, 4);
    assertThat(permits.available()).isEqualTo(1);
  }

  @Test
  void aFailedOrThrowingOperationFailsItsStageWithItsOwnExceptionAndFreesThePermit() {
    Permits permits = new Permits(1);
    IllegalStateException refused = new IllegalStateException("refused");
    ArithmeticException thrown = new ArithmeticException("thrown");

    CompletableFuture<Object> failed =
        permits.whenFreeAsync(() -> CompletableFuture.failedFuture(refused));
    CompletableFuture<Object> throwing =
        permits.whenFreeAsync(
            () -> {
              throw thrown;
            });

    assertThat(failed.handle((v, f) -> f)).isCompletedWithValue(refused);
    assertThat(throwing.handle((v, f) -> f)).isCompletedWithValue(thrown);
    assertThat(permits.available()).isEqualTo(1);
  }

  @Test
  void manyOperationsThatCompleteAtOnceRunOneAfterAnotherWithoutDeepeningTheStack() {
    // given: one permit, held, and 100,000 operations queued behind it
    Permits permits = new Permits(1);
    CompletableFuture<Void> holder = new CompletableFuture<>();
    var unused = permits.whenFreeAsync(() -> holder);
    AtomicInteger ran = new AtomicInteger();
    List<CompletableFuture<Integer>> results = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      results.add(
          permits.whenFreeAsync(() -> CompletableFuture.completedFuture(ran.incrementAndGet())));
    }

    // when
    holder.complete(null);

    // then: no StackOverflowError, every one ran
    assertThat(ran).hasValue(100_000);
    assertThat(results.get(99_999)).isCompletedWithValue(100_000);
  }

  @Test
  void blockingAndAsynchronousCallersShareThePermits() throws Exception {
    // given: the only permit held by an asynchronous operation
    Permits permits = new Permits(1);
    CompletableFuture<String> holder = new CompletableFuture<>();
    var unused = permits.whenFreeAsync(() -> holder);
    AtomicInteger started = new AtomicInteger();
    CompletableFuture<CompletableFuture<String>> blockingCall = new CompletableFuture<>();
    Thread caller =
        new Thread(
            () -> {
              try {
                blockingCall.complete(
                    permits.whenFree(
                        () -> {
                          started.incrementAndGet();
                          return CompletableFuture.completedFuture("blocking");
                        }));
              } catch (InterruptedException e) {
                blockingCall.completeExceptionally(e);
              }
            });

    // when: a blocking caller asks
    caller.start();
    while (caller.getState() != Thread.State.WAITING && caller.isAlive()) {
      Thread.onSpinWait();
    }

    // then: it waits for the permit
    assertThat(started).hasValue(0);

    // when: the asynchronous operation completes
    holder.complete("async");
    caller.join(TimeUnit.MINUTES.toMillis(1));

    // then
    assertThat(caller.isAlive()).isFalse();
    assertThat(blockingCall.get()).isCompletedWithValue("blocking");
    assertThat(permits.available()).isEqualTo(1);
  }

  @Test
  void neverRunsMoreThanItsBoundAtOnceUnderConcurrentCallers() throws Exception {
    // given: 4 permits, 8 threads asking for 2,000 operations that complete on other threads
    Permits permits = new Permits(4);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    ExecutorService callers = Executors.newFixedThreadPool(8);
    ExecutorService completers = Executors.newFixedThreadPool(3);
    ConcurrentLinkedQueue<CompletableFuture<Integer>> results = new ConcurrentLinkedQueue<>();
    try {
      for (int i = 0; i < 2_000; i++) {
        int n = i;
        callers.execute(
            () ->
                results.add(
                    permits.whenFreeAsync(
                        () -> {
                          mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                          return CompletableFuture.supplyAsync(
                              () -> {
                                running.decrementAndGet();
                                return n;
                              },
                              completers);
                        })));
      }
      callers.shutdown();
      assertThat(callers.awaitTermination(1, TimeUnit.MINUTES)).isTrue();

      // when
      CompletableFuture.allOf(results.toArray(CompletableFuture<?>[]::new))
          .get(1, TimeUnit.MINUTES);
    } finally {
      callers.shutdownNow();
      completers.shutdownNow();
    }

    // then
    assertThat(results).hasSize(2_000);
    assertThat(results.stream().mapToInt(CompletableFuture::join).sum())
        .isEqualTo(1_999 * 2_000 / 2);
    assertThat(mostAtOnce.get()).isBetween(1, 4);
    assertThat(permits.available()).isEqualTo(4);
    assertThat(permits.queued()).isZero();
  }

  @Test
  void refusesFewerThanOnePermit() {
    assertThatThrownBy(() -> new Permits(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("permits must be at least 1, was 0");
  }
}
