package io.cursus.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** {@code cursus.kafka.properties.*}: Kafka client properties (SASL, TLS) passed through. */
class KafkaPropertiesTest {

  private static void start(Map<String, Object> properties) {
    try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
      context
          .getEnvironment()
          .getPropertySources()
          .addFirst(new MapPropertySource("test", properties));
      context.register(EnableCursusTest.App.class);
      context.refresh();
    }
  }

  @Test
  void kafkaClientPropertiesArePassedThroughWithPlaceholdersResolvedAndTheirValuesNeverShown() {
    // given: SASL settings, the password from another property (as from the environment)
    String secret = "s3cret-" + UUID.randomUUID();
    Map<String, Object> properties =
        Map.of(
            "cursus.kafka.properties.security.protocol", "SASL_SSL",
            "cursus.kafka.properties.sasl.mechanism", "SCRAM-SHA-512",
            "cursus.kafka.properties.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required"
                    + " username=\"cursus\" password=\"${app.kafka.password}\";",
            "app.kafka.password", secret,
            "cursus.pipeline", "kafka",
            "cursus.kafka.bootstrap-servers", "127.0.0.1:9092",
            "cursus.kafka.consume", "false");

    // when: read as the context reads them (no broker is needed to read them)
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
    CursusProperties read = CursusProperties.from(environment);

    // then
    assertThat(read.kafkaProperties())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry(
            "sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"cursus\" password=\""
                + secret
                + "\";")
        .hasSize(3);
    assertThat(read.toString())
        .contains(
            "cursus.kafka.properties.*=[sasl.jaas.config, sasl.mechanism, security.protocol]"
                + " (values not shown)")
        .doesNotContain(secret)
        .doesNotContain("ScramLoginModule");
  }

  @Test
  void theKafkaPipelineGivesThePassedThroughPropertiesToTheKafkaClients() {
    // given: a JAAS line the Kafka clients cannot parse (no closing semicolon), with a password
    String secret = "s3cret-" + UUID.randomUUID();
    Map<String, Object> properties =
        Map.of(
            "cursus.pipeline", "kafka",
            "cursus.kafka.bootstrap-servers", "127.0.0.1:9",
            "cursus.kafka.properties.security.protocol", "SASL_PLAINTEXT",
            "cursus.kafka.properties.sasl.mechanism", "SCRAM-SHA-512",
            "cursus.kafka.properties.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required"
                    + " username=\"cursus\" password=\""
                    + secret
                    + "\"");

    // when
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> start(properties));

    // then: the Kafka producer got the line (and refused it), and no text of the failure quotes it
    java.io.StringWriter text = new java.io.StringWriter();
    thrown.printStackTrace(new java.io.PrintWriter(text));
    assertThat(text.toString()).contains("JAAS").doesNotContain(secret);
  }
}
