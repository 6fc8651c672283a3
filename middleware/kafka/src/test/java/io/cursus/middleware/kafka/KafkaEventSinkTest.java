package io.cursus.middleware.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.json.EventJson;
import io.cursus.middleware.fixtures.Parcels;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class KafkaEventSinkTest {

  private final EventJson json = EventJson.using(Parcels.REGISTRY);

  @Test
  void acksAndIdempotenceCannotBeTurnedOffByPassThroughProperties() {
    Properties config =
        KafkaEventSink.builder("127.0.0.1:9092", "parcels", json)
            .properties(
                Map.of(
                    "acks", "0",
                    "enable.idempotence", false,
                    "security.protocol", "SASL_SSL",
                    "sasl.mechanism", "SCRAM-SHA-512"))
            .config();

    assertThat(config)
        .containsEntry("acks", "all")
        .containsEntry("enable.idempotence", true)
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
  }

  @Test
  void refusesADeliveryTimeoutShorterThanLingerPlusRequestTimeout() {
    assertThatThrownBy(
            () ->
                KafkaEventSink.builder("127.0.0.1:9092", "parcels", json)
                    .linger(Duration.ofMillis(100))
                    .requestTimeout(Duration.ofSeconds(10))
                    .deliveryTimeout(Duration.ofSeconds(10))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("delivery timeout PT10S must be at least linger");
  }

  @Test
  void aRefusedLoginIsToldAsRefusedCredentialsNamingTheSettingsToCheck() {
    String why =
        KafkaEventSink.why(
            new org.apache.kafka.common.errors.SaslAuthenticationException(
                "Authentication failed during authentication due to invalid credentials with"
                    + " SASL mechanism SCRAM-SHA-512"),
            Duration.ofSeconds(8));

    assertThat(why)
        .startsWith("Kafka refused the producer's credentials or rights (authentication failed:")
        .contains("SCRAM-SHA-512")
        .contains("check security.protocol, sasl.mechanism and sasl.jaas.config");
  }

  @Test
  void aRefusedRightIsToldAsNotAuthorized() {
    String why =
        KafkaEventSink.why(
            new org.apache.kafka.common.errors.TopicAuthorizationException(Set.of("parcels")),
            Duration.ofSeconds(8));

    assertThat(why)
        .startsWith("Kafka refused the producer's credentials or rights (not authorized:")
        .contains("parcels");
  }

  @Test
  void keysEventsByAggregate() {
    var journey = Parcels.journey(java.util.UUID.randomUUID(), "s");

    assertThat(journey)
        .extracting(KafkaEventSink::keyOf)
        .containsOnly("parcel/" + journey.get(0).aggregateId().id());
  }

  @Test
  void consumerConfigFixesManualCommitAndKeepsPassThroughProperties() {
    Properties config =
        KafkaEventConsumer.builder(
                "127.0.0.1:9092",
                "parcels",
                "store",
                json,
                io.cursus.api.memory.InMemoryEventStore.empty())
            .property("enable.auto.commit", true)
            .property("session.timeout.ms", 10_000)
            .property("security.protocol", "SSL")
            .consumerConfig();

    assertThat(config)
        .containsEntry("enable.auto.commit", false)
        .containsEntry("group.id", "store")
        .containsEntry("session.timeout.ms", 10_000)
        .containsEntry("security.protocol", "SSL");
  }

  /**
   * docs/middleware.md lists every option of the sink's builder with its default, as a table of
   * option, default and producer property; each default must be what the builder sets.
   */
  @Test
  void theGuideListsEveryOptionOfTheBuilderWithItsDefault() throws IOException {
    // given: the guide's table
    List<String> guide = Files.readAllLines(Path.of("..", "..", "docs", "middleware.md"));
    int header = guide.indexOf("| option | default | producer property |");
    assertThat(header).as("the sink's table of defaults").isPositive();
    Map<String, String[]> rows = new LinkedHashMap<>();
    for (String line : guide.subList(header + 2, guide.size())) {
      if (!line.startsWith("|")) {
        break;
      }
      String[] cells = line.substring(1, line.length() - 1).split("\\|", -1);
      for (String option : cells[0].split(",", -1)) {
        rows.put(option.strip().replace("`", ""), cells);
      }
    }
    KafkaEventSink.Builder defaults = KafkaEventSink.builder("127.0.0.1:9092", "parcels", json);
    Properties config = defaults.config();

    // then: every option of the builder is listed ...
    Set<String> options = new TreeSet<>();
    for (Method method : KafkaEventSink.Builder.class.getDeclaredMethods()) {
      if (Modifier.isPublic(method.getModifiers()) && !method.getName().equals("build")) {
        options.add(method.getName());
      }
    }
    assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(options);
    // ... with the default the builder sets
    for (String[] row : rows.values()) {
      String property = row[2].strip();
      if (property.startsWith("`")) {
        Object value = config.get(property.replace("`", ""));
        assertThat(String.valueOf(value)).as(property).isEqualTo(amount(row[1].strip()));
      }
    }
    assertThat(rows.get("ackTimeout")[1]).endsWith(": 40 s ");
    assertThat(defaults.effectiveAckTimeout()).isEqualTo(Duration.ofSeconds(40));
  }

  /** "5 ms" as "5", "10 s" as "10000", "64 KiB" as "65536", "`none`" as "none". */
  private static String amount(String text) {
    String[] parts = text.replace("`", "").split(" ", -1);
    if (parts.length == 1) {
      return parts[0];
    }
    long number = Long.parseLong(parts[0]);
    return String.valueOf(
        switch (parts[1]) {
          case "ms" -> number;
          case "s" -> number * 1000;
          case "KiB" -> number * 1024;
          case "MiB" -> number * 1024 * 1024;
          default -> throw new AssertionError("unknown unit in " + text);
        });
  }
}
