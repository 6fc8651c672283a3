package io.cursus.testkit;

final class Placeholder {
  private Placeholder() {}
}
