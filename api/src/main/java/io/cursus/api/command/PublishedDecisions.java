package io.cursus.api.command;

import static java.util.Objects.requireNonNull;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.TransientCursusException;
import io.cursus.api.store.AppendCondition;
import io.cursus.api.store.ConsistencyToken;
import io.cursus.api.store.DecisionLog;
import io.cursus.api.store.HistoryQuery;
import io.cursus.api.store.TokenedHistory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A {@link DecisionLog} that hands every batch it appended on to a pipeline: the decision path of a
 * deployment whose facts go through a buffer (a Kafka topic) to the store, the index and the
 * handlers. A decision cannot wait in the buffer, since it needs the store's answer at once; so it
 * is appended to the store on its condition first, and then the same events (same identity, same
 * processing id) are published, so that whatever reads the pipeline (projections, the index, the
 * handlers) sees them as it sees facts. When the consumer writes them to the store, that write is
 * an idempotent repeat, and it changes nothing a token counts.
 *
 * <pre>{@code
 * DecisionLog decisions = PublishedDecisions.of(store, kafkaSink);
 * }</pre>
 *
 * <p>Events are captured before they are appended, so the published copies carry the processing ids
 * the store kept. If publishing fails after the append succeeded, a {@link
 * TransientCursusException} says so: appending the same captured events again (a {@link Decider}
 * does) is recognised by the store and publishes them again. A conflict publishes nothing. Reads go
 * to the store. Thread-safe if the store and the pipeline are.
 */
public final class PublishedDecisions implements DecisionLog {

  private final DecisionLog store;
  private final Consumer<? super List<Event>> pipeline;

  private PublishedDecisions(DecisionLog store, Consumer<? super List<Event>> pipeline) {
    this.store = requireNonNull(store, "store must not be null");
    this.pipeline = requireNonNull(pipeline, "pipeline must not be null");
  }

  /** Decisions appended to {@code store}, then handed to {@code pipeline}. */
  public static PublishedDecisions of(DecisionLog store, Consumer<? super List<Event>> pipeline) {
    return new PublishedDecisions(store, pipeline);
  }

  @Override
  public ConsistencyToken append(List<Event> events, AppendCondition condition) {
    requireNonNull(events, "events must not be null");
    List<Event> captured = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      Event event = events.get(i);
      if (event == null) {
        throw new IllegalArgumentException(
            "event " + i + " of a batch of " + events.size() + " is null; nothing was written");
      }
      captured.add(event.captured());
    }
    ConsistencyToken token = store.append(captured, condition);
    try {
      pipeline.accept(List.copyOf(captured));
    } catch (RuntimeException e) {
      throw new TransientCursusException(
          "the decision on "
              + captured.get(0).aggregateId()
              + " was appended (token "
              + token
              + "), but handing its "
              + captured.size()
              + " events to the pipeline failed ("
              + e.getMessage()
              + "); append the same captured events again: the store recognises the decision"
              + " and they are handed on again",
          e);
    }
    return token;
  }

  @Override
  public TokenedHistory historyWithToken(AggregateId aggregate, HistoryQuery query) {
    return store.historyWithToken(aggregate, query);
  }

  @Override
  public TokenedHistory historyWithToken(
      AggregateId aggregate, HistoryQuery query, ConsistencyToken atLeast) {
    return store.historyWithToken(aggregate, query, atLeast);
  }
}
