package io.cursus.examples.parcel;

import java.util.ArrayList;
import java.util.List;

/** Where a parcel is and what became of it, built from its history by a {@code StateBuilder}. */
public final class ParcelState {

  private String location;
  private String status;
  private String redirectedTo;
  private boolean finished;
  private final List<String> trail = new ArrayList<>();
  private String signedBy;

  private ParcelState(String depotId) {
    move(depotId, "at depot");
  }

  public static ParcelState receivedAtDepot(String depotId) {
    return new ParcelState(depotId);
  }

  public void loadedOntoTruck(String truckId) {
    move(truckId, "on truck");
  }

  public void arrivedAtDepot(String depotId) {
    move(depotId, "at depot");
  }

  /** Version 2 of the event says who signed; a version-1 delivery reads as "(not recorded)". */
  public void delivered(String destination, String signedBy) {
    move(destination, "delivered to");
    this.signedBy = signedBy;
    finished = true;
  }

  public void deliveryFailed(String reason) {
    status = "delivery failed (" + reason + ") on truck";
    finished = true;
  }

  public void redirected(String destination) {
    redirectedTo = destination;
  }

  /** Whether it was delivered, or its delivery failed: nothing more can be decided for it. */
  public boolean isFinished() {
    return finished;
  }

  private void move(String place, String how) {
    location = place;
    status = how;
    trail.add(place);
  }

  /** Who signed for the delivery; null before it is delivered. */
  public String signedBy() {
    return signedBy;
  }

  public String location() {
    return location;
  }

  /** "at depot", "on truck", "delivered to", or "delivery failed (reason) on truck". */
  public String status() {
    return status;
  }

  @Override
  public String toString() {
    return status
        + " "
        + location
        + (redirectedTo == null ? "" : ", redirected to " + redirectedTo)
        + " (trail: "
        + String.join(" -> ", trail)
        + ")";
  }
}
