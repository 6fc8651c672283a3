package io.cursus.reliability;

import com.datastax.oss.driver.api.core.CqlSession;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.store.EventLog;
import io.cursus.cassandra.CassandraEventIndex;
import io.cursus.cassandra.CassandraEventStore;
import io.cursus.json.EventJson;
import io.cursus.middleware.kafka.KafkaEventConsumer;
import io.cursus.middleware.kafka.KafkaEventSink;
import io.cursus.middleware.kafka.KafkaProjectionSource;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The configuration samples of docs/reliability.md and docs/security.md (credentials and TLS for
 * Cassandra and Kafka), compiled with the build so they cannot go stale. Not run here: {@link
 * R13SecuredEnginesIT} runs the same calls (without TLS) against secured engines.
 */
final class SecurityConfigSamples {

  private SecurityConfigSamples() {}

  static CqlSession cassandra(Map<String, String> env, KeyStore trustStore)
      throws GeneralSecurityException {
    // tag::cassandra[]
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trustStore); // the CA that signed the nodes' certificates
    SSLContext tls = SSLContext.getInstance("TLSv1.3");
    tls.init(null, trust.getTrustManagers(), null);
    CqlSession session =
        CqlSession.builder()
            .addContactPoint(new InetSocketAddress(env.get("CASSANDRA_HOST"), 9142))
            .withLocalDatacenter(env.get("CASSANDRA_DC"))
            .withAuthCredentials(env.get("CASSANDRA_USER"), env.get("CASSANDRA_PASSWORD"))
            .withSslContext(tls)
            .build();
    // end::cassandra[]
    return session;
  }

  static KafkaEventSink kafkaSink(Map<String, String> env, String topic, EventJson json) {
    // tag::kafka[]
    Map<String, Object> security = new HashMap<>();
    security.put("security.protocol", "SASL_SSL");
    security.put("sasl.mechanism", "SCRAM-SHA-512");
    security.put(
        "sasl.jaas.config",
        String.format(
            "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"%s\" password=\"%s\";",
            env.get("KAFKA_USER"), env.get("KAFKA_PASSWORD")));
    security.put("ssl.truststore.location", env.get("KAFKA_TRUSTSTORE"));
    security.put("ssl.truststore.password", env.get("KAFKA_TRUSTSTORE_PASSWORD"));
    KafkaEventSink sink =
        KafkaEventSink.builder(env.get("KAFKA_BOOTSTRAP"), topic, json)
            .properties(security)
            .build();
    // end::kafka[]
    return sink;
  }

  static KafkaEventConsumer kafkaConsumer(
      Map<String, String> env, Map<String, Object> security, EventJson json, EventLog store) {
    // tag::consumer[]
    KafkaEventConsumer consumer =
        KafkaEventConsumer.builder(env.get("KAFKA_BOOTSTRAP"), "parcels", "store", json, store)
            .properties(security) // also used by its dead-letter producer
            .build();
    // end::consumer[]
    return consumer;
  }

  /** What the application built from its configuration: a store, an index and the Kafka parts. */
  record Wiring(
      CassandraEventStore store,
      CassandraEventIndex index,
      KafkaEventSink sink,
      KafkaEventConsumer consumer,
      KafkaProjectionSource projections) {}

  static Wiring fromConfiguration(
      Properties config, List<InetSocketAddress> contactPoints, EventTypeRegistry registry) {
    EventJson json = EventJson.using(registry);
    String brokers = config.getProperty("kafka.bootstrap-servers");
    // tag::security-cassandra[]
    CqlSession session =
        CqlSession.builder()
            .addContactPoints(contactPoints)
            .withLocalDatacenter(config.getProperty("cassandra.datacenter"))
            .withAuthCredentials(
                config.getProperty("cassandra.username"), config.getProperty("cassandra.password"))
            .build(); // fails here, with an AuthenticationException, if the login is refused
    CassandraEventStore store = CassandraEventStore.builder(session, registry).build();
    CassandraEventIndex index = CassandraEventIndex.builder(session, registry).build();
    // end::security-cassandra[]
    // tag::security-kafka[]
    Map<String, Object> kafkaSecurity = new HashMap<>();
    kafkaSecurity.put("security.protocol", config.getProperty("kafka.security.protocol"));
    kafkaSecurity.put("sasl.mechanism", config.getProperty("kafka.sasl.mechanism"));
    kafkaSecurity.put(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + config.getProperty("kafka.username")
            + "\" password=\""
            + config.getProperty("kafka.password")
            + "\";");
    KafkaEventSink sink =
        KafkaEventSink.builder(brokers, "parcels", json).properties(kafkaSecurity).build();
    KafkaEventConsumer consumer =
        KafkaEventConsumer.builder(brokers, "parcels", "store", json, store)
            .properties(kafkaSecurity) // its dead-letter producer gets them too
            .indexer(index)
            .build();
    KafkaProjectionSource projections =
        KafkaProjectionSource.builder(brokers, "parcels", "store", json)
            .properties(kafkaSecurity) // its consumers and its admin client
            .build();
    // end::security-kafka[]
    return new Wiring(store, index, sink, consumer, projections);
  }
}
