package io.cursus.examples.parcel;

import io.cursus.api.Event;
import io.cursus.middleware.IdempotencyFilter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** An idempotency filter that counts the repeats it stops, for the demo's summary. */
final class CountingFilter implements IdempotencyFilter {

  private final IdempotencyFilter filter;
  private final AtomicLong stopped = new AtomicLong();

  CountingFilter(IdempotencyFilter filter) {
    this.filter = filter;
  }

  @Override
  public boolean test(Event event) {
    boolean first = filter.test(event);
    if (!first) {
      stopped.incrementAndGet();
    }
    return first;
  }

  @Override
  public void forget(Event event) {
    filter.forget(event);
  }

  // the pipeline checks whole batches: delegate them, so a Hazelcast filter keeps its one round
  @Override
  public List<Event> firstSightings(List<Event> events) {
    List<Event> first = filter.firstSightings(events);
    stopped.addAndGet(events.size() - first.size());
    return first;
  }

  @Override
  public void forgetAll(List<Event> events) {
    filter.forgetAll(events);
  }

  long stopped() {
    return stopped.get();
  }
}
