package io.cursus.api.state.elsewhere;

/** A public state class, which tests also load in a loader of its own, as a plug-in's. */
public final class PluginTally {
  private int total;

  public static PluginTally e0() {
    return new PluginTally();
  }

  public void e1(int a) {
    total += a;
  }

  public PluginTally e2(int a, int b) {
    total += a * b;
    return this;
  }

  public int total() {
    return total;
  }
}
