package io.cursus.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.EventType;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.TransientCursusException;
import io.cursus.api.bus.EventBus;
import io.cursus.api.evolution.MigrationProgress;
import io.cursus.api.fixtures.Accounts;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.store.HistoryQuery;
import io.cursus.api.store.UnreadableEventException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Active migration on the real engine: 100,000 events written by a version-1 declaration are
 * rewritten to version 3 in place, the migration is stopped halfway (its thread interrupted) and
 * resumed, and every history reads the same before, halfway and after.
 */
class CassandraMigrationIT {

  private static final Instant T0 = Instant.parse("2026-04-01T08:00:00Z");
  private static final int EVENTS_PER_ACCOUNT = 10;

  private static CassandraTables tables(String keyspace) {
    CassandraTables tables = CassandraTables.inKeyspace(keyspace);
    CassandraSchema.of(tables).create(SharedCassandra.session());
    return tables;
  }

  private static CassandraEventStore store(CassandraTables tables, EventTypeRegistry registry) {
    return CassandraEventStore.builder(SharedCassandra.session(), registry)
        .tables(tables)
        .maxInFlight(128)
        .build();
  }

  private static EventTypeRegistry v3() {
    return EventTypeRegistry.of(Accounts.V3.class).withUpcasters(Accounts.upcasters());
  }

  /** Ten version-1 events an account: opened, seven deposits, a note and a transfer. */
  private static void writeVersionOne(CassandraEventStore v1, int accounts) {
    List<CompletableFuture<Void>> writes = new ArrayList<>();
    for (int a = 0; a < accounts; a++) {
      List<Event> events = new ArrayList<>(EVENTS_PER_ACCOUNT);
      Accounts.V1 emit = EventBus.to(events::addAll).emitter(Accounts.V1.class);
      UUID id = new UUID(0x5eedL, a);
      Instant t = T0.plusSeconds(a);
      emit.opened(StreamTimestamp.of("web", t), id, "owner " + a);
      for (int d = 1; d <= 7; d++) {
        emit.deposited(StreamTimestamp.of("web", t.plusSeconds(60L * d)), id, 100L * d + a);
      }
      emit.noted(StreamTimestamp.of("web", t.plusSeconds(600)), id, "note " + a);
      emit.transferred(StreamTimestamp.of("app", t.plusSeconds(700)), id, 50 + a % 7, "acct-" + a);
      writes.add(v1.appendAsync(events).toCompletableFuture());
      if (writes.size() == 256) {
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
        writes.clear();
      }
    }
    CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
  }

  /** A digest of every account history, as the store reads them with {@code registry}'s steps. */
  private static String digest(CassandraEventStore store) throws Exception {
    Map<AggregateId, List<Event>> histories = new ConcurrentHashMap<>();
    store.replayAll("account", 4, h -> histories.put(h.get(0).aggregateId(), h), p -> {});
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    for (Map.Entry<AggregateId, List<Event>> history : new TreeMap<>(histories).entrySet()) {
      sha.update(history.getKey().toString().getBytes(StandardCharsets.UTF_8));
      for (Event e : history.getValue()) {
        sha.update(
            (e.timestamp()
                    + " "
                    + e.type()
                    + " "
                    + e.parameters()
                    + " "
                    + e.characteristics()
                    + " "
                    + e.processingId().orElseThrow()
                    + "\n")
                .getBytes(StandardCharsets.UTF_8));
      }
    }
    return histories.size() + " histories " + HexFormat.of().formatHex(sha.digest());
  }

  @Tag("heavy") // runs in the heavy profile: docs/reliability.md
  @Test
  void aMigrationOf100000EventsStoppedHalfwayAndResumedLeavesEveryHistoryAsItRead()
      throws Exception {
    CassandraTables tables = tables("cursus_migration");
    CassandraEventStore v1 = store(tables, EventTypeRegistry.of(Accounts.V1.class));
    CassandraEventStore v3 = store(tables, v3());
    int accounts = 100_000 / EVENTS_PER_ACCOUNT;
    writeVersionOne(v1, accounts);
    String before = digest(v3);
    assertThat(before).startsWith(accounts + " histories");

    // given a migration whose thread is interrupted once half of its ranges are done
    AtomicReference<Thread> runner = new AtomicReference<>();
    List<MigrationProgress> reported = new CopyOnWriteArrayList<>();
    AtomicReference<Throwable> stopped = new AtomicReference<>();
    Thread first =
        new Thread(
            () -> {
              try {
                v3.migration("account")
                    .name("accounts-to-v3")
                    .parallelism(2)
                    .segments(64)
                    .progress(
                        p -> {
                          reported.add(p);
                          if (p.rangesDone() >= p.rangesTotal() / 2) {
                            runner.get().interrupt();
                          }
                        })
                    .run();
              } catch (Throwable t) {
                stopped.set(t);
              }
            },
            "migration-to-stop");
    runner.set(first);
    first.start();
    first.join();
    assertThat(stopped.get())
        .isInstanceOf(TransientCursusException.class)
        .hasMessageContaining("running migration 'accounts-to-v3' again resumes");
    int total = reported.get(0).rangesTotal();
    int doneBeforeStop = reported.stream().mapToInt(MigrationProgress::rangesDone).max().orElse(0);
    assertThat(doneBeforeStop).isBetween(total / 2, total - 1);
    long rewrittenBeforeStop =
        reported.stream().mapToLong(MigrationProgress::eventsRewritten).max().orElse(0);
    assertThat(rewrittenBeforeStop).isPositive();

    // halfway: some rows are rewritten, the rest still version 1, and every history reads the same
    assertThat(digest(v3)).isEqualTo(before);

    // when the migration of the same name runs again
    List<MigrationProgress> resumedReports = new CopyOnWriteArrayList<>();
    MigrationProgress resumed =
        v3.migration("account")
            .name("accounts-to-v3")
            .parallelism(2)
            .segments(64)
            .maxEventsPerSecond(1_000_000)
            .progress(resumedReports::add)
            .run();

    // then it did only the ranges left, and every history still reads the same
    assertThat(resumed.isComplete()).isTrue();
    assertThat(resumedReports.get(0).rangesDone()).isGreaterThan(doneBeforeStop);
    assertThat(resumed.eventsRead()).isLessThan(100_000);
    assertThat(digest(v3)).isEqualTo(before);
    // a second sweep finds nothing left: each account's note was dropped and its transfer split
    // in two, so the table holds 100,000 rows again
    MigrationProgress again = v3.migration("account").name("accounts-to-v3").run();
    assertThat(again.eventsRewritten()).isZero();
    assertThat(again.eventsRead()).isEqualTo(100_000L);
    // and the store reads without any upcaster now
    CassandraEventStore plain = store(tables, EventTypeRegistry.of(Accounts.V3.class));
    assertThat(digest(plain)).isEqualTo(before);
  }

