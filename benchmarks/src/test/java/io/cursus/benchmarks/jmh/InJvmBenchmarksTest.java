package io.cursus.benchmarks.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.api.Event;
import io.cursus.benchmarks.kotlin.KotlinEmit;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each Cursus benchmark and its baseline produce the same value, so the ratio compares like with
 * like.
 */
class InJvmBenchmarksTest {

  private final InJvmBenchmarks benchmarks = new InJvmBenchmarks();

  InJvmBenchmarksTest() {
    benchmarks.setUp();
  }

  @Test
  void everyEmitMakesTheEventBuiltByHand() {
    Event byHand = InJvmBenchmarks.byHand();

    assertThat(benchmarks.emitInterfaceProxy()).isEqualTo(byHand);
    assertThat(benchmarks.emitRecord()).isEqualTo(byHand);
    assertThat(benchmarks.emitByHand()).isEqualTo(byHand);
    assertThat(
            KotlinEmit.captureOne(
                InJvmBenchmarks.PARCEL, InJvmBenchmarks.AT, InJvmBenchmarks.TRUCK))
        .containsExactly(byHand);
    assertThat(benchmarks.emitKotlinThroughBus()).isEqualTo(List.of(byHand));
    assertThat(benchmarks.dispatchByHandThroughBus()).isEqualTo(List.of(byHand));
  }

  @Test
  void bothJsonRoundTripsKeepEveryField() throws Exception {
    Event back = benchmarks.jsonRoundTripEventJson();
    PlainEnvelope plain = benchmarks.jsonRoundTripPlainJackson();

    assertThat(InJvmBenchmarks.plainOf(back)).isEqualTo(plain);
  }

  @Test
  void everyStateRebuildReachesTheSameState() {
    var byHand = benchmarks.stateByHand1000();
    var built = benchmarks.stateBuilder1000();
    var folded = benchmarks.stateFold1000();
    var foldedByHand = benchmarks.stateFoldByHand1000();

    assertThat(byHand.moves()).isEqualTo(999);
    assertThat(built.moves()).isEqualTo(byHand.moves());
    assertThat(built.location()).isEqualTo(byHand.location());
    assertThat(folded.moves()).isEqualTo(byHand.moves());
    assertThat(folded.location()).isEqualTo(byHand.location());
    assertThat(foldedByHand.moves()).isEqualTo(byHand.moves());
    assertThat(foldedByHand.location()).isEqualTo(byHand.location());
  }
}
