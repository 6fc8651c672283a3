package io.cursus.api.projection;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** {@link ProjectionClaims#inMemory()}. */
final class InMemoryClaims implements ProjectionClaims {

  private record Claim(String owner, Instant until) {}

  private final Map<String, Claim> claims = new HashMap<>();

  @Override
  public synchronized boolean claim(String name, String owner, Instant now, Instant until) {
    requireNonNull(name, "name must not be null");
    requireNonNull(owner, "owner must not be null");
    Claim held = claims.get(name);
    if (held != null && !held.owner.equals(owner) && held.until.isAfter(now)) {
      return false;
    }
    claims.put(name, new Claim(owner, until));
    return true;
  }

  @Override
  public synchronized void release(String name, String owner) {
    Claim held = claims.get(name);
    if (held != null && held.owner.equals(owner)) {
      claims.remove(name);
    }
  }

  @Override
  public synchronized String toString() {
    return "in-memory claims " + claims;
  }
}
