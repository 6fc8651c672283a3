package io.cursus.cassandra;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Sixteen writers race a thousand times on the shared single-node Cassandra. */
@Tag("heavy") // runs in the heavy profile: docs/reliability.md
class CassandraDecisionRaceIT {

  @Test
  void ofSixteenWritersRacingToReserveAnAggregateExactlyOneWinsEveryTime() throws Exception {
    DecisionRace.Outcome outcome =
        DecisionRace.run(
            SharedCassandra.store(), SharedCassandra.store(), DecisionRace.rounds(), 16);

    System.out.println("one node: " + outcome);
  }
}
