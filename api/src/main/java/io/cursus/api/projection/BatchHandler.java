package io.cursus.api.projection;

/**
 * Receives an event projection's events a batch at a time, with the {@link Checkpoint} the
 * projection will have once the batch is handled, so that it can store its effects and that
 * checkpoint in one transaction (see {@link EventBatch#checkpoint()}).
 *
 * <p>A batch handler applies all of a batch or none of it: if it throws, the projection retries the
 * batch, and if the failure is not transient, hands it the events one at a time to find the poison
 * one. Calls come from one thread at a time.
 */
@FunctionalInterface
public interface BatchHandler {

  /** Handles {@code batch}; throws to have it retried (see {@link Projections} for failures). */
  void handle(EventBatch batch);
}
