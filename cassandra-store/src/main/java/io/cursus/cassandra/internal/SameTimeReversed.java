package io.cursus.cassandra.internal;

import io.cursus.api.Event;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Reverses each run of events with the same event time. The event table clusters by event time
 * descending then stream id ascending; reading it either way gives the stream ids of one instant in
 * the opposite of the order Cursus promises, and this puts them right while streaming.
 */
public final class SameTimeReversed implements Iterator<Event> {

  private final Iterator<Event> source;
  private final Deque<Event> ready = new ArrayDeque<>();
  private Event pending;

  public SameTimeReversed(Iterator<Event> source) {
    this.source = source;
  }

  @Override
  public boolean hasNext() {
    if (ready.isEmpty()) {
      fill();
    }
    return !ready.isEmpty();
  }

  @Override
  public Event next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return ready.removeFirst();
  }

  private void fill() {
    if (pending == null && source.hasNext()) {
      pending = source.next();
    }
    if (pending == null) {
      return;
    }
    List<Event> run = new ArrayList<>();
    run.add(pending);
    pending = null;
    while (source.hasNext()) {
      Event next = source.next();
      if (next.eventTime().equals(run.get(0).eventTime())) {
        run.add(next);
      } else {
        pending = next;
        break;
      }
    }
    for (int i = run.size() - 1; i >= 0; i--) {
      ready.addLast(run.get(i));
    }
  }
}
