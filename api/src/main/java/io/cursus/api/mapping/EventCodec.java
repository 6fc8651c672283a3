package io.cursus.api.mapping;

import static java.util.Objects.requireNonNull;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.EventCharacteristic;
import io.cursus.api.EventType;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.Timestamped;
import io.cursus.api.internal.AggregateIds;
import io.cursus.api.internal.EventDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Turns the typed events of one family (the records of a sealed interface, the subclasses of a
 * Kotlin sealed class) into {@link Event}s and back. Obtain one with {@link EventMapper#codec}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param <E> the family's root type
 */
public final class EventCodec<E> {

  private final EventDeclaration declaration;

  EventCodec(EventDeclaration declaration) {
    this.declaration = declaration;
  }

  public EventDeclaration declaration() {
    return declaration;
  }

  public String aggregateType() {
    return declaration.aggregateType();
  }

  /** The event {@code event} of aggregate {@code aggregateId} at {@code timestamp}. */
  public Event toEvent(Object aggregateId, StreamTimestamp timestamp, E event) {
    requireNonNull(event, "event must not be null");
    Definition definition = definitionOf(event);
    if (timestamp == null) {
      throw new IllegalArgumentException(
          definition.where() + ": stream timestamp must not be null");
    }
    if (aggregateId == null) {
      throw new IllegalArgumentException(definition.where() + ": aggregate id must not be null");
    }
    AggregateId id;
    try {
      id = AggregateIds.of(declaration.aggregateType(), aggregateId);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(definition.where() + ": " + e.getMessage(), e);
    }
    Object[] values = new Object[definition.shape().properties().size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = definition.shape().properties().get(i).getter().apply(event);
    }
    return Event.of(
        id,
        timestamp,
        definition.schema().type(),
        Values.toParameters(definition, values, 0),
        definition.schema().characteristics());
  }

  /** The event {@code timestamped} of aggregate {@code aggregateId}. */
  public Event toEvent(Object aggregateId, Timestamped<? extends E> timestamped) {
    requireNonNull(timestamped, "timestamped event must not be null");
    Event event = toEvent(aggregateId, timestamped.timestamp(), timestamped.event());
    return timestamped.processingId().map(event::withProcessingId).orElse(event);
  }

  /** Whether {@code event} is one this family declares. */
  public boolean declares(Event event) {
    return declaration.definition(event.type()) != null;
  }

  /**
   * The typed form of {@code event}.
   *
   * @throws IllegalArgumentException if the family does not declare the event's type, or its
   *     parameters do not match the declaration (the message names the aggregate, event and field)
   */
  public Timestamped<E> fromEvent(Event event) {
    return decode(event)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    declaration.declaringClass().getSimpleName()
                        + " does not declare event "
                        + event.type()
                        + " (of "
                        + event.aggregateId()
                        + "); it declares "
                        + declaration.events().stream().map(s -> s.type().toString()).toList()));
  }

  /** The typed form of {@code event}, or empty if the family does not declare its type. */
  public Optional<Timestamped<E>> decode(Event event) {
    requireNonNull(event, "event must not be null");
    Definition definition = declaration.definition(event.type());
    if (definition == null) {
      return Optional.empty();
    }
    @SuppressWarnings("unchecked") // the definition's class is a member of family E
    E typed = (E) definition.instance(event);
    return Optional.of(Timestamped.of(event.timestamp(), typed, event.processingId().orElse(null)));
  }

  /** The decoder of events of {@code type}, or empty; see {@link MappingAccess#decoder}. */
  Optional<EventDecoder<E>> decoder(EventType type) {
    return Optional.ofNullable(declaration.definition(type)).map(Decoder::new);
  }

  /** Decodes the events of one type of a family. Immutable and thread-safe. */
  private static final class Decoder<E> implements EventDecoder<E> {
    private final Definition definition;
    private final boolean initial;

    private Decoder(Definition definition) {
      this.definition = definition;
      this.initial = definition.schema().characteristics().contains(EventCharacteristic.INITIAL);
    }

    @Override
    public EventSchema schema() {
      return definition.schema();
    }

    @Override
    public boolean isInitial() {
      return initial;
    }

    @Override
    @SuppressWarnings("unchecked") // the definition's class is a member of family E
    public E event(Event event) {
      return (E) definition.instance(event);
    }
  }

  /** The typed forms of the events of {@code history} this family declares, in the same order. */
  public List<Timestamped<E>> decodeAll(List<Event> history) {
    List<Timestamped<E>> typed = new ArrayList<>(history.size());
    for (Event event : history) {
      decode(event).ifPresent(typed::add);
    }
    return typed;
  }

  /** Whether {@code event} is declared {@code @Initial}. */
  public boolean isInitial(E event) {
    return definitionOf(event).schema().characteristics().contains(EventCharacteristic.INITIAL);
  }

  /** Whether {@code event} is declared {@code @Terminal}. */
  public boolean isTerminal(E event) {
    return definitionOf(event).schema().characteristics().contains(EventCharacteristic.TERMINAL);
  }

  /** A dispatcher that passes this family's events to {@code handler} in typed form. */
  public EventDispatcher handler(Consumer<? super Timestamped<E>> handler) {
    requireNonNull(handler, "handler must not be null");
    return event -> {
      Optional<Timestamped<E>> typed = decode(event);
      typed.ifPresent(handler);
      return typed.isPresent();
    };
  }

  private Definition definitionOf(E event) {
    Definition definition = declaration.definition(event.getClass());
    if (definition == null) {
      throw new IllegalArgumentException(
          event.getClass().getName()
              + " is not an event of "
              + declaration.declaringClass().getSimpleName());
    }
    return definition;
  }
}
