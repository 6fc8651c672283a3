package io.cursus.api.store;

import static java.util.Objects.requireNonNull;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import java.util.List;

/**
 * A history read together with its {@link ConsistencyToken}: the token stands for no more than the
 * events contain (it may stand for less, if the history was read in pages while it grew), so
 * appending with {@link AppendCondition#unchangedSince(ConsistencyToken)} succeeds only if nothing
 * was appended after the read began.
 *
 * @param aggregate the aggregate read
 * @param events the events the query selected, in its order
 * @param token where the aggregate stood when the read began
 */
public record TokenedHistory(AggregateId aggregate, List<Event> events, ConsistencyToken token) {

  public TokenedHistory {
    requireNonNull(aggregate, "aggregate must not be null");
    events = List.copyOf(events);
    requireNonNull(token, "token must not be null");
  }
}
