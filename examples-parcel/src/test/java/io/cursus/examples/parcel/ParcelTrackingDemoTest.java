package io.cursus.examples.parcel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ParcelTrackingDemoTest {

  @Test
  void embeddedStackAnswersEveryQuestionAsSimulated() throws Exception {
    Simulation simulation = Simulation.of(42, 200);
    assertThat(simulation.offered()).isGreaterThan(simulation.unique());
    assertThat(simulation.lateWave()).isNotEmpty();

    try (Stack stack = new EmbeddedStack(ParcelTrackingDemo.REGISTRY)) {
      String report = ReportAssertions.runAndCheck(stack, simulation);
      assertThat(report).startsWith("Cursus parcel tracking on the embedded stack");
      assertThat(report).contains("6. The depot board, kept by the state projection 'depot-board'");
      assertThat(report)
          .contains("stored by a depot app still on version 1: parcel/delivered_1")
          .contains("read by this version, through an upcaster: parcel/delivered_2")
          .contains("signedBy=(not recorded)")
          .contains("old stored events still read");
    }
  }

  @Test
  void theStackWiredBySpringAnswersTheSame() throws Exception {
    Simulation simulation = Simulation.of(42, 200);

    try (Stack stack =
        ParcelTrackingDemo.Options.parse(new String[] {"--stack", "spring"}).openStack()) {
      String report = ReportAssertions.runAndCheck(stack, simulation);
      assertThat(report).startsWith("Cursus parcel tracking on the embedded stack wired by Spring");
      assertThat(report).contains("6. The depot board, kept by the state projection 'depot-board'");
      assertThat(stack.duplicatesStopped()).isEqualTo(simulation.offered() - simulation.unique());
    }
  }

  @Test
  void otherSeedsAndSizesHoldToo() throws Exception {
    for (long seed = 1; seed <= 5; seed++) {
      try (Stack stack = new EmbeddedStack(ParcelTrackingDemo.REGISTRY)) {
        ReportAssertions.runAndCheck(stack, Simulation.of(seed, 25 + (int) seed * 30));
      }
    }
  }

  @Test
  void badOptionsAreNamed() {
    assertThatThrownBy(() -> ParcelTrackingDemo.Options.parse(new String[] {"--stack", "cloud"}))
        .hasMessage("--stack must be embedded, spring or real, was cloud");
    assertThatThrownBy(() -> ParcelTrackingDemo.Options.parse(new String[] {"--colour", "red"}))
        .hasMessageStartingWith("unknown option --colour");
    assertThatThrownBy(() -> ParcelTrackingDemo.Options.parse(new String[] {"--parcels"}))
        .hasMessage("--parcels needs a value");
    assertThatThrownBy(() -> Simulation.of(1, 0)).hasMessage("parcels must be at least 1, was 0");
  }
}
