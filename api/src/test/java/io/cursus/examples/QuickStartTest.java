package io.cursus.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class QuickStartTest {

  @Test
  void printsTheHistoryOnceEachInEventTimeOrder() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    QuickStart.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\\R");

    assertThat(lines).hasSize(3);
    String parcel = "parcel/69016fb5-0000-4000-8000-000000000001";
    assertThat(lines[0])
        .startsWith(
            "receivedAtDepot_1 "
                + parcel
                + " at 2026-11-22T09:00:00Z@depot-1 {depotId=Lewisham} [INITIAL] (processed ");
    assertThat(lines[1])
        .startsWith(
            "loadedOntoTruck_1 " + parcel + " at 2026-11-22T09:10:00Z@depot-1 {truckId=J98 257}");
    assertThat(lines[2])
        .startsWith(
            "delivered_1 "
                + parcel
                + " at 2026-11-22T11:00:00Z@truck-7 {destinationId=Mr Smith} [TERMINAL]");
  }
}
