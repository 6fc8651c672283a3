package io.cursus.api.state.elsewhere;

import java.util.ArrayList;
import java.util.List;

/**
 * A state class that its package keeps to itself, so the state builder cannot spin classes that
 * call its methods directly and calls them through their method handles.
 */
final class HiddenTally {
  final List<String> calls = new ArrayList<>();

  public static HiddenTally e0() {
    HiddenTally tally = new HiddenTally();
    tally.calls.add("e0()");
    return tally;
  }

  public void e1(int a) {
    calls.add("e1(" + a + ")");
  }

  public HiddenTally e2(int a, int b) {
    calls.add("e2(" + a + "," + b + ")");
    return this;
  }

  public void e5(int a, int b, int c, int d, int e) {
    calls.add("e5(" + a + "," + b + "," + c + "," + d + "," + e + ")");
  }
}
