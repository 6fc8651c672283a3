package io.cursus.api;

/**
 * What kind of event: the aggregate type it happens to, the event's name and its schema version.
 *
 * <p>Immutable and thread-safe. Two declarations (a Java interface and a Kotlin sealed class, say)
 * that produce the same event type are read back by each other.
 */
public record EventType(String aggregateType, String name, String version) {

  /** The version events get when their declaration does not say. */
  public static final String DEFAULT_VERSION = "1";

  public EventType {
    AggregateId.requireText(aggregateType, "aggregate type");
    AggregateId.requireText(name, "event name");
    AggregateId.requireText(version, "event version");
  }

  public static EventType of(String aggregateType, String name) {
    return new EventType(aggregateType, name, DEFAULT_VERSION);
  }

  public static EventType of(String aggregateType, String name, String version) {
    return new EventType(aggregateType, name, version);
  }

  // Written out, not generated: histories look handlers and schemas up by type once per event.
  @Override
  public boolean equals(Object o) {
    return this == o
        || (o instanceof EventType other
            && name.equals(other.name)
            && aggregateType.equals(other.aggregateType)
            && version.equals(other.version));
  }

  @Override
  public int hashCode() {
    return (31 * aggregateType.hashCode() + name.hashCode()) * 31 + version.hashCode();
  }

  @Override
  public String toString() {
    return aggregateType + "/" + name + "_" + version;
  }
}
