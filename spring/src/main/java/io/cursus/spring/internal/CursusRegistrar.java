package io.cursus.spring.internal;

import io.cursus.spring.EnableCursus;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.type.AnnotationMetadata;

/** Registers the declarations of {@code @EnableCursus} and one emitter bean per interface. */
public final class CursusRegistrar implements ImportBeanDefinitionRegistrar {

  static final String DECLARATIONS = "cursusDeclarations";

  @Override
  public void registerBeanDefinitions(
      AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
    Map<String, Object> attributes = metadata.getAnnotationAttributes(EnableCursus.class.getName());
    if (attributes == null) {
      return;
    }
    Class<?>[] emitters = (Class<?>[]) attributes.get("emitters");
    Class<?>[] events = (Class<?>[]) attributes.get("events");
    Set<Class<?>> declarations = new LinkedHashSet<>(List.of(emitters));
    declarations.addAll(List.of(events));

    RootBeanDefinition declared = new RootBeanDefinition(CursusDeclarations.class);
    declared.getConstructorArgumentValues().addGenericArgumentValue(List.copyOf(declarations));
    registry.registerBeanDefinition(DECLARATIONS, declared);

    for (Class<?> emitter : emitters) {
      if (!emitter.isInterface()) {
        throw new IllegalArgumentException(
            "@EnableCursus(emitters) lists "
                + emitter.getName()
                + ", which is not an interface; an emitter is an event interface");
      }
      RootBeanDefinition definition = new RootBeanDefinition(EmitterFactoryBean.class);
      definition.getConstructorArgumentValues().addGenericArgumentValue(emitter);
      definition.setAttribute(FactoryBean.OBJECT_TYPE_ATTRIBUTE, emitter);
      // A handler bean implements the same interface: injecting the interface means the emitter.
      definition.setPrimary(true);
      registry.registerBeanDefinition("cursusEmitter:" + emitter.getName(), definition);
    }
  }
}
