package io.cursus.testkit.internal;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Reads {@code CURSUS_CASSANDRA} / {@code CURSUS_KAFKA} (environment) and {@code cursus.cassandra}
 * / {@code cursus.kafka} (system properties, which win), each {@code host:port}.
 */
public final class Overrides {
  public static final String CASSANDRA_ENV = "CURSUS_CASSANDRA";
  public static final String CASSANDRA_PROPERTY = "cursus.cassandra";
  public static final String KAFKA_ENV = "CURSUS_KAFKA";
  public static final String KAFKA_PROPERTY = "cursus.kafka";

  private final Map<String, String> env;
  private final Properties properties;

  public Overrides(Map<String, String> env, Properties properties) {
    this.env = env;
    this.properties = properties;
  }

  public static Overrides fromEnvironment() {
    return new Overrides(System.getenv(), System.getProperties());
  }

  /** The Cassandra contact point the user asked for, if any. */
  public Optional<InetSocketAddress> cassandra() {
    return lookup(CASSANDRA_PROPERTY, CASSANDRA_ENV).map(v -> parse(v, 9042, CASSANDRA_ENV));
  }

  /** The Kafka bootstrap servers the user asked for ({@code host:port[,host:port...]}), if any. */
  public Optional<String> kafka() {
    return lookup(KAFKA_PROPERTY, KAFKA_ENV)
        .map(
            v -> {
              for (String server : v.split(",", -1)) {
                parse(server.trim(), -1, KAFKA_ENV);
              }
              return v.replace(" ", "");
            });
  }

  private Optional<String> lookup(String property, String variable) {
    String value = properties.getProperty(property);
    if (value == null || value.isBlank()) {
      value = env.get(variable);
    }
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  /**
   * Parses {@code host:port} or {@code [ipv6]:port}; without a port uses {@code defaultPort} if it
   * is positive.
   */
  static InetSocketAddress parse(String value, int defaultPort, String name) {
    String host;
    String port;
    if (value.startsWith("[")) {
      int end = value.indexOf(']');
      if (end < 0) {
        throw invalid(name, value);
      }
      host = value.substring(1, end);
      port =
          value.length() > end + 1 && value.charAt(end + 1) == ':' ? value.substring(end + 2) : "";
    } else {
      int colon = value.lastIndexOf(':');
      host = colon < 0 ? value : value.substring(0, colon);
      port = colon < 0 ? "" : value.substring(colon + 1);
    }
    if (host.isEmpty()) {
      throw invalid(name, value);
    }
    int number;
    if (port.isEmpty()) {
      if (defaultPort <= 0) {
        throw invalid(name, value);
      }
      number = defaultPort;
    } else {
      try {
        number = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        throw invalid(name, value);
      }
      if (number < 1 || number > 65535) {
        throw invalid(name, value);
      }
    }
    return new InetSocketAddress(host, number);
  }

  private static IllegalArgumentException invalid(String name, String value) {
    return new IllegalArgumentException(name + " must be host:port, was '" + value + "'");
  }
}
