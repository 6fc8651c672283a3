package io.cursus.examples.parcel;

import io.cursus.api.AggregateId;
import io.cursus.api.projection.Projection;
import io.cursus.api.state.StateBuilder;
import io.cursus.api.store.AggregateCatalogue;
import io.cursus.api.store.EventSource;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The depot board: where each parcel is now (at a depot, on a truck, delivered), kept by a state
 * projection from the parcels' states, one board per generation so that a rebuild fills a new board
 * beside the one being read.
 */
final class DepotBoard {

  /** The projection's name. */
  static final String NAME = "depot-board";

  static final String DELIVERED = "delivered";
  static final String FAILED = "delivery failed";

  private static final StateBuilder<ParcelState> STATES =
      StateBuilder.of(ParcelState.class, ParcelEvents.class);

  private final Map<Integer, Map<UUID, String>> boards = new ConcurrentHashMap<>();
  private volatile int serving = 1;

  /** The state projection that keeps the board. */
  Projection projection() {
    return Projection.states(NAME, ParcelState.class, ParcelEvents.class)
        .handlerPerGeneration(
            UUID.class,
            generation -> {
              Map<UUID, String> board = board(generation);
              return (parcelId, state) -> board.put(parcelId, place(state));
            })
        .whenServing(
            generation -> {
              serving = generation;
              boards.keySet().removeIf(older -> older < generation);
            })
        .catchUpAggregates(20)
        .build();
  }

  private Map<UUID, String> board(int generation) {
    return boards.computeIfAbsent(generation, g -> new ConcurrentHashMap<>());
  }

  /** The generation readers read. */
  int serving() {
    return serving;
  }

  /** The serving board: each parcel's place. */
  Map<UUID, String> places() {
    return Map.copyOf(board(serving));
  }

  /** How many parcels each place of the serving board holds, by place. */
  Map<String, Integer> counts() {
    Map<String, Integer> counts = new TreeMap<>();
    for (String place : board(serving).values()) {
      counts.merge(place, 1, Integer::sum);
    }
    return counts;
  }

  /** Each parcel's place from a fresh fold of everything {@code source} holds. */
  static Map<UUID, String> fold(EventSource source, AggregateCatalogue catalogue) {
    Map<UUID, String> places = new TreeMap<>();
    for (AggregateId parcel : catalogue.list("parcel")) {
      STATES
          .build(source.history(parcel))
          .ifPresent(state -> places.put(UUID.fromString(parcel.id()), place(state)));
    }
    return places;
  }

  /** "at depot Lewisham", "on truck J98 257", "delivered" or "delivery failed". */
  static String place(ParcelState state) {
    String status = state.status();
    if (status.startsWith("delivered")) {
      return DELIVERED;
    }
    if (status.startsWith("delivery failed")) {
      return FAILED;
    }
    return status + " " + state.location();
  }
}
