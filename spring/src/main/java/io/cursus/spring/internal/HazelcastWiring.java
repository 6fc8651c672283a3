package io.cursus.spring.internal;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import io.cursus.middleware.IdempotencyFilter;
import io.cursus.middleware.hazelcast.HazelcastIdempotencyFilter;
import io.cursus.spring.CursusProperties;
import org.springframework.beans.factory.BeanFactory;

/**
 * {@code cursus.idempotency.store=hazelcast}. Loaded only when that store is chosen, so other
 * applications need neither {@code cursus-hazelcast} nor Hazelcast on their class path.
 */
final class HazelcastWiring {

  private static final long CONNECT_TIMEOUT_MILLIS = 30_000;

  private HazelcastWiring() {}

  static IdempotencyFilter filter(
      CursusProperties properties, BeanFactory beans, CursusResources resources) {
    HazelcastInstance hazelcast = beans.getBeanProvider(HazelcastInstance.class).getIfUnique();
    if (hazelcast == null) {
      if (properties.hazelcastMembers().isEmpty()) {
        throw new IllegalArgumentException(
            CursusProperties.IDEMPOTENCY_STORE
                + "=hazelcast needs "
                + CursusProperties.HAZELCAST_MEMBERS
                + " (host:port, comma separated) or a HazelcastInstance bean of the application's");
      }
      ClientConfig config = new ClientConfig();
      config.setClusterName(properties.hazelcastClusterName());
      properties.hazelcastMembers().forEach(config.getNetworkConfig()::addAddress);
      // fail the start after a while rather than wait for the cluster for ever
      config
          .getConnectionStrategyConfig()
          .getConnectionRetryConfig()
          .setClusterConnectTimeoutMillis(CONNECT_TIMEOUT_MILLIS);
      HazelcastInstance client = HazelcastClient.newHazelcastClient(config);
      resources.closeWithContext(client::shutdown);
      hazelcast = client;
    }
    return HazelcastIdempotencyFilter.using(
        hazelcast.getMap(properties.hazelcastMap()), properties.idempotencyWindow());
  }
}
