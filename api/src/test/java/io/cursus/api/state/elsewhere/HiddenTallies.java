package io.cursus.api.state.elsewhere;

import io.cursus.api.state.StateBuilder;
import java.util.List;

/** Reaches {@link HiddenTally} for tests of another package. */
public final class HiddenTallies {
  private HiddenTallies() {}

  /** The builder of the package-private state class. */
  public static StateBuilder<?> builder() {
    return StateBuilder.of(HiddenTally.class, TallyEvents.class);
  }

  /** The calls a state built by {@link #builder()} received, in order. */
  public static List<String> calls(Object tally) {
    return ((HiddenTally) tally).calls;
  }
}
