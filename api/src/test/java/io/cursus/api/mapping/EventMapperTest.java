package io.cursus.api.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.AggregateId;
import io.cursus.api.Event;
import io.cursus.api.EventCharacteristic;
import io.cursus.api.EventType;
import io.cursus.api.Parameters;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.Timestamped;
import io.cursus.api.fixtures.AllTypes;
import io.cursus.api.fixtures.AllTypes.Colour;
import io.cursus.api.fixtures.AllTypes.Dimensions;
import io.cursus.api.fixtures.ParcelEvent;
import io.cursus.api.fixtures.ParcelEvent.Delivered;
import io.cursus.api.fixtures.ParcelEvent.DeliveryFailed;
import io.cursus.api.fixtures.ParcelEvent.ReceivedAtDepot;
import io.cursus.api.fixtures.ParcelEvents;
import java.lang.reflect.ParameterizedType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventMapperTest {

  private static final UUID PARCEL = UUID.fromString("69016fb5-1d6a-4e2c-9a2e-2b1f4c1c0a01");
  private static final StreamTimestamp AT =
      StreamTimestamp.of("depot-1", Instant.parse("2026-03-01T09:00:00Z"));

  @Test
  void interfaceEmitterMakesEventsWithNamedParametersInOrder() {
    List<Event> out = new ArrayList<>();
    ParcelEvents parcel = EventMapper.emitter(ParcelEvents.class, out::add);

    parcel.receivedAtDepot(AT, PARCEL, "Lewisham");

    Event event = out.get(0);
    assertThat(event.aggregateId()).isEqualTo(AggregateId.of("parcel", PARCEL));
    assertThat(event.timestamp()).isEqualTo(AT);
    assertThat(event.type()).isEqualTo(EventType.of("parcel", "receivedAtDepot", "1"));
    assertThat(event.parameters()).isEqualTo(Parameters.of("depotId", "Lewisham"));
    assertThat(event.characteristics()).containsExactly(EventCharacteristic.INITIAL);
    assertThat(event.processingId()).isEmpty();
  }

  @Test
  void handlerReceivesTheCallTheEmitterMade() {
    List<String> calls = new ArrayList<>();
    ParcelEvents handler =
        new ParcelEvents() {
          @Override
          public void receivedAtDepot(StreamTimestamp ts, UUID parcelId, String depotId) {
            calls.add("received " + ts + " " + parcelId + " " + depotId);
          }

          @Override
          public void loadedOntoTruck(StreamTimestamp ts, UUID parcelId, String truckId) {
            calls.add("loaded " + truckId);
          }

          @Override
          public void arrivedAtDepot(StreamTimestamp ts, UUID parcelId, String depotId) {}

          @Override
          public void delivered(StreamTimestamp ts, UUID parcelId, String destinationId) {}

          @Override
          public void deliveryFailed(StreamTimestamp ts, UUID parcelId) {
            calls.add("failed " + parcelId);
          }
        };
    EventDispatcher dispatcher = EventMapper.handler(ParcelEvents.class, handler);
    ParcelEvents emitter = EventMapper.emitter(ParcelEvents.class, dispatcher);

    emitter.receivedAtDepot(AT, PARCEL, "Lewisham");
    emitter.loadedOntoTruck(AT.plus(1, java.time.temporal.ChronoUnit.HOURS), PARCEL, "J98 257");
    emitter.deliveryFailed(AT, PARCEL);

    assertThat(calls)
        .containsExactly(
            "received 2026-03-01T09:00:00Z@depot-1 " + PARCEL + " Lewisham",
            "loaded J98 257",
            "failed " + PARCEL);
  }

  @Test
  void everySupportedParameterTypeRoundTripsWithGenericTypesKept() {
    List<Object[]> received = new ArrayList<>();
    AllTypes handler =
        (ts,
            id,
            text,
            small,
            big,
            real,
            flag,
            boxed,
            uuid,
            instant,
            date,
            money,
            colour,
            dims,
            boxes,
            colours,
            groups,
            due) ->
            received.add(
                new Object[] {
                  text, small, big, real, flag, boxed, uuid, instant, date, money, colour, dims,
                  boxes, colours, groups, due
                });
    AllTypes emitter =
        EventMapper.emitter(AllTypes.class, EventMapper.handler(AllTypes.class, handler));
    UUID uuid = UUID.randomUUID();
    Dimensions dims = new Dimensions(3, 4, Optional.of("cm"));
    Object[] sent = {
      "text",
      7,
      8_000_000_000L,
      2.5,
      true,
      42,
      uuid,
      Instant.parse("2026-01-01T00:00:00Z"),
      LocalDate.of(2026, 2, 3),
      new BigDecimal("12.50"),
      Colour.GREEN,
      dims,
      List.of(dims, new Dimensions(1, 1, Optional.empty())),
      Set.of(Colour.RED),
      Map.of("a", List.of(uuid)),
      Optional.of(LocalDate.of(2027, 1, 1))
    };

    emitter.everything(
        AT,
        "s1",
        "text",
        7,
        8_000_000_000L,
        2.5,
        true,
        42,
        uuid,
        Instant.parse("2026-01-01T00:00:00Z"),
        LocalDate.of(2026, 2, 3),
        new BigDecimal("12.50"),
        Colour.GREEN,
        dims,
        List.of(dims, new Dimensions(1, 1, Optional.empty())),
        Set.of(Colour.RED),
        Map.of("a", List.of(uuid)),
        Optional.of(LocalDate.of(2027, 1, 1)));

    assertThat(received).hasSize(1);
    assertThat(received.get(0)).containsExactly(sent);
    EventSchema schema = EventDeclaration.of(AllTypes.class).events().get(0);
    assertThat(schema.parameter("groups").orElseThrow().type())
        .isInstanceOfSatisfying(
            ParameterizedType.class,
            p ->
                assertThat(p.getTypeName())
                    .isEqualTo("java.util.Map<java.lang.String, java.util.List<java.util.UUID>>"));
  }

  @Test
  void recordsOfASealedFamilyRoundTrip() {
    EventCodec<ParcelEvent> codec = EventMapper.codec(ParcelEvent.class);

    Event event = codec.toEvent(PARCEL, AT, new Delivered("front door"));
    Timestamped<ParcelEvent> back = codec.fromEvent(event);

    assertThat(event.type()).isEqualTo(EventType.of("parcel", "delivered"));
    assertThat(event.isTerminal()).isTrue();
    assertThat(back).isEqualTo(Timestamped.of(AT, new Delivered("front door")));
    assertThat(codec.fromEvent(codec.toEvent(PARCEL, AT, new DeliveryFailed())).event())
        .isEqualTo(new DeliveryFailed());
  }

  @Test
  void interfaceAndRecordDeclarationsReadEachOthersEvents() {
    List<Event> out = new ArrayList<>();
    EventMapper.emitter(ParcelEvents.class, out::add).receivedAtDepot(AT, PARCEL, "Lewisham");
    EventCodec<ParcelEvent> codec = EventMapper.codec(ParcelEvent.class);

    assertThat(codec.fromEvent(out.get(0)).event()).isEqualTo(new ReceivedAtDepot("Lewisham"));

    List<String> seen = new ArrayList<>();
    ParcelEvents handler = recordingHandler(seen);
    EventMapper.handler(ParcelEvents.class, handler)
        .dispatch(codec.toEvent(PARCEL, AT, new Delivered("front door")));
    assertThat(seen).containsExactly("delivered " + PARCEL + " front door");
    assertThat(EventTypeRegistry.of(ParcelEvents.class, ParcelEvent.class).schemas()).hasSize(5);
  }

  @Test
  void handlerPassesOverEventsItDoesNotDeclareUnlessStrict() {
    EventDispatcher dispatcher =
        EventMapper.handler(ParcelEvents.class, recordingHandler(new ArrayList<>()));
    Event other =
        Event.of(
            AggregateId.of("parcel", PARCEL),
            AT,
            EventType.of("parcel", "weighed"),
            Parameters.of("grams", 5));

    assertThat(dispatcher.dispatch(other)).isFalse();
    assertThatThrownBy(() -> dispatcher.strict().accept(other))
        .hasMessageStartingWith("no handler method for weighed_1 parcel/" + PARCEL);
  }

  @Test
  void handlerRejectsParameterOfTheWrongTypeNamingAggregateEventAndField() {
    EventDispatcher dispatcher =
        EventMapper.handler(ParcelEvents.class, recordingHandler(new ArrayList<>()));
    Event wrong =
        Event.of(
            AggregateId.of("parcel", PARCEL),
            AT,
            EventType.of("parcel", "delivered"),
            Parameters.of("destinationId", 12));

    assertThatThrownBy(() -> dispatcher.dispatch(wrong))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "ParcelEvents.delivered: parameter 'destinationId' of parcel/"
                + PARCEL
                + " at 2026-03-01T09:00:00Z@depot-1 is a java.lang.Integer but the declaration"
                + " expects java.lang.String");
  }

  @Test
  void handlerRejectsAnIdThatIsNotOfTheDeclaredType() {
    EventDispatcher dispatcher =
        EventMapper.handler(ParcelEvents.class, recordingHandler(new ArrayList<>()));
    Event wrong =
        Event.of(
            AggregateId.of("parcel", "not-a-uuid"),
            AT,
            EventType.of("parcel", "deliveryFailed"),
            Parameters.none());

    assertThatThrownBy(() -> dispatcher.dispatch(wrong))
        .hasMessage("ParcelEvents.deliveryFailed: aggregate id 'not-a-uuid' is not a valid UUID");
  }

  @Test
  void emitterRejectsNullTimestampAndNullId() {
    ParcelEvents parcel = EventMapper.emitter(ParcelEvents.class, e -> {});

    assertThatThrownBy(() -> parcel.delivered(null, PARCEL, "x"))
        .hasMessage("ParcelEvents.delivered: stream timestamp must not be null");
    assertThatThrownBy(() -> parcel.delivered(AT, null, "x"))
        .hasMessage("ParcelEvents.delivered: aggregate id must not be null");
  }

  @Test
  void emitterRejectsNullOptional() {
    AllTypes emitter = EventMapper.emitter(AllTypes.class, e -> {});

    assertThatThrownBy(
            () ->
                emitter.everything(
                    AT,
                    "s1",
                    "t",
                    1,
                    1L,
                    1.0,
                    true,
                    1,
                    UUID.randomUUID(),
                    Instant.EPOCH,
                    LocalDate.EPOCH,
                    BigDecimal.ONE,
                    Colour.RED,
                    new Dimensions(1, 1, Optional.empty()),
                    List.of(),
                    Set.of(),
                    Map.of(),
                    null))
        .hasMessage(
            "AllTypes.everything: parameter 'due' is an Optional and must not be null; pass"
                + " Optional.empty()");
  }

  @Test
  void codecRejectsEventsOfAnotherFamily() {
    EventCodec<ParcelEvent> codec = EventMapper.codec(ParcelEvent.class);
    Event foreign =
        Event.of(
            AggregateId.of("parcel", "p"),
            AT,
            EventType.of("parcel", "weighed", "2"),
            Parameters.none());

    assertThatThrownBy(() -> codec.fromEvent(foreign))
        .hasMessageStartingWith(
            "ParcelEvent does not declare event parcel/weighed_2 (of parcel/p)");
  }

  static ParcelEvents recordingHandler(List<String> seen) {
    return new ParcelEvents() {
      @Override
      public void receivedAtDepot(StreamTimestamp ts, UUID parcelId, String depotId) {
        seen.add("received " + parcelId + " " + depotId);
      }

      @Override
      public void loadedOntoTruck(StreamTimestamp ts, UUID parcelId, String truckId) {
        seen.add("loaded " + parcelId + " " + truckId);
      }

      @Override
      public void arrivedAtDepot(StreamTimestamp ts, UUID parcelId, String depotId) {
        seen.add("arrived " + parcelId + " " + depotId);
      }

      @Override
      public void delivered(StreamTimestamp ts, UUID parcelId, String destinationId) {
        seen.add("delivered " + parcelId + " " + destinationId);
      }

      @Override
      public void deliveryFailed(StreamTimestamp ts, UUID parcelId) {
        seen.add("failed " + parcelId);
      }
    };
  }
}
