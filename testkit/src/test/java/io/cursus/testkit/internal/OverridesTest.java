package io.cursus.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

// The expected addresses are literal IPs, not host names to look up: nothing to select among.
@SuppressWarnings("AddressSelection")
class OverridesTest {
  private static Properties properties(String key, String value) {
    Properties properties = new Properties();
    properties.setProperty(key, value);
    return properties;
  }

  @Test
  void noOverrideWhenNothingIsSet() {
    Overrides overrides = new Overrides(Map.of(), new Properties());

    assertThat(overrides.cassandra()).isEmpty();
    assertThat(overrides.kafka()).isEmpty();
  }

  @Test
  void readsCassandraHostAndPortFromEnvironment() {
    Overrides overrides =
        new Overrides(Map.of("CURSUS_CASSANDRA", "127.0.0.1:19042"), new Properties());

    assertThat(overrides.cassandra()).contains(new InetSocketAddress("127.0.0.1", 19042));
  }

  @Test
  void cassandraPortDefaultsTo9042() {
    Overrides overrides = new Overrides(Map.of("CURSUS_CASSANDRA", "127.0.0.1"), new Properties());

    assertThat(overrides.cassandra()).contains(new InetSocketAddress("127.0.0.1", 9042));
  }

  @Test
  void systemPropertyWinsOverEnvironment() {
    Overrides overrides =
        new Overrides(
            Map.of("CURSUS_KAFKA", "127.0.0.1:9092"),
            properties("cursus.kafka", "127.0.0.1:29092"));

    assertThat(overrides.kafka()).contains("127.0.0.1:29092");
  }

  @Test
  void acceptsSeveralKafkaServers() {
    Overrides overrides =
        new Overrides(Map.of("CURSUS_KAFKA", "127.0.0.1:9092, 127.0.0.2:9092"), new Properties());

    assertThat(overrides.kafka()).contains("127.0.0.1:9092,127.0.0.2:9092");
  }

  @Test
  void parsesBracketedIpv6() {
    Overrides overrides = new Overrides(Map.of("CURSUS_CASSANDRA", "[::1]:9043"), new Properties());

    assertThat(overrides.cassandra()).contains(new InetSocketAddress("::1", 9043));
  }

  @Test
  void rejectsKafkaWithoutPort() {
    Overrides overrides = new Overrides(Map.of("CURSUS_KAFKA", "localhost"), new Properties());

    assertThatThrownBy(overrides::kafka)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("CURSUS_KAFKA must be host:port, was 'localhost'");
  }

  @Test
  void rejectsPortOutOfRange() {
    Overrides overrides =
        new Overrides(Map.of("CURSUS_CASSANDRA", "127.0.0.1:70000"), new Properties());

    assertThatThrownBy(overrides::cassandra)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("127.0.0.1:70000");
  }
}
