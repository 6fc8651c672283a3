package io.cursus.api.command;

import static java.util.Objects.requireNonNull;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.store.ConsistencyToken;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link Decider} did.
 *
 * @param aggregate the aggregate decided on
 * @param state the state the decision was taken from (empty if it had no initial event)
 * @param events the events appended, as stored (with their processing ids); empty if the decision
 *     emitted none
 * @param token the aggregate's token after the append (or after the read, if nothing was appended):
 *     hand it to a client as an ETag, or read at least it
 * @param attempts how many times the state was read and the decision taken (1 without a conflict)
 * @param <S> the state
 */
public record Decided<S>(
    AggregateId aggregate,
    Optional<S> state,
    List<Event> events,
    ConsistencyToken token,
    int attempts) {

  public Decided {
    requireNonNull(aggregate, "aggregate must not be null");
    requireNonNull(state, "state must not be null");
    events = List.copyOf(events);
    requireNonNull(token, "token must not be null");
  }

  /** Whether the decision appended events. */
  public boolean appended() {
    return !events.isEmpty();
  }
}
