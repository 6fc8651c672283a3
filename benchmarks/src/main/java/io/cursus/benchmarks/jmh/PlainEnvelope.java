package io.cursus.benchmarks.jmh;

import java.util.List;
import java.util.UUID;

/**
 * The baseline of the JSON round trip: a POJO with the same fields as Cursus's JSON envelope, read
 * and written by plain Jackson data binding.
 */
public record PlainEnvelope(
    int envelope,
    String aggregateType,
    String aggregateId,
    String eventTime,
    String streamId,
    String name,
    String version,
    List<String> characteristics,
    UUID processingId,
    Parameters parameters) {

  /** The parameters of a {@code loadedOntoTruck} event. */
  public record Parameters(String truckId) {}
}
