package io.cursus.benchmarks.jmh;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.Parameters;
import io.cursus.api.ProcessingIds;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.Timestamped;
import io.cursus.api.bus.EventBus;
import io.cursus.api.mapping.EventCodec;
import io.cursus.api.mapping.EventMapper;
import io.cursus.api.state.StateBuilder;
import io.cursus.api.state.StateFold;
import io.cursus.benchmarks.kotlin.KotlinEmit;
import io.cursus.benchmarks.model.ParcelEvent;
import io.cursus.benchmarks.model.ParcelEvents;
import io.cursus.benchmarks.model.ParcelState;
import io.cursus.benchmarks.model.Parcels;
import io.cursus.json.EventJson;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * B5: Cursus's in-JVM paths against the same work done by hand. Each Cursus benchmark has a
 * baseline named in {@link io.cursus.benchmarks.JmhBenchmarks}; both sides produce the same value
 * (checked by the module's unit test), so the ratio is the cost of the abstraction.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class InJvmBenchmarks {

  static final String PARCEL = "parcel-42";
  static final String TRUCK = "truck-7";
  static final StreamTimestamp AT = StreamTimestamp.of(Parcels.STREAM, Parcels.T0);

  private Object sink;
  private ParcelEvents emitter;
  private EventCodec<ParcelEvent> codec;
  private EventBus bus;
  private EventJson json;
  private Event captured;
  private ObjectMapper jackson;
  private PlainEnvelope plain;
  private List<Event> history;
  private StateBuilder<ParcelState> stateBuilder;
  private StateFold<ParcelState, ParcelEvent> stateFold;

  @Setup
  public void setUp() {
    emitter = EventMapper.emitter(ParcelEvents.class, e -> sink = e);
    codec = EventMapper.codec(ParcelEvent.class);
    bus = EventBus.to(batch -> sink = batch);
    json = EventJson.using(Parcels.REGISTRY);
    captured = Parcels.event(PARCEL, 1).withProcessingId(ProcessingIds.next());
    jackson = new ObjectMapper();
    plain = plainOf(captured);
    history = Parcels.history(PARCEL, 1000);
    stateBuilder = StateBuilder.of(ParcelState.class, ParcelEvents.class);
    stateFold = stateFold();
  }

  // --- emit: a typed call becomes an Event ---------------------------------------------------

  @Benchmark
  public Object emitInterfaceProxy() {
    emitter.loadedOntoTruck(AT, PARCEL, TRUCK);
    return sink;
  }

  @Benchmark
  public Object emitRecord() {
    return codec.toEvent(PARCEL, AT, new ParcelEvent.LoadedOntoTruck(TRUCK));
  }

  @Benchmark
  public Object emitByHand() {
    return byHand();
  }

  @Benchmark
  public Object emitKotlinThroughBus() {
    KotlinEmit.loadedOntoTruck(bus, PARCEL, AT, TRUCK);
    return sink;
  }

  @Benchmark
  public Object dispatchByHandThroughBus() {
    bus.dispatch(byHand());
    return sink;
  }

  // --- JSON round trip -------------------------------------------------------------------------

  @Benchmark
  public Event jsonRoundTripEventJson() {
    return json.read(json.write(captured));
  }

  @Benchmark
  public PlainEnvelope jsonRoundTripPlainJackson() throws IOException {
    return jackson.readValue(jackson.writeValueAsBytes(plain), PlainEnvelope.class);
  }

  // --- state of a 1,000-event history --------------------------------------------------------

  @Benchmark
  public ParcelState stateBuilder1000() {
    return stateBuilder.build(history).orElseThrow();
  }

  @Benchmark
  public ParcelState stateFold1000() {
    return stateFold.build(history).orElseThrow();
  }

  @Benchmark
  public ParcelState stateByHand1000() {
    return byHandState(history);
  }

  @Benchmark
  public ParcelState stateFoldByHand1000() {
    return byHandFold(history);
  }

  // --- the baselines, shared with the unit test ----------------------------------------------

  static Event byHand() {
    return Event.of(
        AggregateId.of(Parcels.TYPE, PARCEL), AT, Parcels.LOADED, Parameters.of("truckId", TRUCK));
  }

  static StateFold<ParcelState, ParcelEvent> stateFold() {
    return StateFold.of(
        ParcelEvent.class,
        (Timestamped<ParcelEvent> first) ->
            new ParcelState(PARCEL, ((ParcelEvent.ReceivedAtDepot) first.event()).depotId()),
        (state, next) -> state.apply(next.event()));
  }

  /** What a developer would write without Cursus: a loop over the (already ordered) history. */
  static ParcelState byHandState(List<Event> history) {
    ParcelState state = null;
    for (Event event : history) {
      switch (event.type().name()) {
        case "receivedAtDepot" ->
            state =
                new ParcelState(
                    event.aggregateId().id(), (String) event.parameters().get("depotId"));
        case "loadedOntoTruck" -> state.loadedOntoTruck((String) event.parameters().get("truckId"));
        case "arrivedAtDepot" -> state.arrivedAtDepot((String) event.parameters().get("depotId"));
        case "delivered" -> state.delivered((String) event.parameters().get("destinationId"));
        default -> {}
      }
    }
    return state;
  }

  /**
   * What a developer would write to fold typed events without Cursus: each event made into the
   * family's record by hand, then the same update as {@link #stateFold()}'s.
   */
  static ParcelState byHandFold(List<Event> history) {
    ParcelState state = null;
    for (Event event : history) {
      Parameters parameters = event.parameters();
      ParcelEvent typed =
          switch (event.type().name()) {
            case "receivedAtDepot" ->
                new ParcelEvent.ReceivedAtDepot((String) parameters.get("depotId"));
            case "loadedOntoTruck" ->
                new ParcelEvent.LoadedOntoTruck((String) parameters.get("truckId"));
            case "arrivedAtDepot" ->
                new ParcelEvent.ArrivedAtDepot((String) parameters.get("depotId"));
            case "delivered" -> new ParcelEvent.Delivered((String) parameters.get("destinationId"));
            default -> null;
          };
      if (typed == null) {
        continue;
      }
      if (state != null) {
        state = state.apply(typed);
      } else if (typed instanceof ParcelEvent.ReceivedAtDepot first) {
        state = new ParcelState(PARCEL, first.depotId());
      }
    }
    return state;
  }

  static PlainEnvelope plainOf(Event event) {
    return new PlainEnvelope(
        1,
        event.aggregateId().type(),
        event.aggregateId().id(),
        event.eventTime().toString(),
        event.timestamp().streamId(),
        event.type().name(),
        event.type().version(),
        event.characteristics().stream().map(Enum::name).toList(),
        event.processingId().orElseThrow(),
        new PlainEnvelope.Parameters((String) event.parameters().get("truckId")));
  }
}
