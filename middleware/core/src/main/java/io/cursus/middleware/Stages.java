package io.cursus.middleware;

import static java.util.Objects.requireNonNull;

import io.cursus.api.Event;
import io.cursus.api.mapping.EventSchema;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.json.ParameterCodec;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Ready-made stages for a {@link Pipeline}. */
public final class Stages {

  private Stages() {}

  /**
   * A check that every event has a type {@code registry} declares and parameters that match its
   * schema. It never drops an event: an invalid one is refused with an {@link
   * IllegalArgumentException} naming the event and the rule, which {@link Pipeline} reports as a
   * non-transient failure of the stage. Use it with {@link Pipeline#filter}.
   */
  public static Predicate<Event> validator(EventTypeRegistry registry) {
    requireNonNull(registry, "registry must not be null");
    ParameterCodec codec = ParameterCodec.create();
    return event -> {
      EventSchema schema = registry.require(event.type());
      codec.writeAll(schema, event); // throws if a parameter is missing or of another type
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
