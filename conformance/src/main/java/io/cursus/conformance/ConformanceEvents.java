package io.cursus.conformance;

import io.cursus.api.HandlesEventsFor;
import io.cursus.api.Initial;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.Terminal;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The events the conformance suites write. A store that needs schemas to read parameters back
 * (Cassandra, say) must be given these declarations: {@link EventStoreConformance#DECLARATIONS}.
 */
@HandlesEventsFor(ConformanceEvents.AGGREGATE_TYPE)
public interface ConformanceEvents {

  /** The aggregate type of every conformance event. */
  String AGGREGATE_TYPE = "cursus-conformance";

  /** An enum parameter. */
  enum Priority {
    LOW,
    HIGH
  }

  /** A record parameter. */
  record Size(int width, int height, Optional<String> unit) {}

  @Initial
  void opened(StreamTimestamp ts, UUID id, String owner);

  /** {@code location} is declared nullable, so that tests can write and read back a null. */
  void moved(StreamTimestamp ts, UUID id, @Nullable String location, int sequence);

  @Terminal
  void closed(StreamTimestamp ts, UUID id);

  void described(
      StreamTimestamp ts,
      UUID id,
      String text,
      int small,
      long big,
      double real,
      boolean flag,
      UUID reference,
      Instant instant,
      LocalDate date,
      BigDecimal amount,
      Priority priority,
      Size size,
      List<Size> sizes,
      Set<Priority> priorities,
      Map<String, List<UUID>> groups,
      Optional<LocalDate> due,
      Optional<String> note);
}
