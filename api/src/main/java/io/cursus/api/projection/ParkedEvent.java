package io.cursus.api.projection;

import static java.util.Objects.requireNonNull;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import java.time.Instant;
import java.util.List;

/**
 * What a projection set aside because handling it kept failing: a poison event (event projections)
 * or an aggregate whose state could not be handled (state projections), with the reason.
 *
 * @param projection the projection's name
 * @param generation the generation that parked it
 * @param key what was parked: the event's identity ({@code parcel/…@2026-…@stream}) for an event
 *     projection, the aggregate id ({@code parcel/…}) for a state projection
 * @param aggregate the aggregate
 * @param events the events: the poison event, or the events that touched the aggregate (a state
 *     projection parks them all under one key, adding to them each time the aggregate fails again)
 * @param reason the last failure: exception type and message
 * @param attempts how many times handling was tried, over all deliveries
 * @param parkedAt when it was first parked
 */
public record ParkedEvent(
    String projection,
    int generation,
    String key,
    AggregateId aggregate,
    List<Event> events,
    String reason,
    int attempts,
    Instant parkedAt) {

  public ParkedEvent {
    requireNonNull(projection, "projection must not be null");
    requireNonNull(key, "key must not be null");
    requireNonNull(aggregate, "aggregate must not be null");
    events = List.copyOf(events);
    requireNonNull(reason, "reason must not be null");
    requireNonNull(parkedAt, "parkedAt must not be null");
  }
}
