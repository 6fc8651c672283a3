package io.cursus.spring.internal;

import io.cursus.api.Event;
import io.cursus.api.HandlesEventsFor;
import io.cursus.api.mapping.EventDispatcher;
import io.cursus.api.mapping.EventMapper;
import io.cursus.spring.CursusHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.ClassUtils;

/**
 * Starts and stops Cursus with the context: on start it finds the {@link CursusHandler} beans and
 * begins notifying them; on stop it stops notifying, and an emit then fails. Thread-safe.
 */
public final class CursusLifecycle implements SmartLifecycle {

  private final ApplicationContext context;
  private volatile List<EventDispatcher> handlers = List.of();
  private volatile boolean running;

  public CursusLifecycle(ApplicationContext context) {
    this.context = context;
  }

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
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
    handlers = List.copyOf(found);
    running = true;
  }

  @Override
  public synchronized void stop() {
    running = false;
    handlers = List.of();
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

  @SuppressWarnings("unchecked") // bean implements type, checked by the caller
  private static <T> EventDispatcher dispatcher(Class<?> type, Object bean) {
    return EventMapper.handler((Class<T>) type, (T) bean);
  }
}
