package io.cursus.spring.internal;

import io.cursus.api.bus.EventBus;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.FactoryBean;

/** An emitter of one event interface, dispatching through the context's {@link EventBus}. */
public final class EmitterFactoryBean<T> implements FactoryBean<T>, BeanFactoryAware {

  private final Class<T> eventInterface;
  private BeanFactory beanFactory;

  public EmitterFactoryBean(Class<T> eventInterface) {
    this.eventInterface = eventInterface;
  }

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    this.beanFactory = beanFactory;
  }

  @Override
  public T getObject() {
    return beanFactory.getBean(EventBus.class).emitter(eventInterface);
  }

  @Override
  public Class<T> getObjectType() {
    return eventInterface;
  }
}
