package io.cursus.middleware.kafka;

import java.util.Optional;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;

/**
 * Kafka's refusals of a client's credentials or rights, told in words that name them. Kafka's own
 * messages name the mechanism and never the secret; no configuration value is quoted here either.
 */
final class KafkaRefusals {
  static final String CHECK =
      "check security.protocol, sasl.mechanism and sasl.jaas.config (and the ssl.* settings)";

  private KafkaRefusals() {}

  /**
   * {@code "authentication failed: …; check …"} for a refused login, {@code "not authorized: …"}
   * for a refused right, else empty. Neither can be mended by retrying.
   */
  static Optional<String> describe(Throwable failure) {
    if (failure instanceof AuthenticationException) {
      return Optional.of("authentication failed: " + failure.getMessage() + "; " + CHECK);
    }
    if (failure instanceof AuthorizationException) {
      return Optional.of(
          "not authorized: "
              + failure.getMessage()
              + "; the client's principal lacks a right on the cluster, topic or group");
    }
    return Optional.empty();
  }
}
