package io.cursus.examples.parcel;

import io.cursus.api.Event;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.bus.EventBus;
import io.cursus.api.command.PublishedDecisions;
import io.cursus.api.projection.Projections;
import io.cursus.api.store.AggregateCatalogue;
import io.cursus.api.store.DecisionLog;
import io.cursus.api.store.EventIndex;
import io.cursus.api.store.EventSource;
import io.cursus.api.store.EventStore;
import io.cursus.spring.CursusHandler;
import io.cursus.spring.EnableCursus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;

/**
 * The embedded default wired by Spring: {@code @EnableCursus} builds the store, index, idempotency
 * window, pipeline and projections runtime from {@code cursus.*} properties, and the demo uses the
 * beans of the context.
 */
final class SpringStack implements Stack {

  /** The application's configuration: the parcel declarations and a handler bean. */
  @Configuration
  @EnableCursus(events = {ParcelEvents.class, ParcelEvent.class})
  static class ParcelApplication {
    @Bean
    Stored stored() {
      return new Stored();
    }
  }

  /**
   * A handler bean: the embedded pipeline notifies it of each event past the idempotency window.
   */
  @CursusHandler
  public static final class Stored implements ParcelEvents {
    final AtomicLong notified = new AtomicLong();

    @Override
    public void receivedAtDepot(StreamTimestamp ts, UUID parcelId, String depotId) {
      notified.incrementAndGet();
    }

    @Override
    public void loadedOntoTruck(StreamTimestamp ts, UUID parcelId, String truckId) {
      notified.incrementAndGet();
    }

    @Override
    public void arrivedAtDepot(StreamTimestamp ts, UUID parcelId, String depotId) {
      notified.incrementAndGet();
    }

    @Override
    public void delivered(StreamTimestamp ts, UUID parcelId, String destination, String signedBy) {
      notified.incrementAndGet();
    }

    @Override
    public void redirected(StreamTimestamp ts, UUID parcelId, String destination) {
      notified.incrementAndGet();
    }

    @Override
    public void deliveryFailed(StreamTimestamp ts, UUID parcelId, String reason) {
      notified.incrementAndGet();
    }
  }

  private final AnnotationConfigApplicationContext context;
  private final EventStore store;
  private final AtomicLong dispatched = new AtomicLong();
  private final Consumer<List<Event>> channel;

  SpringStack() {
    context = new AnnotationConfigApplicationContext();
    context
        .getEnvironment()
        .getPropertySources()
        .addFirst(
            new MapPropertySource(
                "demo",
                Map.of(
                    "cursus.store", "memory",
                    "cursus.pipeline", "embedded",
                    "cursus.idempotency.window", "1h")));
    context.register(ParcelApplication.class);
    context.refresh();
    store = context.getBean(EventStore.class);
    EventBus bus = context.getBean(EventBus.class);
    channel =
        batch -> {
          dispatched.addAndGet(batch.size());
          bus.dispatch(batch);
        };
  }

  @Override
  public String describe() {
    return "embedded stack wired by Spring (@EnableCursus, cursus.store=memory,"
        + " cursus.pipeline=embedded): in-process pipeline, in-memory idempotency window, store,"
        + " index and projections";
  }

  @Override
  public Consumer<List<Event>> channel() {
    return channel;
  }

  @Override
  public EventSource source() {
    return store;
  }

  /** The store's decisions, then on through the bus's pipeline, as on the embedded stack. */
  @Override
  public DecisionLog decisions() {
    return PublishedDecisions.of((DecisionLog) store, channel);
  }

  @Override
  public AggregateCatalogue catalogue() {
    return store;
  }

  @Override
  public EventIndex index() {
    return context.getBean(EventIndex.class);
  }

  @Override
  public Optional<Projections> projections() {
    return Optional.of(context.getBean(Projections.class));
  }

  /** What was dispatched less what the handler bean was notified of: the window stopped it. */
  @Override
  public long duplicatesStopped() {
    return dispatched.get() - context.getBean(Stored.class).notified.get();
  }

  @Override
  public void awaitQuiet(long expectedStored) {
    // The embedded pipeline has stored and indexed each batch when dispatch returns.
  }

  @Override
  public void close() {
    context.close();
  }
}
