package io.cursus.spring.internal;

import java.util.List;

/** The event declarations listed by {@code @EnableCursus}. */
public record CursusDeclarations(List<Class<?>> classes) {
  public CursusDeclarations {
    classes = List.copyOf(classes);
  }
}
