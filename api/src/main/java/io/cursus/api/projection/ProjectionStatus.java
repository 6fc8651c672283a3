package io.cursus.api.projection;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a projection is doing, as {@link Projections#status} sees it at one moment. Cursus makes
 * these; new facts may be added over time (accessors only, so adding one breaks no caller).
 * Immutable and thread-safe.
 */
public final class ProjectionStatus {

  /** What a projection is doing. */
  public enum Phase {
    /** Loading its checkpoint. */
    STARTING,
    /** Waiting for another instance to release the projection (see {@link ProjectionClaims}). */
    STANDBY,
    /** Reading what the store holds before joining the live source. */
    CATCHING_UP,
    /** Reading the live source. */
    LIVE,
    /** Paused by {@link Projections#pause}; {@link Projections#resume} goes on. */
    PAUSED,
    /**
     * Stopped by a failure that retrying cannot fix ({@link #failure()} names it); {@link
     * Projections#resume} retries from the saved checkpoint.
     */
    FAILED,
    /** Stopped by {@link Projections#stop} or {@link Projections#close}. */
    STOPPED
  }

  /**
   * How far a catch-up is: aggregates whose stored events were handled, out of those the catalogue
   * listed when it began (or resumed), and the events handled.
   */
  public record CatchUpProgress(long aggregatesDone, long aggregatesTotal, long eventsDone) {

    /** Done over total, from 0 to 1 (1 when there is nothing to do). */
    public double fraction() {
      return aggregatesTotal == 0 ? 1.0 : (double) aggregatesDone / aggregatesTotal;
    }
  }

  private final String name;
  private final Projection.Kind kind;
  private final Phase phase;
  private final int generation;
  private final Position position;
  private final CatchUpProgress catchUp;
  private final long lagEvents;
  private final Duration lagTime;
  private final Duration captureLag;
  private final Duration eventTimeLateness;
  private final Duration greatestLateness;
  private final long eventsHandled;
  private final long retries;
  private final long parked;
  private final String failure;
  private final String lastError;
  private final ProjectionStatus rebuild;
  private final Instant at;

  ProjectionStatus(
      String name,
      Projection.Kind kind,
      Phase phase,
      int generation,
      Position position,
      CatchUpProgress catchUp,
      long lagEvents,
      Duration lagTime,
      Duration captureLag,
      Duration eventTimeLateness,
      Duration greatestLateness,
      long eventsHandled,
      long retries,
      long parked,
      String failure,
      String lastError,
      ProjectionStatus rebuild,
      Instant at) {
    this.name = requireNonNull(name);
    this.kind = requireNonNull(kind);
    this.phase = requireNonNull(phase);
    this.generation = generation;
    this.position = requireNonNull(position);
    this.catchUp = catchUp;
    this.lagEvents = lagEvents;
    this.lagTime = lagTime;
    this.captureLag = captureLag;
    this.eventTimeLateness = requireNonNull(eventTimeLateness);
    this.greatestLateness = requireNonNull(greatestLateness);
    this.eventsHandled = eventsHandled;
    this.retries = retries;
    this.parked = parked;
    this.failure = failure;
    this.lastError = lastError;
    this.rebuild = rebuild;
    this.at = requireNonNull(at);
  }

  public String name() {
    return name;
  }

  public Projection.Kind kind() {
    return kind;
  }

  public Phase phase() {
    return phase;
  }

  /**
   * The generation this status describes (the serving one, or the rebuild's in {@link #rebuild}).
   */
  public int generation() {
    return generation;
  }

  /**
   * The position saved last: live, every event before it has been handled; catching up, where the
   * live source will be read from once the catch-up is done.
   */
  public Position position() {
    return position;
  }

  /** While catching up: how far the catch-up is. */
  public Optional<CatchUpProgress> catchUp() {
    return Optional.ofNullable(catchUp);
  }

  /** How many events the live source holds after {@link #position()}. */
  public long lagEvents() {
    return lagEvents;
  }

  /**
   * How long the oldest event not yet handled has waited since it was captured; zero if none waits,
   * empty if the source cannot tell.
   */
  public Optional<Duration> lagTime() {
    return Optional.ofNullable(lagTime);
  }

  /**
   * Capture lag: how long after its capture (its processing id's time) the last event handled from
   * the live source was handled; empty before the first.
   */
  public Optional<Duration> captureLag() {
    return Optional.ofNullable(captureLag);
  }

  /**
   * Event-time lateness of the last live batch: how far the event time of its latest event lies
   * behind the newest event time the projection had seen; zero if none was late.
   */
  public Duration eventTimeLateness() {
    return eventTimeLateness;
  }

  /** The greatest event-time lateness of an event this projection handled since it started. */
  public Duration greatestLateness() {
    return greatestLateness;
  }

  /** Events handled since this projection started in this runtime, counting repeats. */
  public long eventsHandled() {
    return eventsHandled;
  }

  /** Attempts that failed and were retried, since this projection started in this runtime. */
  public long retries() {
    return retries;
  }

  /** Events or aggregates parked since this projection started in this runtime. */
  public long parked() {
    return parked;
  }

  /** Why the projection FAILED, naming the event or aggregate. */
  public Optional<String> failure() {
    return Optional.ofNullable(failure);
  }

  /** The last failure retried, while the projection still retries it. */
  public Optional<String> lastError() {
    return Optional.ofNullable(lastError);
  }

  /** The status of a rebuild running beside this (serving) generation. */
  public Optional<ProjectionStatus> rebuild() {
    return Optional.ofNullable(rebuild);
  }

  /** When this status was taken. */
  public Instant at() {
    return at;
  }

  @Override
  public String toString() {
    StringBuilder s =
        new StringBuilder(name)
            .append(" (generation ")
            .append(generation)
            .append("): ")
            .append(phase)
            .append(" at ")
            .append(position);
    if (catchUp != null) {
      s.append(", catch-up ")
          .append(catchUp.aggregatesDone())
          .append('/')
          .append(catchUp.aggregatesTotal())
          .append(" aggregates");
    }
    s.append(", lag ").append(lagEvents).append(" events");
    if (lagTime != null) {
      s.append(" / ").append(lagTime.toMillis()).append(" ms");
    }
    s.append(", handled ").append(eventsHandled);
    if (parked > 0) {
      s.append(", parked ").append(parked);
    }
    if (failure != null) {
      s.append(", failed: ").append(failure);
    } else if (lastError != null) {
      s.append(", retrying: ").append(lastError);
    }
    if (rebuild != null) {
      s.append("; rebuild: ").append(rebuild);
    }
    return s.toString();
  }
}
