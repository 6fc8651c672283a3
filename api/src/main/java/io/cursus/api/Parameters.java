package io.cursus.api;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An event's parameters: named values in the order the event's declaration gives them.
 *
 * <p>Immutable and thread-safe as far as the values are (collections passed in are copied; records
 * and other values are kept as given). A value may be {@code null} where the declaration allows it
 * (a Kotlin nullable property, say); {@link #get} then returns {@code null} and {@link #find}
 * returns empty.
 */
public final class Parameters {

  private static final Parameters NONE = new Parameters(new LinkedHashMap<>());

  /** How many characters of one value {@link #toString()} shows. */
  static final int SHOWN_CHARS = 100;

  private final Map<String, Object> values;

  private Parameters(Map<String, Object> values) {
    this.values = Collections.unmodifiableMap(values);
  }

  /** No parameters. */
  public static Parameters none() {
    return NONE;
  }

  /** Parameters from alternating names and values: {@code of("depotId", "Lewisham")}. */
  public static Parameters of(@Nullable Object... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException(
          "parameters need name/value pairs, got " + namesAndValues.length + " arguments");
    }
    Builder builder = builder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      if (!(namesAndValues[i] instanceof String name)) {
        throw new IllegalArgumentException(
            "parameter name at position " + i + " must be a String, was " + namesAndValues[i]);
      }
      builder.add(name, namesAndValues[i + 1]);
    }
    return builder.build();
  }

  /** Parameters with the names and values of {@code map}, in its iteration order. */
  public static Parameters of(Map<String, ?> map) {
    Builder builder = builder();
    map.forEach(builder::add);
    return builder.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The value of parameter {@code name}, or {@code null} if it is absent or null. */
  public @Nullable Object get(String name) {
    return values.get(name);
  }

  /**
   * The value of parameter {@code name} as a {@code type}, failing clearly if it is another type.
   */
  public <T> @Nullable T get(String name, Class<T> type) {
    Object value = values.get(name);
    if (value != null && !type.isInstance(value)) {
      throw new IllegalArgumentException(
          "parameter '"
              + name
              + "' is a "
              + value.getClass().getName()
              + ", not a "
              + type.getName());
    }
    return type.cast(value);
  }

  /** The value of parameter {@code name}, empty if it is absent or null. */
  public Optional<Object> find(String name) {
    return Optional.ofNullable(values.get(name));
  }

  public boolean contains(String name) {
    return values.containsKey(name);
  }

  /** The parameter names in declared order. */
  public Set<String> names() {
    return values.keySet();
  }

  public int size() {
    return values.size();
  }

  /** The parameters as an unmodifiable map in declared order; values may be null. */
  public Map<String, Object> asMap() {
    return values;
  }

  @Override
  public boolean equals(Object o) {
    // Order is part of the schema, so it is part of equality.
    return o instanceof Parameters other
        && new ArrayList<>(values.entrySet()).equals(new ArrayList<>(other.values.entrySet()));
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  /**
   * The parameters as {@code {name=value, ...}}. A value whose text is longer than {@value
   * #SHOWN_CHARS} characters is cut short and says how long it was, so that a message naming a huge
   * event stays readable.
   */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("{");
    for (Map.Entry<String, Object> entry : values.entrySet()) {
      if (text.length() > 1) {
        text.append(", ");
      }
      String value = String.valueOf(entry.getValue());
      text.append(entry.getKey()).append('=');
      if (value.length() > SHOWN_CHARS) {
        text.append(value, 0, SHOWN_CHARS).append("...(").append(value.length()).append(" chars)");
      } else {
        text.append(value);
      }
    }
    return text.append('}').toString();
  }

  /** Builds {@link Parameters} in the order names are added. Not thread-safe. */
  public static final class Builder {
    private LinkedHashMap<String, Object> values = new LinkedHashMap<>();
    // Set when build() handed the map to a Parameters: the next add copies it first, so the map
    // is not copied for the usual single build, and a built Parameters never changes.
    private boolean handedOver;

    private Builder() {}

    public Builder add(String name, @Nullable Object value) {
      requireNonNull(name, "parameter name must not be null");
      if (name.isBlank()) {
        throw new IllegalArgumentException("parameter name must not be blank");
      }
      if (values.containsKey(name)) {
        throw new IllegalArgumentException("parameter '" + name + "' given twice");
      }
      if (handedOver) {
        values = new LinkedHashMap<>(values);
        handedOver = false;
      }
      values.put(name, copyOf(value));
      return this;
    }

    public Parameters build() {
      if (values.isEmpty()) {
        return NONE;
      }
      handedOver = true;
      return new Parameters(values);
    }
  }

  // Collections are copied so a caller changing its list later cannot change a stored event.
  private static Object copyOf(Object value) {
    if (value instanceof List<?> list) {
      return Collections.unmodifiableList(new ArrayList<>(list));
    }
    if (value instanceof Set<?> set) {
      return Collections.unmodifiableSet(new java.util.LinkedHashSet<>(set));
    }
    if (value instanceof Map<?, ?> map) {
      return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
    return value;
  }
}
