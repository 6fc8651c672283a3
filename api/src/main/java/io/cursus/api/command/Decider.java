package io.cursus.api.command;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.CheckReturnValue;
import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.TransientCursusException;
import io.cursus.api.bus.EventBus;
import io.cursus.api.state.StateBuilder;
import io.cursus.api.state.StateFold;
import io.cursus.api.store.AppendCondition;
import io.cursus.api.store.AppendConflictException;
import io.cursus.api.store.ConsistencyToken;
import io.cursus.api.store.DecisionLog;
import io.cursus.api.store.HistoryQuery;
import io.cursus.api.store.TokenedHistory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Runs commands against aggregates of one type: reads the aggregate's history with its {@link
 * ConsistencyToken}, builds the state, lets a {@link Decision} emit events, and appends them only
 * if the aggregate did not change since the read. On a conflict it does it all again, reading at
 * least what conflicted, up to {@link #retries} times; then the {@link AppendConflictException}
 * goes to the caller.
 *
 * <pre>{@code
 * Decider<ParcelState> parcels =
 *     Decider.of(store, StateBuilder.of(ParcelState.class, ParcelEvents.class)).retries(3);
 * Decided<ParcelState> redirected =
 *     parcels.decide(parcelId, (parcel, out) -> {
 *       if (parcel.isEmpty() || parcel.get().isDelivered()) {
 *         throw new IllegalStateException("parcel " + parcelId + " cannot be redirected");
 *       }
 *       out.emitter(ParcelEvents.class).redirected(StreamTimestamp.now("desk"), parcelId, "Depot 2");
 *     });
 * }</pre>
 *
 * <p>The events are captured (given processing ids) before the first append, so a transient failure
 * whose outcome is unknown is retried with the very same events, which the store recognises if they
 * were appended (see {@link DecisionLog}); such retries are bounded the same way. Immutable and
 * thread-safe; each {@code decide} is independent.
 *
 * @param <S> the state
 */
@CheckReturnValue
public final class Decider<S> {

  private static final int TRANSIENT_RETRIES = 2;

  private final DecisionLog store;
  private final String aggregateType;
  private final Function<List<Event>, Optional<S>> state;
  private final int retries;
  private final Set<String> conflictingEvents;

  private Decider(
      DecisionLog store,
      String aggregateType,
      Function<List<Event>, Optional<S>> state,
      int retries,
      Set<String> conflictingEvents) {
    this.store = requireNonNull(store, "store must not be null");
    this.aggregateType = requireNonNull(aggregateType, "aggregate type must not be null");
    this.state = requireNonNull(state, "state must not be null");
    this.retries = retries;
    this.conflictingEvents = conflictingEvents;
  }

  /** Commands on {@code store} whose state {@code builder} builds from the history. */
  public static <S> Decider<S> of(DecisionLog store, StateBuilder<S> builder) {
    requireNonNull(builder, "state builder must not be null");
    return new Decider<>(store, builder.aggregateType(), builder::build, 3, Set.of());
  }

  /** Commands on {@code store} whose state {@code fold} folds from the history. */
  public static <S> Decider<S> of(DecisionLog store, StateFold<S, ?> fold) {
    requireNonNull(fold, "state fold must not be null");
    return new Decider<>(store, fold.aggregateType(), fold::build, 3, Set.of());
  }

  /**
   * Commands on {@code store} for aggregates of {@code aggregateType}, whose state {@code state}
   * computes from the history (oldest first; empty if there is none yet).
   */
  public static <S> Decider<S> of(
      DecisionLog store, String aggregateType, Function<List<Event>, Optional<S>> state) {
    return new Decider<>(store, aggregateType, state, 3, Set.of());
  }

  /** This decider, deciding again after at most {@code retries} conflicts (0: never). Default 3. */
  public Decider<S> retries(int retries) {
    if (retries < 0) {
      throw new IllegalArgumentException("retries must not be negative, was " + retries);
    }
    return new Decider<>(store, aggregateType, state, retries, conflictingEvents);
  }

  /**
   * This decider, appending with {@link AppendCondition#noEventsSince}: only events named {@code
   * eventName} (or one of {@code more}) appended meanwhile make a conflict, other events do not.
   * Right when the decision depends on those events only ("unless it was delivered"); by default
   * any change conflicts.
   */
  public Decider<S> conflictingOnlyWith(String eventName, String... more) {
    Set<String> names = new TreeSet<>();
    names.add(requireNonNull(eventName, "event name must not be null"));
    names.addAll(Arrays.asList(more));
    return new Decider<>(store, aggregateType, state, retries, Collections.unmodifiableSet(names));
  }

  /** How many conflicts this decider retries after. */
  public int retries() {
    return retries;
  }

  /**
   * Decides on aggregate {@code id}.
   *
   * @throws AppendConflictException if the aggregate changed between read and append more than
   *     {@link #retries} times
   * @throws RuntimeException whatever the decision threw to refuse the command; nothing appended
   */
  public Decided<S> decide(UUID id, Decision<S> decision) {
    return decide(AggregateId.of(aggregateType, id), decision);
  }

  /** As {@link #decide(UUID, Decision)}, for aggregates with String ids. */
  public Decided<S> decide(String id, Decision<S> decision) {
    return decide(AggregateId.of(aggregateType, id), decision);
  }

  /** As {@link #decide(UUID, Decision)}, for aggregates with long or int ids. */
  public Decided<S> decide(long id, Decision<S> decision) {
    return decide(AggregateId.of(aggregateType, id), decision);
  }

  /** As {@link #decide(UUID, Decision)}, for {@code aggregate}, which must be of this type. */
  public Decided<S> decide(AggregateId aggregate, Decision<S> decision) {
    requireNonNull(aggregate, "aggregate must not be null");
    requireNonNull(decision, "decision must not be null");
    if (!aggregate.type().equals(aggregateType)) {
      throw new IllegalArgumentException(
          "this decider decides on aggregates of type '"
              + aggregateType
              + "', not on "
              + aggregate);
    }
    ConsistencyToken atLeast = null;
    for (int attempt = 1; ; attempt++) {
      TokenedHistory read =
          atLeast == null
              ? store.historyWithToken(aggregate, HistoryQuery.all())
              : store.historyWithToken(aggregate, HistoryQuery.all(), atLeast);
      Optional<S> now = state.apply(read.events());
      List<Event> emitted = new ArrayList<>();
      EventBus.to(emitted::addAll).batch(out -> decision.decide(now, out));
      if (emitted.isEmpty()) {
        return new Decided<>(aggregate, now, List.of(), read.token(), attempt);
      }
      List<Event> captured = new ArrayList<>(emitted.size());
      for (Event event : emitted) {
        if (!event.aggregateId().equals(aggregate)) {
          throw new IllegalArgumentException(
              "a decision on " + aggregate + " emitted an event of another aggregate: " + event);
        }
        captured.add(event.captured());
      }
      AppendCondition condition =
          conflictingEvents.isEmpty()
              ? AppendCondition.unchangedSince(read.token())
              : AppendCondition.noEventsSince(read.token(), conflictingEvents);
      try {
        ConsistencyToken token = append(captured, condition);
        return new Decided<>(aggregate, now, captured, token, attempt);
      } catch (AppendConflictException conflict) {
        if (attempt > retries) {
          throw conflict;
        }
        atLeast = conflict.current();
      }
    }
  }

  private ConsistencyToken append(List<Event> captured, AppendCondition condition) {
    TransientCursusException last = null;
    for (int attempt = 0; attempt <= TRANSIENT_RETRIES; attempt++) {
      if (last != null) {
        pause(50L << attempt, last);
      }
      try {
        return store.append(captured, condition);
      } catch (TransientCursusException e) {
        if (last != null) {
          e.addSuppressed(last);
        }
        last = e;
      }
    }
    throw requireNonNull(last);
  }

  private static void pause(long millis, @Nullable TransientCursusException cause) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      TransientCursusException interrupted =
          new TransientCursusException(
              "interrupted before appending a decision again; its outcome is unknown", e);
      if (cause != null) {
        interrupted.addSuppressed(cause);
      }
      throw interrupted;
    }
  }

  @Override
  public String toString() {
    return "decider of "
        + aggregateType
        + " (retries "
        + retries
        + (conflictingEvents.isEmpty() ? "" : ", conflicting only with " + conflictingEvents)
        + ")";
  }
}
