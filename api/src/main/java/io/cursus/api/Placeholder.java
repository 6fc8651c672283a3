package io.cursus.api;

final class Placeholder {
  private Placeholder() {}
}
