package io.cursus.api.projection;

/**
 * A parcel state class that refuses to load a parcel onto the truck {@link #refused}, as a state
 * class with a bug (or a rule it should not enforce) would.
 */
public final class RefusingParcelState {

  /** The truck this state class refuses; null refuses none. */
  static volatile String refused;

  private String location;

  private RefusingParcelState(String depotId) {
    this.location = depotId;
  }

  public static RefusingParcelState receivedAtDepot(String depotId) {
    return new RefusingParcelState(depotId);
  }

  public void loadedOntoTruck(String truckId) {
    if (truckId.equals(refused)) {
      throw new IllegalStateException("truck " + truckId + " is not allowed");
    }
    location = truckId;
  }

  public String location() {
    return location;
  }
}
