package io.cursus.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.EventIdentity;
import io.cursus.api.TransientCursusException;
import io.cursus.api.store.EventSource;
import io.cursus.api.store.HistoryQuery;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one scenario sent, what was acknowledged, and what the store holds in the end.
 *
 * <p>Fill it while the scenario runs ({@link #sent}, {@link #acknowledged}), then {@link
 * #check(EventSource)} reads back the history of every aggregate that was sent and counts: stored
 * (rows read), duplicated (rows read minus distinct identities), lost (acknowledged identities not
 * found), strangers (stored events that were never sent), and aggregates whose history is out of
 * event-time order or holds an event whose content differs from what was sent. Thread-safe.
 */
final class Tally {

  private static final Comparator<Event> EVENT_TIME =
      Comparator.comparing(Event::eventTime).thenComparing(e -> e.timestamp().streamId());
  private static final Object FILE_LOCK = new Object();
  private static boolean fileStarted;

  private final String scenario;
  private final long startNanos = System.nanoTime();
  private final Map<EventIdentity, Event> sent = new LinkedHashMap<>();
  private final Set<AggregateId> aggregates = new LinkedHashSet<>();
  private final Set<EventIdentity> acknowledged = new HashSet<>();
  private final List<String> notes = new ArrayList<>();
  final AtomicLong deadLettered = new AtomicLong();
  private final AtomicLong readRetries = new AtomicLong();

  Tally(String scenario) {
    this.scenario = scenario;
  }

  /** Events handed to the system (each counted once, however often it is delivered). */
  synchronized Tally sent(Collection<Event> events) {
    for (Event event : events) {
      sent.putIfAbsent(event.identity(), event);
      aggregates.add(event.aggregateId());
    }
    return this;
  }

  /** Events the system acknowledged: each of them must be stored. */
  synchronized Tally acknowledged(Collection<Event> events) {
    for (Event event : events) {
      if (!sent.containsKey(event.identity())) {
        throw new IllegalArgumentException("acknowledged but never sent: " + event);
      }
      acknowledged.add(event.identity());
    }
    return this;
  }

  /** Sent and acknowledged at once. */
  Tally delivered(Collection<Event> events) {
    return sent(events).acknowledged(events);
  }

  /** A scenario-specific figure for the result line, e.g. {@code "retries 12"}. */
  synchronized Tally note(String note) {
    notes.add(note);
    return this;
  }

  synchronized int sentCount() {
    return sent.size();
  }

  /** Reads back every aggregate that was sent from {@code source} and counts. */
  Result check(EventSource source) {
    Map<EventIdentity, Event> sentNow;
    Set<AggregateId> ids;
    Set<EventIdentity> acked;
    synchronized (this) {
      sentNow = new LinkedHashMap<>(sent);
      ids = new LinkedHashSet<>(aggregates);
      acked = new HashSet<>(acknowledged);
    }
    Map<AggregateId, List<Event>> histories = new LinkedHashMap<>();
    List<AggregateId> chunk = new ArrayList<>();
    for (AggregateId id : ids) {
      chunk.add(id);
      if (chunk.size() == 500) {
        histories.putAll(preload(source, chunk));
        chunk.clear();
      }
    }
    if (!chunk.isEmpty()) {
      histories.putAll(preload(source, chunk));
    }
    long stored = 0;
    Set<EventIdentity> found = new HashSet<>();
    long strangers = 0;
    long altered = 0;
    List<AggregateId> misordered = new ArrayList<>();
    for (AggregateId id : ids) {
      List<Event> history = histories.getOrDefault(id, List.of());
      stored += history.size();
      for (Event event : history) {
        found.add(event.identity());
        Event original = sentNow.get(event.identity());
        if (original == null) {
          strangers++;
        } else if (!original.equals(event)) {
          altered++;
        }
      }
      List<Event> sorted = new ArrayList<>(history);
      sorted.sort(EVENT_TIME);
      if (!sorted.equals(history)) {
        misordered.add(id);
      }
    }
    List<EventIdentity> lostIdentities =
        acked.stream().filter(identity -> !found.contains(identity)).toList();
    long lost = lostIdentities.size();
    long unackedStored =
        found.stream().filter(i -> sentNow.containsKey(i) && !acked.contains(i)).count();
    return new Result(
        this,
        sentNow.size(),
        acked.size(),
        stored,
        stored - found.size(),
        lost,
        strangers,
        altered,
        misordered,
        unackedStored,
        lostIdentities,
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos));
  }

  /**
   * Reads {@code ids}, retrying a transient failure a few times as a caller should (on a loaded
   * machine a read can time out); the retries are noted in the result line.
   */
  /**
   * How many of the aggregates sent (or delivered) that {@code source} holds {@code wrong} is true
   * of.
   */
  long parcelsWhere(EventSource source, java.util.function.Predicate<List<Event>> wrong) {
    List<AggregateId> ids;
    synchronized (this) {
      ids = new ArrayList<>(aggregates);
    }
    long count = 0;
    for (int i = 0; i < ids.size(); i += 500) {
      for (List<Event> history :
          preload(source, ids.subList(i, Math.min(ids.size(), i + 500))).values()) {
        if (!history.isEmpty() && wrong.test(history)) {
          count++;
        }
      }
    }
    return count;
  }

  private Map<AggregateId, List<Event>> preload(EventSource source, List<AggregateId> ids) {
    for (int attempt = 1; ; attempt++) {
      try {
        return source.preload(ids, HistoryQuery.all());
      } catch (TransientCursusException e) {
        if (attempt == 5) {
          throw e;
        }
        readRetries.incrementAndGet();
        try {
          Thread.sleep(1_000);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /** The counts of one scenario. */
  record Result(
      Tally tally,
      long sent,
      long acknowledged,
      long stored,
      long duplicated,
      long lost,
      long strangers,
      long altered,
      List<AggregateId> misordered,
      long storedButNotAcknowledged,
      List<EventIdentity> lostIdentities,
      long seconds) {

    /**
     * Asserts the invariants every scenario shares: nothing lost, duplicated, foreign or out of
     * order.
     */
    Result assertNothingLostOrDuplicated() {
      return assertNothingLostBeyond(List.of());
    }

    /**
     * As {@link #assertNothingLostOrDuplicated}, except that the events of {@code mayLack}, and
     * only those, may be missing.
     */
    Result assertNothingLostBeyond(Collection<EventIdentity> mayLack) {
      String line = line();
      assertThat(lostIdentities).as("lost: %s", line).isSubsetOf(mayLack);
      assertThat(duplicated).as("duplicated: %s", line).isZero();
      assertThat(strangers).as("stored but never sent: %s", line).isZero();
      assertThat(altered).as("stored with other content than sent: %s", line).isZero();
      assertThat(misordered).as("histories out of event-time order: %s", line).isEmpty();
      return this;
    }

    String line() {
      StringBuilder s =
          new StringBuilder(tally.scenario)
              .append(": sent ")
              .append(sent)
              .append(", acknowledged ")
              .append(acknowledged)
              .append(", stored ")
              .append(stored)
              .append(", duplicated ")
              .append(duplicated)
              .append(", lost ")
              .append(lost)
              .append(", dead-lettered ")
              .append(tally.deadLettered.get());
      if (storedButNotAcknowledged > 0) {
        s.append(", stored though not acknowledged ").append(storedButNotAcknowledged);
      }
      if (tally.readRetries.get() > 0) {
        s.append(", reads for the check retried ").append(tally.readRetries.get());
      }
      synchronized (tally) {
        for (String note : tally.notes) {
          s.append(", ").append(note);
        }
      }
      return s.append(" (").append(seconds).append(" s)").toString();
    }

    /** Prints the line and appends it to the results file of the run. */
    Result report() {
      String line = line();
      System.out.println(line);
      record(line);
      return this;
    }
  }

  /**
   * Appends {@code line} to the run's results file; the first line of a run starts the file anew.
   */
  static void record(String line) {
    Path file =
        Path.of(System.getProperty("cursus.reliability.results", "target/reliability-results.txt"));
    synchronized (FILE_LOCK) {
      try {
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (!fileStarted) {
          Files.writeString(
              file,
              "# reliability run of "
                  + Instant.now()
                  + ", "
                  + Runtime.getRuntime().availableProcessors()
                  + " cores, load average "
                  + String.format(
                      "%.1f",
                      java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                          .getSystemLoadAverage())
                  + "\n",
              StandardCharsets.UTF_8);
          fileStarted = true;
        }
        Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the reliability results to " + file, e);
      }
    }
  }
}
