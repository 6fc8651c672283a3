package io.cursus.api.evolution;

import io.cursus.api.HandlesEventsFor;
import io.cursus.api.Initial;
import io.cursus.api.Parameters;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Account events as first declared, as declared three versions later, and the upcasters between.
 */
public final class Accounts {
  private Accounts() {}

  /** The first declaration: every event at version 1. */
  @HandlesEventsFor("account")
  public interface V1 {
    @Initial
    void opened(StreamTimestamp ts, UUID accountId, String owner);

    void deposited(StreamTimestamp ts, UUID accountId, long amount);

    void noted(StreamTimestamp ts, UUID accountId, String text);

    void transferred(StreamTimestamp ts, UUID accountId, long amount, String to);
  }

  /**
   * The current declaration: {@code deposited} renamed {@code amount} (v2) and gained a currency
   * (v3); {@code noted} is gone; {@code transferred} became a withdrawal and a memo.
   */
  @HandlesEventsFor("account")
  public interface V3 {
    @Initial
    void opened(StreamTimestamp ts, UUID accountId, String owner);

    @Version("3")
    void deposited(StreamTimestamp ts, UUID accountId, long pence, String currency);

    @Version("2")
    void withdrawn(StreamTimestamp ts, UUID accountId, long pence);

    @Version("2")
    void memo(StreamTimestamp ts, UUID accountId, String text);
  }

  /** {@link V3} as a sealed family of records, for typed histories. */
  @HandlesEventsFor("account")
  public sealed interface AccountEvent {
    @Initial
    record Opened(String owner) implements AccountEvent {}

    @Version("3")
    record Deposited(long pence, String currency) implements AccountEvent {}

    @Version("2")
    record Withdrawn(long pence) implements AccountEvent {}

    @Version("2")
    record Memo(String text) implements AccountEvent {}
  }

  /** The steps from {@link V1} to {@link V3}. */
  public static Upcasters.Builder upcasters() {
    return Upcasters.builder()
        .renameParameter("account", "deposited", 1, "amount", "pence")
        .addParameter("account", "deposited", 2, "currency", "GBP")
        .drop("account", "noted", 1)
        .split(
            "account",
            "transferred",
            1,
            List.of("withdrawn", "memo"),
            e ->
                List.of(
                    Parameters.of("pence", e.parameters().get("amount")),
                    Parameters.of("text", "to " + e.parameters().get("to"))));
  }

  /** A balance built from {@link V3} events. */
  public static final class Balance {
    private final String owner;
    private long pence;
    private final List<String> lines = new ArrayList<>();

    private Balance(String owner) {
      this.owner = owner;
    }

    public static Balance opened(StreamTimestamp ts, UUID accountId, String owner) {
      return new Balance(owner);
    }

    public void deposited(long pence, String currency) {
      this.pence += pence;
      lines.add("+" + pence + " " + currency);
    }

    public void withdrawn(long pence) {
      this.pence -= pence;
      lines.add("-" + pence);
    }

    public void memo(String text) {
      lines.add(text);
    }

    public String owner() {
      return owner;
    }

    public long pence() {
      return pence;
    }

    public List<String> lines() {
      return lines;
    }
  }
}
