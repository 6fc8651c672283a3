package io.cursus.kotlin.interop;

import io.cursus.api.StreamTimestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A Java handler of {@link JavaParcelEvents} that writes down every call it receives. */
public final class RecordingJavaHandler implements JavaParcelEvents {

  private final List<String> calls = new ArrayList<>();

  public List<String> calls() {
    return calls;
  }

  @Override
  public void receivedAtDepot(StreamTimestamp ts, UUID parcelId, String depotId) {
    calls.add(ts + " " + parcelId + " receivedAtDepot " + depotId);
  }

  @Override
  public void loadedOntoTruck(StreamTimestamp ts, UUID parcelId, String truckId) {
    calls.add(ts + " " + parcelId + " loadedOntoTruck " + truckId);
  }

  @Override
  public void arrivedAtDepot(StreamTimestamp ts, UUID parcelId, String depotId) {
    calls.add(ts + " " + parcelId + " arrivedAtDepot " + depotId);
  }

  @Override
  public void delivered(StreamTimestamp ts, UUID parcelId, String destinationId) {
    calls.add(ts + " " + parcelId + " delivered " + destinationId);
  }

  @Override
  public void deliveryFailed(StreamTimestamp ts, UUID parcelId) {
    calls.add(ts + " " + parcelId + " deliveryFailed");
  }
}
