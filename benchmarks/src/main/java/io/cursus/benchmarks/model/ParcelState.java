package io.cursus.benchmarks.model;

import io.cursus.api.StreamTimestamp;

/** A parcel's state: where it is, how many moves it made, whether it was delivered. */
public final class ParcelState {
  private final String parcelId;
  private String location;
  private int moves;
  private boolean delivered;

  public ParcelState(String parcelId, String depotId) {
    this.parcelId = parcelId;
    this.location = depotId;
  }

  /** The factory {@link io.cursus.api.state.StateBuilder} calls for the initial event. */
  public static ParcelState receivedAtDepot(StreamTimestamp ts, String parcelId, String depotId) {
    return new ParcelState(parcelId, depotId);
  }

  public void loadedOntoTruck(String truckId) {
    location = truckId;
    moves++;
  }

  public void arrivedAtDepot(String depotId) {
    location = depotId;
    moves++;
  }

  public void delivered(String destinationId) {
    location = destinationId;
    delivered = true;
  }

  /** {@link #loadedOntoTruck}, {@link #arrivedAtDepot} or {@link #delivered}, for folds. */
  public ParcelState apply(ParcelEvent event) {
    if (event instanceof ParcelEvent.LoadedOntoTruck e) {
      loadedOntoTruck(e.truckId());
    } else if (event instanceof ParcelEvent.ArrivedAtDepot e) {
      arrivedAtDepot(e.depotId());
    } else if (event instanceof ParcelEvent.Delivered e) {
      delivered(e.destinationId());
    }
    return this;
  }

  public String parcelId() {
    return parcelId;
  }

  public String location() {
    return location;
  }

  public int moves() {
    return moves;
  }

  public boolean isDelivered() {
    return delivered;
  }
}