  @Test
  void aMigrationKeepsProcessingIdsAndFirstCaptureWinsAndRewritesNothingOfAFailingRow() {
    CassandraTables tables = tables("cursus_migration_small");
    CassandraEventStore v1 = store(tables, EventTypeRegistry.of(Accounts.V1.class));
    CassandraEventStore v3 = store(tables, v3());
    UUID id = UUID.randomUUID();
    List<Event> events = new ArrayList<>();
    Accounts.V1 emit = EventBus.to(events::addAll).emitter(Accounts.V1.class);
    emit.opened(StreamTimestamp.of("web", T0), id, "Ada");
    emit.deposited(StreamTimestamp.of("web", T0.plusSeconds(1)), id, 500);
    v1.append(events);
    AggregateId account = AggregateId.of("account", id.toString());
    List<Event> before = v3.history(account);

    MigrationProgress done = v3.migration("account").name("small-" + id).run();

    assertThat(done.eventsRewritten()).isGreaterThanOrEqualTo(1);
    assertThat(v3.history(account)).isEqualTo(before);
    // the stored types keep the old version (another writer may still write it) and gain the new
    assertThat(v3.storedTypes())
        .contains(
            EventType.of("account", "deposited", "1"), EventType.of("account", "deposited", "3"));
    // a later copy of the deposit (captured after the first) still loses to the first capture
    v1.append(events.get(1));
    assertThat(v3.history(account)).isEqualTo(before);
    assertThat(v3.history(account, HistoryQuery.all()).get(1).type().version()).isEqualTo("3");
  }

  @Test
  void aMigrationWhoseUpcasterThrowsNamesEventAndUpcasterAndLeavesTheRowAsItWas() {
    CassandraTables tables = tables("cursus_migration_small");
    CassandraEventStore v1 = store(tables, EventTypeRegistry.of(Accounts.V1.class));
    UUID id = UUID.randomUUID();
    Accounts.V1 emit = EventBus.to(v1::append).emitter(Accounts.V1.class);
    emit.opened(StreamTimestamp.of("web", T0), id, "Ada");
    emit.deposited(StreamTimestamp.of("web", T0.plusSeconds(1)), id, 500);
    AggregateId account = AggregateId.of("account", id.toString());
    List<Event> stored = v1.history(account);
    CassandraEventStore broken =
        store(
            tables,
            EventTypeRegistry.of(Accounts.V3.class)
                .withUpcasters(
                    Accounts.upcasters()
                        .changeParameter(
                            "account",
                            "deposited",
                            2,
                            "pence",
                            v -> {
                              throw new IllegalStateException("refused");
                            })));

    assertThatThrownBy(() -> broken.migration("account").name("broken-" + id).run())
        .isInstanceOf(UnreadableEventException.class)
        .hasMessageContaining("changeParameter(pence) on account/deposited_2")
        .hasMessageContaining("account/deposited_1")
        .hasMessageContaining("refused");
    assertThat(v1.history(account)).isEqualTo(stored);
  }

  @Test
  void aMissingPathIsAClearErrorNamingTypeAndVersion() {
    CassandraTables tables = tables("cursus_migration_small");
    CassandraEventStore v1 = store(tables, EventTypeRegistry.of(Accounts.V1.class));
    UUID id = UUID.randomUUID();
    Accounts.V1 emit = EventBus.to(v1::append).emitter(Accounts.V1.class);
    emit.noted(StreamTimestamp.of("web", T0), id, "hello");
    CassandraEventStore withoutSteps = store(tables, EventTypeRegistry.of(Accounts.V3.class));

    assertThatThrownBy(() -> withoutSteps.history(AggregateId.of("account", id.toString())))
        .isInstanceOf(UnreadableEventException.class)
        .hasMessageContaining("account/noted_1")
        .hasMessageContaining("is not declared");
  }
}
