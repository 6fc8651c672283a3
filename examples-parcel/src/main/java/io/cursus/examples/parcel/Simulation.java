package io.cursus.examples.parcel;

import io.cursus.api.Event;
import io.cursus.api.EventIdentity;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.mapping.EventMapper;
import io.cursus.api.store.HistoryQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Depots and trucks reporting parcel journeys from their own streams, with skewed clocks, and the
 * messy way the reports reach us: shuffled, some repeated, some held back and delivered late.
 *
 * <p>Everything comes from one seed, so a run can be checked against its {@link #expected ground
 * truth}: the unique events of each parcel in event-time order.
 */
public final class Simulation {

  /** The depots and their clock skews in milliseconds. */
  static final Map<String, Long> DEPOTS =
      orderedMap("Lewisham", -700L, "Croydon", 300L, "Bromley", 0L, "Greenwich", 1200L);

  /** The trucks and their clock skews in milliseconds. */
  static final Map<String, Long> TRUCKS =
      orderedMap("J98 257", 450L, "K12 811", -250L, "L45 300", 900L);

  private static final Instant START = Instant.parse("2026-11-02T08:00:00Z");
  private static final String[] STREETS = {
    "12 Acacia Avenue", "3 Station Road", "40 Church Lane", "7 Mill Street", "18 Park View"
  };

  private final Map<UUID, List<Event>> expected = new LinkedHashMap<>();
  private final List<List<Event>> firstWave = new ArrayList<>();
  private final List<List<Event>> lateWave = new ArrayList<>();
  private final Set<EventIdentity> late = new HashSet<>();
  private final Set<EventIdentity> repeated = new HashSet<>();
  private int offered;

  private Simulation() {}

  /** Journeys of {@code parcels} parcels, delivered messily, all decided by {@code seed}. */
  public static Simulation of(long seed, int parcels) {
    if (parcels < 1) {
      throw new IllegalArgumentException("parcels must be at least 1, was " + parcels);
    }
    Simulation simulation = new Simulation();
    Random random = new Random(seed);
    for (int i = 0; i < parcels; i++) {
      UUID parcelId = new UUID(0x5eed_0000_0000_4000L | seed << 20, 0x8000_0000_0000_0000L | i);
      simulation.expected.put(
          parcelId, journey(random, parcelId, START.plus(Duration.ofMinutes(7L * i))));
    }
    simulation.deliverMessily(random);
    return simulation;
  }

  private static List<Event> journey(Random random, UUID parcelId, Instant start) {
    List<Event> events = new ArrayList<>();
    List<String> depots = List.copyOf(DEPOTS.keySet());
    List<String> trucks = List.copyOf(TRUCKS.keySet());
    String origin = depots.get(random.nextInt(depots.size()));
    depots(events).receivedAtDepot(depotClock(origin, start), parcelId, origin);
    int outcome = random.nextInt(100);
    if (outcome < 20) {
      return events; // still at the depot it was received at
    }
    String truckId = trucks.get(random.nextInt(trucks.size()));
    Instant loaded = start.plus(Duration.ofMinutes(30));
    depots(events).loadedOntoTruck(depotClock(origin, loaded), parcelId, truckId);
    Truck truck = new Truck(truckId, TRUCKS.get(truckId));
    Instant later = start.plus(Duration.ofMinutes(95));
    if (outcome < 35) {
      return events; // on the truck
    } else if (outcome < 55) {
      String next = depots.get((depots.indexOf(origin) + 1) % depots.size());
      depots(events).arrivedAtDepot(depotClock(next, later), parcelId, next);
    } else if (outcome < 85) {
      String street = STREETS[random.nextInt(STREETS.length)];
      events.add(truck.delivered(parcelId, street, "the resident of " + street, later));
    } else {
      events.add(truck.deliveryFailed(parcelId, "nobody home", later));
    }
    return events;
  }

  /** What depots report, through the Java interface; each report's stream is the depot's own. */
  private static ParcelEvents depots(List<Event> into) {
    return EventMapper.emitter(ParcelEvents.class, into::add);
  }

  private static StreamTimestamp depotClock(String depotId, Instant trueTime) {
    return StreamTimestamp.of(depotId, trueTime.plusMillis(DEPOTS.get(depotId)));
  }

  // Write first, reason later: 15 % of the events held back, 10 % repeated, all shuffled.
  private void deliverMessily(Random random) {
    List<Event> first = new ArrayList<>();
    List<Event> held = new ArrayList<>();
    for (List<Event> journey : expected.values()) {
      for (Event event : journey) {
        List<Event> into = random.nextInt(100) < 15 ? held : first;
        if (into == held) {
          late.add(event.identity());
        }
        into.add(event);
        if (random.nextInt(100) < 10) {
          repeated.add(event.identity());
          (random.nextBoolean() ? first : held).add(event);
        }
      }
    }
    Collections.shuffle(first, random);
    Collections.shuffle(held, random);
    offered = first.size() + held.size();
    batches(first, firstWave, random);
    batches(held, lateWave, random);
  }

  private static void batches(List<Event> events, List<List<Event>> into, Random random) {
    for (int i = 0; i < events.size(); ) {
      int size = 1 + random.nextInt(40);
      into.add(List.copyOf(events.subList(i, Math.min(i + size, events.size()))));
      i += size;
    }
  }

  /** Each parcel's unique events in event-time order: what the store must end up holding. */
  public Map<UUID, List<Event>> expected() {
    Map<UUID, List<Event>> sorted = new LinkedHashMap<>();
    expected.forEach(
        (id, events) -> {
          List<Event> copy = new ArrayList<>(events);
          copy.sort(HistoryQuery.EVENT_TIME_ORDER);
          sorted.put(id, List.copyOf(copy));
        });
    return sorted;
  }

  /** The batches delivered first, in delivery order. */
  public List<List<Event>> firstWave() {
    return firstWave;
  }

  /** The batches held back and delivered after the first wave. */
  public List<List<Event>> lateWave() {
    return lateWave;
  }

  /** Whether the event was held back for the late wave. */
  public boolean isLate(Event event) {
    return late.contains(event.identity());
  }

  /** Whether the event was offered more than once. */
  public boolean isRepeated(Event event) {
    return repeated.contains(event.identity());
  }

  /** Events offered, repeats included. */
  public int offered() {
    return offered;
  }

  /** Distinct events. */
  public int unique() {
    return expected.values().stream().mapToInt(List::size).sum();
  }

  private static Map<String, Long> orderedMap(Object... pairs) {
    Map<String, Long> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], (Long) pairs[i + 1]);
    }
    return Collections.unmodifiableMap(map);
  }
}
