package io.cursus.middleware.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackOffTest {

  private long now = -5_000_000_000L; // System.nanoTime() may be negative
  private final BackOff backoff =
      new BackOff(Duration.ofMillis(100), Duration.ofMillis(350), () -> now);

  @Test
  void isDueAtOnceWhileNothingFailed() {
    // then
    assertThat(backoff.due()).isTrue();
    assertThat(backoff.remaining(Duration.ofMillis(500))).isZero();
    assertThat(backoff.delay()).isZero();
  }

  @Test
  void waitsTheInitialDelayAfterAFailure() {
    // when
    Duration delay = backoff.failed();

    // then
    assertThat(delay).isEqualTo(Duration.ofMillis(100));
    assertThat(backoff.due()).isFalse();
    assertThat(backoff.remaining(Duration.ofMillis(500))).isEqualTo(Duration.ofMillis(100));
    now += Duration.ofMillis(99).toNanos();
    assertThat(backoff.due()).isFalse();
    assertThat(backoff.remaining(Duration.ofMillis(500))).isEqualTo(Duration.ofMillis(1));
    now += Duration.ofMillis(1).toNanos();
    assertThat(backoff.due()).isTrue();
    assertThat(backoff.remaining(Duration.ofMillis(500))).isZero();
  }

  @Test
  void remainingIsBoundedByWhatTheCallerMayWait() {
    // given
    backoff.failed();

    // then
    assertThat(backoff.remaining(Duration.ofMillis(30))).isEqualTo(Duration.ofMillis(30));
  }

  @Test
  void doublesTheDelayOnEachFailureUpToTheMaximum() {
    // when
    Duration first = backoff.failed();
    Duration second = backoff.failed();
    Duration third = backoff.failed();
    Duration fourth = backoff.failed();

    // then
    assertThat(first).isEqualTo(Duration.ofMillis(100));
    assertThat(second).isEqualTo(Duration.ofMillis(200));
    assertThat(third).isEqualTo(Duration.ofMillis(350));
    assertThat(fourth).isEqualTo(Duration.ofMillis(350));
    assertThat(backoff.remaining(Duration.ofSeconds(1))).isEqualTo(Duration.ofMillis(350));
  }

  @Test
  void startsAgainFromTheInitialDelayAfterAReset() {
    // given
    backoff.failed();
    backoff.failed();

    // when
    backoff.reset();
    Duration next = backoff.failed();

    // then
    assertThat(next).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void aResetKeepsARetryThatIsNotYetDueWaiting() {
    // given
    backoff.failed();

    // when
    backoff.reset();

    // then
    assertThat(backoff.delay()).isZero();
    assertThat(backoff.due()).isFalse();
  }

  @Test
  void refusesAMaximumBelowTheInitialDelayNamingBoth() {
    assertThatThrownBy(() -> new BackOff(Duration.ofSeconds(2), Duration.ofSeconds(1), () -> 0L))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT2S")
        .hasMessageContaining("PT1S");
  }
}
