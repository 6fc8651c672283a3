package io.cursus.middleware;

import static java.util.Objects.requireNonNull;

import io.cursus.api.Event;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.mapping.EventValidator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Ready-made stages for a {@link Pipeline}. */
public final class Stages {

  private Stages() {}

  /**
   * A check that every event meets the declarations of {@code registry}, as {@link EventValidator}
   * checks it: a declared type, exactly the declared parameters, each of its declared type, none
   * null unless declared nullable, and a serialised size within the registry's {@linkplain
   * EventTypeRegistry#maxEventBytes() limit}. It never drops an event: an invalid one is refused
   * with an {@link IllegalArgumentException} naming the event, the parameter and what was declared
   * and given, which {@link Pipeline} reports as a non-transient failure of the stage. Use it with
   * {@link Pipeline#filter}.
   */
  public static Predicate<Event> validator(EventTypeRegistry registry) {
    EventValidator validator = EventValidator.of(registry);
    return event -> {
      validator.check(event);
      return true;
    };
  }

  /** A batch stage that hands each event of a batch, in order, to {@code each}. */
  public static Consumer<List<Event>> forEach(Consumer<? super Event> each) {
    requireNonNull(each, "each must not be null");
    return batch -> batch.forEach(each);
  }

  /**
   * A batch stage that hands each event to every handler, in order (for instance dispatchers from
   * {@link io.cursus.api.mapping.EventMapper#handler}).
   */
  public static Consumer<List<Event>> notifying(List<? extends Consumer<? super Event>> handlers) {
    List<? extends Consumer<? super Event>> all = List.copyOf(handlers);
    return batch -> {
      for (Event event : batch) {
        for (Consumer<? super Event> handler : all) {
          handler.accept(event);
        }
      }
    };
  }
}
