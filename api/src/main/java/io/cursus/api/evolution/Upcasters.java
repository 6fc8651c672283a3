package io.cursus.api.evolution;

import static java.util.Objects.requireNonNull;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.EventCharacteristic;
import io.cursus.api.EventType;
import io.cursus.api.Parameters;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.store.EventSource;
import io.cursus.api.store.HistoryOrder;
import io.cursus.api.store.HistoryQuery;
import io.cursus.api.store.UnreadableEventException;
import io.cursus.api.store.UnreadableEventException.Reason;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The upcasters of an application: how events stored under older versions of their declarations are
 * read as the current ones.
 *
 * <p>Steps are keyed by the stored event's aggregate type, name and version {@code n} and take it
 * to version {@code n + 1}; the steps of one key run in the order they were added, so one version
 * change may rename a parameter and add another. Versions that are upcast must be whole numbers.
 * Since every step raises the version by one, a chain cannot loop.
 *
 * <p>{@link Builder#build} checks the chains against the current declarations: every step must
 * start from a version no declaration declares, and every event it can produce must be declared or
 * upcast further; otherwise it fails naming the type and version. Reading an event through the
 * chain changes nothing stored. Immutable and thread-safe (as far as the steps are).
 */
public final class Upcasters {

  private static final Upcasters NONE = new Upcasters(null, Map.of());

  private final @Nullable EventTypeRegistry registry;
  private final Map<EventType, Chain> chains;

  private Upcasters(@Nullable EventTypeRegistry registry, Map<EventType, Chain> chains) {
    this.registry = registry;
    this.chains = Map.copyOf(chains);
  }

  /** No upcasters: every stored type must be declared as it is. */
  public static Upcasters none() {
    return NONE;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Whether there are no steps. */
  public boolean isEmpty() {
    return chains.isEmpty();
  }

  /** Whether a stored event of {@code type} has a step to a newer version. */
  public boolean upcasts(EventType type) {
    return chains.containsKey(type);
  }

  /**
   * The events {@code stored} is at the current declarations: itself if its type has no step, else
   * the result of its chain (empty if a step dropped it). Nothing stored changes.
   *
   * @throws UnreadableEventException naming the event and the step if a step fails, or if the type
   *     has no step and the registry the upcasters were built for does not declare it
   */
  public List<Event> upcast(Event stored) {
    return upcast(stored, stored.type());
  }

  /** {@code event}, upcast from {@code storedType} so far, at the current declarations. */
  private List<Event> upcast(Event stored, EventType storedType) {
    Chain chain = chains.get(stored.type());
    if (chain == null) {
      if (registry != null && registry.schema(stored.type()).isEmpty()) {
        throw new UnreadableEventException(
            Reason.UNKNOWN_EVENT_TYPE,
            stored.aggregateId()
                + " at "
                + stored.timestamp()
                + ": stored event type "
                + stored.type()
                + " is neither declared nor upcast by any upcaster",
            null);
      }
      return List.of(stored);
    }
    List<Event> next = chain.apply(stored, storedType);
    if (next.size() == 1) {
      return upcast(next.get(0), storedType);
    }
    List<Event> all = new ArrayList<>();
    for (Event event : next) {
      all.addAll(upcast(event, storedType));
    }
    return all;
  }

  /**
   * A view of {@code source} whose histories are read through these upcasters: for a store that
   * holds events as they were written (the in-memory one). Queries filter the upcast events.
   */
  public EventSource applyTo(EventSource source) {
    requireNonNull(source, "source must not be null");
    Upcasters upcasters = this;
    return new EventSource() {
      @Override
      public Stream<Event> read(AggregateId aggregate, HistoryQuery query) {
        boolean descending = query.order() == HistoryOrder.DESCENDING;
        return source
            .read(aggregate, query)
            .flatMap(
                e -> {
                  List<Event> current = upcasters.upcast(e);
                  if (descending && current.size() > 1) {
                    // the parts of a split share one time: newest first, by stream id
                    List<Event> sorted = new ArrayList<>(current);
                    sorted.sort(query.comparator());
                    return sorted.stream();
                  }
                  return current.stream();
                });
      }

      @Override
      public Map<AggregateId, List<Event>> preload(
          Collection<AggregateId> aggregates, HistoryQuery query) {
        // the source's own preload (the Cassandra store's reads its histories concurrently)
        Map<AggregateId, List<Event>> stored = source.preload(aggregates, query);
        Map<AggregateId, List<Event>> current = new LinkedHashMap<>();
        stored.forEach((aggregate, events) -> current.put(aggregate, upcast(events, query)));
        return current;
      }
    };
  }

  /**
   * {@code stored}, one aggregate's events in {@code query}'s order, at the current declarations:
   * each through {@link #upcast(Event)}, a split's parts in {@code query}'s order.
   */
  public List<Event> upcast(List<Event> stored, HistoryQuery query) {
    requireNonNull(stored, "stored events must not be null");
    requireNonNull(query, "query must not be null");
    List<Event> current = new ArrayList<>(stored.size());
    for (Event event : stored) {
      List<Event> upcast = upcast(event);
      if (upcast.size() > 1 && query.order() == HistoryOrder.DESCENDING) {
        List<Event> sorted = new ArrayList<>(upcast);
        sorted.sort(query.comparator());
        current.addAll(sorted);
      } else {
        current.addAll(upcast);
      }
    }
    return List.copyOf(current);
  }

  /**
   * Checks that every stored type in {@code storedTypes} is declared or has a path to a current
   * declaration: a start-up check over the types a store has recorded.
   *
   * @throws IllegalStateException listing every type without a path
   */
  public void check(Collection<EventType> storedTypes) {
    EventTypeRegistry declared =
        requireNonNull(registry, "upcasters built without a registry cannot check stored types");
    Set<String> gaps = new TreeSet<>();
    for (EventType type : storedTypes) {
      if (declared.schema(type).isEmpty() && !chains.containsKey(type)) {
        gaps.add(type.toString());
      }
    }
    if (!gaps.isEmpty()) {
      throw new IllegalStateException(
          "stored event types with neither a declaration nor an upcaster: "
              + gaps
              + "; declare them or add upcasters from them to a current version");
    }
  }

  /** The next version after {@code version}, which must be a whole number. */
  static String nextVersion(EventType type) {
    try {
      return Integer.toString(Math.addExact(Integer.parseInt(type.version()), 1));
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(
          "cannot upcast " + type + ": version '" + type.version() + "' is not a whole number", e);
    }
  }

  /**
   * For readers of stored forms (the JSON envelope, Cassandra rows): what the chain from {@code
   * stored} makes of an event of that type whose parameters are named {@code names}, in that order,
   * if every step on the way to a current declaration is a built-in {@link Builder#renameEvent
   * renameEvent}, {@link Builder#renameParameter renameParameter}, {@link
   * Builder#addParameter(String, String, int, String, Object) addParameter} of a constant or {@link
   * Builder#removeParameter removeParameter}, and none of them would fail on such an event. A
   * reader can then apply the result while it reads the stored parameters, in one pass, instead of
   * reading them as plain values, calling {@link #upcast(Event)} and reading the result again.
   * Empty otherwise (another kind of step, a split or a drop on the way, a parameter a rename needs
   * missing, a name given twice, no current declaration at the end): the reader then calls {@link
   * #upcast(Event)}, which gives the event or names the failure.
   *
   * <p>The event's aggregate, timestamp, characteristics and processing id stay as they are.
   */
  public Optional<Renaming> renaming(EventType stored, List<String> names) {
    requireNonNull(stored, "stored type must not be null");
    requireNonNull(names, "names must not be null");
    if (registry == null || !chains.containsKey(stored)) {
      return Optional.empty();
    }
    List<String> current = new ArrayList<>(names);
    List<Object> sources =
        new ArrayList<>(names.size()); // an Integer: a stored index; else Constant
    for (int i = 0; i < names.size(); i++) {
      if (current.indexOf(names.get(i)) != i) {
        return Optional.empty(); // given twice
      }
      sources.add(i);
    }
    EventType type = stored;
    for (Chain chain = chains.get(type); chain != null; chain = chains.get(type)) {
      String name = type.name();
      for (Step step : chain.steps) {
        if (step.op == null) {
          return Optional.empty();
        }
        if (step.op instanceof RenameEvent r) {
          name = r.newName;
        } else if (step.op instanceof RenameParameter r) {
          int at = current.indexOf(r.oldName);
          if (at < 0 || (!r.oldName.equals(r.newName) && current.contains(r.newName))) {
            return Optional.empty();
          }
          current.set(at, r.newName);
        } else if (step.op instanceof AddConstant a) {
          if (current.contains(a.name)) {
            return Optional.empty();
          }
          current.add(a.name);
          sources.add(new Constant(Parameters.builder().add(a.name, a.value).build().get(a.name)));
        } else if (step.op instanceof Remove r) {
          int at = current.indexOf(r.name);
          if (at >= 0) {
            current.remove(at);
            sources.remove(at);
          }
        }
      }
      type = EventType.of(type.aggregateType(), name, nextVersion(chain.from));
    }
    if (registry.schema(type).isEmpty()) {
      return Optional.empty();
    }
    int size = current.size();
    int[] storedIndex = new int[size];
    Object[] constants = new Object[size];
    for (int i = 0; i < size; i++) {
      if (sources.get(i) instanceof Integer index) {
        storedIndex[i] = index;
      } else {
        storedIndex[i] = -1;
        constants[i] = ((Constant) sources.get(i)).value;
      }
    }
    return Optional.of(new Renaming(type, List.copyOf(current), storedIndex, constants));
  }

  /** A constant an {@code addParameter} step adds (null allowed). */
  private record Constant(@Nullable Object value) {}

  /**
   * What a chain of built-in steps makes of a stored event with given parameter names: the current
   * type, and for each parameter of the result (in the order the steps leave them) its name and
   * either the position of the stored parameter it comes from or the constant a step adds. See
   * {@link Upcasters#renaming}. Immutable.
   */
  public static final class Renaming {
    private final EventType target;
    private final List<String> names;
    private final int[] storedIndex;
    private final @Nullable Object[] constants;

    private Renaming(
        EventType target, List<String> names, int[] storedIndex, @Nullable Object[] constants) {
      this.target = target;
      this.names = names;
      this.storedIndex = storedIndex;
      this.constants = constants;
    }

    /** The current (declared) type the stored event becomes. */
    public EventType target() {
      return target;
    }

    /** The names of the result's parameters, in order. */
    public List<String> names() {
      return names;
    }

    /**
     * The position among the stored parameters of the one that becomes parameter {@code i} of the
     * result, or -1 if a step adds it as a {@linkplain #constant constant}.
     */
    public int storedIndex(int i) {
      return storedIndex[i];
    }

    /**
     * The value a step adds as parameter {@code i} (as the step was given it, lists and maps made
     * unmodifiable), if {@link #storedIndex storedIndex(i)} is -1; else null.
     */
    public @Nullable Object constant(int i) {
      return constants[i];
    }

    @Override
    public String toString() {
      return "Renaming[to " + target + " " + names + "]";
    }
  }

  /** What a built-in step does, for {@link #renaming}: a reader can apply it as it reads. */
  private sealed interface Op {}

  private record RenameEvent(String newName) implements Op {}

  private record RenameParameter(String oldName, String newName) implements Op {}

  private record AddConstant(String name, @Nullable Object value) implements Op {}

  private record Remove(String name) implements Op {}

  /**
   * One named step, the names it can produce (null: it keeps the name it is given), and what it
   * does if it is a built-in step a reader can apply itself (else null).
   */
  private record Step(
      String description, @Nullable Set<String> produces, Upcaster upcaster, @Nullable Op op) {}

  /** The steps of one stored type, in order. */
  private record Chain(EventType from, List<Step> steps) {

    List<Event> apply(Event stored, EventType storedType) {
      String next = nextVersion(from);
      List<Event> current = List.of(stored);
      for (Step step : steps) {
        List<Event> produced = new ArrayList<>();
        for (Event event : current) {
          List<Event> out;
          try {
            out = step.upcaster.upcast(event);
          } catch (RuntimeException e) {
            throw new UnreadableEventException(
                Reason.SCHEMA_MISMATCH,
                "upcaster "
                    + step.description
                    + " failed on "
                    + stored.aggregateId()
                    + " "
                    + stored.type()
                    + (storedType.equals(stored.type()) ? "" : " (stored as " + storedType + ")")
                    + " at "
                    + stored.timestamp()
                    + ": "
                    + e.getMessage(),
                e);
          }
          produced.addAll(
              requireNonNull(out, () -> "upcaster " + step.description + " returned null"));
        }
        current = produced;
      }
      List<Event> result = new ArrayList<>(current.size());
      for (Event event : current) {
        if (!event.aggregateId().equals(stored.aggregateId())) {
          throw new UnreadableEventException(
              Reason.SCHEMA_MISMATCH,
              "upcasters of " + from + " moved " + stored + " to another aggregate",
              null);
        }
        EventType type = EventType.of(from.aggregateType(), event.type().name(), next);
        Event upcast =
            Event.of(
                event.aggregateId(),
                event.timestamp(),
                type,
                event.parameters(),
                event.characteristics());
        result.add(
            event.processingId().isPresent()
                ? upcast.withProcessingId(event.processingId().get())
                : stored.processingId().map(upcast::withProcessingId).orElse(upcast));
      }
      return result;
    }
  }

  /**
   * Builds {@link Upcasters}. Not thread-safe; each method names the stored type by aggregate type,
   * event name and the version the step starts from.
   */
  public static final class Builder {
    private final Map<EventType, List<Step>> steps = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Adds {@code upcaster} from {@code from}; it may produce events named as in {@code produces}
     * (checked by {@link #build}). {@code description} names it in errors.
     */
    public Builder step(
        EventType from, String description, Set<String> produces, Upcaster upcaster) {
      requireNonNull(produces, "produced names must not be null");
      return add(from, description, Set.copyOf(produces), upcaster, null);
    }

    private Builder add(
        EventType from,
        String description,
        @Nullable Set<String> produces,
        Upcaster upcaster,
        @Nullable Op op) {
      requireNonNull(from, "stored type must not be null");
      requireNonNull(description, "description must not be null");
      requireNonNull(upcaster, "upcaster must not be null");
      nextVersion(from);
      steps
          .computeIfAbsent(from, t -> new ArrayList<>())
          .add(new Step(description + " on " + from, produces, upcaster, op));
      return this;
    }

    /** Events {@code name} of version {@code version} are called {@code newName} from the next. */
    public Builder renameEvent(String aggregateType, String name, int version, String newName) {
      EventType from = type(aggregateType, name, version);
      requireNonNull(newName, "new name must not be null");
      return add(
          from,
          "renameEvent(" + name + " -> " + newName + ")",
          Set.of(newName),
          e -> List.of(with(e, newName, e.parameters())),
          new RenameEvent(newName));
    }

    /** Parameter {@code oldName} is called {@code newName} from the next version; order is kept. */
    public Builder renameParameter(
        String aggregateType, String name, int version, String oldName, String newName) {
      EventType from = type(aggregateType, name, version);
      requireNonNull(oldName, "old name must not be null");
      requireNonNull(newName, "new name must not be null");
      return same(
          from,
          "renameParameter(" + oldName + " -> " + newName + ")",
          new RenameParameter(oldName, newName),
          p -> {
            if (!p.contains(oldName)) {
              throw new IllegalArgumentException("it has no parameter '" + oldName + "'");
            }
            Parameters.Builder b = Parameters.builder();
            p.asMap().forEach((k, v) -> b.add(k.equals(oldName) ? newName : k, v));
            return b.build();
          });
    }

    /**
     * Adds parameter {@code parameter} with {@code value} (last in order) from the next version.
     */
    public Builder addParameter(
        String aggregateType, String name, int version, String parameter, @Nullable Object value) {
      requireNonNull(parameter, "parameter must not be null");
      return addParameter(
          aggregateType, name, version, parameter, e -> value, new AddConstant(parameter, value));
    }

    /** Adds parameter {@code parameter} computed from the stored event (last in order). */
    public Builder addParameter(
        String aggregateType,
        String name,
        int version,
        String parameter,
        Function<Event, @Nullable Object> value) {
      return addParameter(aggregateType, name, version, parameter, value, null);
    }

    private Builder addParameter(
        String aggregateType,
        String name,
        int version,
        String parameter,
        Function<Event, @Nullable Object> value,
        @Nullable Op op) {
      requireNonNull(value, "value function must not be null");
      EventType from = type(aggregateType, name, version);
      return add(
          from,
          "addParameter(" + parameter + ")",
          null,
          e -> {
            Parameters.Builder b = Parameters.builder();
            e.parameters().asMap().forEach(b::add);
            b.add(parameter, value.apply(e));
            return List.of(with(e, e.type().name(), b.build()));
          },
          op);
    }

    /** Removes parameter {@code parameter} from the next version. */
    public Builder removeParameter(
        String aggregateType, String name, int version, String parameter) {
      EventType from = type(aggregateType, name, version);
      requireNonNull(parameter, "parameter must not be null");
      return same(
          from,
          "removeParameter(" + parameter + ")",
          new Remove(parameter),
          p -> {
            Parameters.Builder b = Parameters.builder();
            p.asMap()
                .forEach(
                    (k, v) -> {
                      if (!k.equals(parameter)) {
                        b.add(k, v);
                      }
                    });
            return b.build();
          });
    }

    /**
     * Converts parameter {@code parameter}'s value with {@code change} (a new type, say) from the
     * next version. The function gets the stored value (see {@link Upcaster} for its form).
     */
    public Builder changeParameter(
        String aggregateType,
        String name,
        int version,
        String parameter,
        UnaryOperator<@Nullable Object> change) {
      requireNonNull(change, "change must not be null");
      EventType from = type(aggregateType, name, version);
      return same(
          from,
          "changeParameter(" + parameter + ")",
          null,
          p -> {
            if (!p.contains(parameter)) {
              throw new IllegalArgumentException("it has no parameter '" + parameter + "'");
            }
            Parameters.Builder b = Parameters.builder();
            p.asMap().forEach((k, v) -> b.add(k, k.equals(parameter) ? change.apply(v) : v));
            return b.build();
          });
    }

    /**
     * Splits events into events named {@code into}, in that order, with the parameters {@code
     * parts} gives for each (a list as long as {@code into}). The first part keeps the stored
     * event's timestamp; part {@code i > 0} is at the same time on stream {@code <stream>#i}, so
     * every part has an identity of its own. Only the first part keeps {@code INITIAL} and only the
     * last keeps {@code TERMINAL}.
     */
    public Builder split(
        String aggregateType,
        String name,
        int version,
        List<String> into,
        Function<Event, List<Parameters>> parts) {
      requireNonNull(parts, "parts must not be null");
      List<String> names = List.copyOf(into);
      if (names.isEmpty()) {
        throw new IllegalArgumentException("a split of " + name + " needs at least one part");
      }
      EventType from = type(aggregateType, name, version);
      return step(
          from,
          "split(" + name + " -> " + names + ")",
          new LinkedHashSet<>(names),
          e -> {
            List<Parameters> given = parts.apply(e);
            if (given.size() != names.size()) {
              throw new IllegalArgumentException(
                  "it gave " + given.size() + " parts for " + names.size() + " names " + names);
            }
            List<Event> out = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
              Set<EventCharacteristic> characteristics =
                  e.characteristics().isEmpty()
                      ? EnumSet.noneOf(EventCharacteristic.class)
                      : EnumSet.copyOf(e.characteristics());
              if (i > 0) {
                characteristics.remove(EventCharacteristic.INITIAL);
              }
              if (i < names.size() - 1) {
                characteristics.remove(EventCharacteristic.TERMINAL);
              }
              StreamTimestamp timestamp =
                  i == 0
                      ? e.timestamp()
                      : StreamTimestamp.of(e.timestamp().streamId() + "#" + i, e.eventTime());
              Event part =
                  Event.of(
                      e.aggregateId(),
                      timestamp,
                      EventType.of(aggregateType, names.get(i), e.type().version()),
                      given.get(i),
                      characteristics);
              out.add(e.processingId().map(part::withProcessingId).orElse(part));
            }
            return out;
          });
    }

    /** Events {@code name} of version {@code version} are no longer read. */
    public Builder drop(String aggregateType, String name, int version) {
      return step(
          type(aggregateType, name, version), "drop(" + name + ")", Set.of(), e -> List.of());
    }

    /**
     * The upcasters, checked against {@code registry}'s current declarations.
     *
     * @throws IllegalArgumentException naming the type and version of the first gap: a step from a
     *     declared version, or an event a step produces that is neither declared nor upcast
     */
    public Upcasters build(EventTypeRegistry registry) {
      requireNonNull(registry, "registry must not be null");
      Map<EventType, Chain> chains = new LinkedHashMap<>();
      for (Map.Entry<EventType, List<Step>> entry : steps.entrySet()) {
        EventType from = entry.getKey();
        if (registry.schema(from).isPresent()) {
          throw new IllegalArgumentException(
              "upcaster from "
                  + from
                  + ": that version is declared, so stored events of it are read as they are");
        }
        String next = nextVersion(from);
        for (String name : producedNames(from, entry.getValue())) {
          EventType to = EventType.of(from.aggregateType(), name, next);
          if (registry.schema(to).isEmpty() && !steps.containsKey(to)) {
            throw new IllegalArgumentException(
                "upcasting "
                    + from
                    + " produces "
                    + to
                    + ", which is neither declared nor upcast further: no path to a current"
                    + " declaration");
          }
        }
        chains.put(from, new Chain(from, List.copyOf(entry.getValue())));
      }
      return new Upcasters(registry, chains);
    }

    /** The names a chain of steps can end with, following renames and splits in order. */
    private static Set<String> producedNames(EventType from, List<Step> chain) {
      Set<String> names = Set.of(from.name());
      for (Step step : chain) {
        if (step.produces != null && !names.isEmpty()) {
          names = step.produces;
        }
      }
      return names;
    }

    private Builder same(
        EventType from, String description, @Nullable Op op, UnaryOperator<Parameters> change) {
      return add(
          from,
          description,
          null,
          e -> List.of(with(e, e.type().name(), change.apply(e.parameters()))),
          op);
    }

    private static EventType type(String aggregateType, String name, int version) {
      return EventType.of(aggregateType, name, Integer.toString(version));
    }

    private static Event with(Event e, String name, Parameters parameters) {
      Event renamed =
          Event.of(
              e.aggregateId(),
              e.timestamp(),
              EventType.of(e.type().aggregateType(), name, e.type().version()),
              parameters,
              e.characteristics());
      return e.processingId().map(renamed::withProcessingId).orElse(renamed);
    }
  }
}
