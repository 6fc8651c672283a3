package io.cursus.spring.internal;

import io.cursus.api.Event;
import io.cursus.api.HandlesEventsFor;
import io.cursus.api.mapping.EventDispatcher;
import io.cursus.api.mapping.EventMapper;
import io.cursus.api.projection.Projection;
import io.cursus.api.projection.Projections;
import io.cursus.spring.CursusHandler;
import io.cursus.spring.CursusProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.ClassUtils;

/**
 * Starts and stops Cursus with the context. On start it finds the {@link CursusHandler} beans and
 * begins notifying them, starts the {@link Projection} beans, and starts the Kafka consumer if the
 * pipeline has one. On stop it closes the consumer (after its batch in progress), stops the
 * projections, stops notifying, and an emit then fails. Thread-safe.
 */
public final class CursusLifecycle implements SmartLifecycle {

  /**
   * Starts the consumer that stores what the pipeline wrote to Kafka, notifying {@code handlers}.
   */
  @FunctionalInterface
  public interface ConsumerStarter {
    AutoCloseable start(Consumer<Event> handlers);
  }

  private final ApplicationContext context;
  private final CursusProperties properties;
  private final @Nullable ConsumerStarter consumerStarter;
  private volatile List<EventDispatcher> handlers = List.of();
  private volatile boolean running;
  private @Nullable AutoCloseable consumer;
  private @Nullable Projections projections;

  public CursusLifecycle(
      ApplicationContext context,
      CursusProperties properties,
      @Nullable ConsumerStarter consumerStarter) {
    this.context = context;
    this.properties = properties;
    this.consumerStarter = consumerStarter;
  }

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    handlers = List.copyOf(findHandlers());
    Map<String, Projection> definitions = context.getBeansOfType(Projection.class);
    if (!definitions.isEmpty()) {
      projections = context.getBeanProvider(Projections.class).getIfAvailable();
      if (projections == null) {
        throw new IllegalStateException(
            "projection beans "
                + definitions.keySet()
                + " have no live source: with "
                + CursusProperties.STORE
                + "="
                + properties.store().name().toLowerCase(Locale.ROOT)
                + " they read the Kafka topic, so set "
                + CursusProperties.PIPELINE
                + "=kafka (or use "
                + CursusProperties.STORE
                + "=memory)");
      }
      for (Projection projection : definitions.values()) {
        projections.start(projection);
      }
    }
    if (consumerStarter != null) {
      consumer = consumerStarter.start(this::deliver);
    }
    running = true;
  }

  @Override
  public synchronized void stop() {
    running = false;
    try {
      if (consumer != null) {
        consumer.close();
      }
    } catch (Exception e) {
      throw new IllegalStateException("closing the Kafka consumer failed", e);
    } finally {
      consumer = null;
      if (projections != null) {
        projections.close();
        projections = null;
      }
      handlers = List.of();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Notifies every handler declaring the event's type. */
  public void deliver(Event event) {
    for (EventDispatcher handler : handlers) {
      handler.dispatch(event);
    }
  }

  /** Fails unless the context started Cursus and has not stopped it. */
  public void requireRunning() {
    if (!running) {
      throw new IllegalStateException(
          "Cursus is not running: emit after the application context has started"
              + " and before it closes");
    }
  }

  /** The handlers notified, as found on start. */
  public int handlerCount() {
    return handlers.size();
  }

  private List<EventDispatcher> findHandlers() {
    List<EventDispatcher> found = new ArrayList<>();
    for (Map.Entry<String, Object> bean :
        context.getBeansWithAnnotation(CursusHandler.class).entrySet()) {
      int before = found.size();
      for (Class<?> type : ClassUtils.getAllInterfacesAsSet(bean.getValue())) {
        if (type.isAnnotationPresent(HandlesEventsFor.class)) {
          found.add(dispatcher(type, bean.getValue()));
        }
      }
      if (found.size() == before) {
        throw new IllegalStateException(
            "the @CursusHandler bean '"
                + bean.getKey()
                + "' ("
                + bean.getValue().getClass().getName()
                + ") implements no event interface annotated @HandlesEventsFor");
      }
    }
    return found;
  }

  @SuppressWarnings("unchecked") // bean implements type, checked by the caller
  private static <T> EventDispatcher dispatcher(Class<?> type, Object bean) {
    return EventMapper.handler((Class<T>) type, (T) bean);
  }
}
