package io.cursus.examples.parcel;

import io.cursus.api.Event;
import io.cursus.middleware.IdempotencyFilter;
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

  long stopped() {
    return stopped.get();
  }
}
