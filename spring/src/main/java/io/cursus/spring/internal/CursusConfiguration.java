package io.cursus.spring.internal;

import io.cursus.api.bus.EventBus;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.memory.InMemoryEventIndex;
import io.cursus.api.memory.InMemoryEventStore;
import io.cursus.api.store.EventStore;
import io.cursus.middleware.IdempotencyFilter;
import io.cursus.middleware.Pipelines;
import io.cursus.spring.CursusProperties;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The beans of {@code @EnableCursus}. */
@Configuration(proxyBeanMethods = false)
public class CursusConfiguration {

  @Bean
  public CursusProperties cursusProperties(Environment environment) {
    return CursusProperties.from(environment);
  }

  @Bean
  public EventTypeRegistry cursusRegistry(CursusDeclarations declarations) {
    return EventTypeRegistry.of(declarations.classes());
  }

  @Bean
  public EventStore cursusStore(CursusProperties properties) {
    return switch (properties.store()) {
      case MEMORY -> InMemoryEventStore.empty();
    };
  }

  @Bean
  public InMemoryEventIndex cursusIndex(CursusProperties properties) {
    return switch (properties.store()) {
      case MEMORY -> InMemoryEventIndex.empty();
    };
  }

  @Bean
  public IdempotencyFilter cursusIdempotency(CursusProperties properties) {
    return IdempotencyFilter.inMemory(
        properties.idempotencyMaxEntries(), properties.idempotencyWindow());
  }

  @Bean
  public CursusLifecycle cursusLifecycle(ApplicationContext context) {
    return new CursusLifecycle(context);
  }

  @Bean
  public EventBus cursusEventBus(
      CursusProperties properties,
      EventTypeRegistry registry,
      IdempotencyFilter idempotency,
      EventStore store,
      InMemoryEventIndex index,
      CursusLifecycle lifecycle) {
    Consumer<List<io.cursus.api.Event>> pipeline =
        switch (properties.pipeline()) {
          case EMBEDDED ->
              Pipelines.embedded(registry, idempotency, store, index, List.of(lifecycle::deliver))
                  .build();
        };
    return EventBus.to(
        batch -> {
          lifecycle.requireRunning();
          pipeline.accept(batch);
        });
  }
}
