package io.cursus.api.state.elsewhere;

import io.cursus.api.HandlesEventsFor;
import io.cursus.api.Initial;
import io.cursus.api.StreamTimestamp;

/** Events of zero to seven parameters, for state methods of every arity. */
@HandlesEventsFor("tally")
public interface TallyEvents {
  @Initial
  void e0(StreamTimestamp ts, String tallyId);

  void e1(StreamTimestamp ts, String tallyId, int a);

  void e2(StreamTimestamp ts, String tallyId, int a, int b);

  void e3(StreamTimestamp ts, String tallyId, int a, int b, int c);

  void e4(StreamTimestamp ts, String tallyId, int a, int b, int c, int d);

  void e5(StreamTimestamp ts, String tallyId, int a, int b, int c, int d, int e);

  @Initial
  void e6(StreamTimestamp ts, String tallyId, int a, int b, int c, int d, int e, int f);

  @Initial
  void e7(StreamTimestamp ts, String tallyId, int a, int b, int c, int d, int e, int f, int g);
}
