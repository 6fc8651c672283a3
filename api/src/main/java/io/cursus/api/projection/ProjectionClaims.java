package io.cursus.api.projection;

import java.time.Instant;

/**
 * Lets one instance of a projection run at a time, when its source does not share partitions out
 * among instances ({@link ProjectionSource#splitsWork()} is false): an instance claims the
 * projection's name until a time, renews the claim while it runs, and releases it when it stops. An
 * instance that cannot claim the name waits ({@link ProjectionStatus.Phase#STANDBY}) and takes over
 * from the saved checkpoint when the claim is released or runs out.
 *
 * <p>{@link #inMemory()} arbitrates between runtimes of one process that share it. Implementations
 * are thread-safe.
 */
public interface ProjectionClaims {

  /** New in-memory claims. Thread-safe. */
  static ProjectionClaims inMemory() {
    return new InMemoryClaims();
  }

  /**
   * Claims projection {@code name} for {@code owner} until {@code until}: true if it was free, had
   * run out before {@code now}, or was already {@code owner}'s (then it is renewed).
   */
  boolean claim(String name, String owner, Instant now, Instant until);

  /** Releases {@code owner}'s claim of {@code name}; nothing happens if another owner holds it. */
  void release(String name, String owner);
}
