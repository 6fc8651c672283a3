package io.cursus.api.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.HandlesEventsFor;
import io.cursus.api.Initial;
import io.cursus.api.Name;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.Version;
import io.cursus.api.fixtures.ParcelEvents;
import io.cursus.api.state.StateBuilder;
import java.io.File;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every rule a declaration can break is reported when it is mapped, naming the culprit. */
class DeclarationRulesTest {

  interface NotAnnotated {
    void happened(StreamTimestamp ts, String id);
  }

  @HandlesEventsFor("thing")
  interface ReturnsValue {
    String happened(StreamTimestamp ts, String id);
  }

  @HandlesEventsFor("thing")
  interface InstantFirst {
    void happened(Instant ts, String id);
  }

  @HandlesEventsFor("thing")
  interface NoId {
    void happened(StreamTimestamp ts);
  }

  @HandlesEventsFor("thing")
  interface BadIdType {
    void happened(StreamTimestamp ts, Instant id);
  }

  @HandlesEventsFor("thing")
  interface UnsupportedParameter {
    void happened(StreamTimestamp ts, String id, File file);
  }

  @HandlesEventsFor("thing")
  interface RawList {
    @SuppressWarnings("rawtypes")
    void happened(StreamTimestamp ts, String id, List items);
  }

  @HandlesEventsFor("thing")
  interface Wildcard {
    void happened(StreamTimestamp ts, String id, List<? extends Number> items);
  }

  @HandlesEventsFor("thing")
  interface BadMapKey {
    void happened(StreamTimestamp ts, String id, Map<Instant, String> byTime);
  }

  @HandlesEventsFor("thing")
  interface ArrayParameter {
    void happened(StreamTimestamp ts, String id, String[] names);
  }

  @HandlesEventsFor("thing")
  interface DuplicateName {
    void happened(StreamTimestamp ts, String id);

    @Name("happened")
    void alsoHappened(StreamTimestamp ts, String id);
  }

  @HandlesEventsFor("thing")
  interface SameNameOtherVersion {
    void happened(StreamTimestamp ts, String id);

    @Name("happened")
    @Version("2")
    void happenedV2(StreamTimestamp ts, String id, String why);
  }

  @HandlesEventsFor("thing")
  interface DuplicateParameterName {
    void happened(StreamTimestamp ts, String id, String a, @Name("a") String b);
  }

  @HandlesEventsFor("thing")
  interface NoEvents {
    default void helper() {}
  }

  @HandlesEventsFor("  ")
  interface BlankType {
    void happened(StreamTimestamp ts, String id);
  }

  @HandlesEventsFor("thing")
  interface GenericMethod {
    <T> void happened(StreamTimestamp ts, String id, List<T> items);
  }

  @HandlesEventsFor("thing")
  record NotAnInterface(String x) {}

  @HandlesEventsFor("thing")
  sealed interface FamilyWithClass permits Good, NotARecord {}

  record Good(String x) implements FamilyWithClass {}

  static final class NotARecord implements FamilyWithClass {}

  record Holder(File file) {}

  @HandlesEventsFor("thing")
  sealed interface FamilyWithBadComponent permits BadComponent {}

  record BadComponent(Holder holder) implements FamilyWithBadComponent {}

  @Test
  void declarationMustBeAnnotated() {
    assertRejected(NotAnnotated.class, "must be annotated @HandlesEventsFor(\"type\")");
    assertRejected(BlankType.class, "@HandlesEventsFor must name an aggregate type, was blank");
  }

  @Test
  void eventMethodMustReturnVoid() {
    assertRejected(
        ReturnsValue.class,
        "ReturnsValue.happened: an event method must return void, was java.lang.String");
  }

  @Test
  void firstParameterMustBeStreamTimestamp() {
    assertRejected(
        InstantFirst.class,
        "InstantFirst.happened: first parameter must be StreamTimestamp, was Instant");
  }

  @Test
  void aggregateIdMustBePresentAndOfAnIdType() {
    assertRejected(
        NoId.class, "NoId.happened: an event method needs a StreamTimestamp and an aggregate id");
    assertRejected(
        BadIdType.class,
        "BadIdType.happened: second parameter is the aggregate id and must be String, UUID, long or"
            + " int, was java.time.Instant");
  }

  @Test
  void parameterTypesMustBeSupported() {
    assertRejected(
        UnsupportedParameter.class,
        "UnsupportedParameter.happened: parameter 'file' is java.io.File, which is not supported");
    assertRejected(
        RawList.class,
        "RawList.happened: parameter 'items' is a raw List; give its type arguments");
    assertRejected(
        Wildcard.class,
        "Wildcard.happened: parameter 'items' its element type uses the wildcard ? extends java.lang.Number");
    assertRejected(
        BadMapKey.class,
        "BadMapKey.happened: parameter 'byTime' has the map key type java.time.Instant");
    assertRejected(
        ArrayParameter.class,
        "ArrayParameter.happened: parameter 'names' is the array java.lang.String[]; use a List instead");
    assertRejected(
        GenericMethod.class, "GenericMethod.happened: an event method must not be generic");
  }

  @Test
  void eventNamesMustBeUniquePerVersion() {
    assertRejected(
        DuplicateName.class,
        "DuplicateName.happened: event 'happened' version 1 is already declared by DuplicateName.alsoHappened");
    assertThat(EventDeclaration.of(SameNameOtherVersion.class).events()).hasSize(2);
  }

  @Test
  void parameterNamesMustBeUnique() {
    assertRejected(
        DuplicateParameterName.class,
        "DuplicateParameterName.happened: parameter name 'a' is used twice");
  }

  @Test
  void declarationMustDeclareEvents() {
    assertRejected(NoEvents.class, "declares no events (no abstract methods)");
  }

  @Test
  void familiesMustBeSealedInterfacesOfRecords() {
    assertRejected(NotAnInterface.class, "an event declaration must be an interface");
    assertRejected(
        FamilyWithClass.class,
        "FamilyWithClass.NotARecord: every permitted subtype of a sealed event interface must be a record");
    assertRejected(
        FamilyWithBadComponent.class,
        "FamilyWithBadComponent.BadComponent: parameter 'holder' is Holder whose component 'file' is java.io.File");
  }

  @Test
  void registryRejectsTwoDeclarationsThatDisagreeOnAnEvent() {
    assertThatThrownBy(() -> EventTypeRegistry.of(Clash1.class, Clash2.class))
        .isInstanceOf(DeclarationException.class)
        .hasMessageContaining("event thing/happened_1 is declared differently by Clash1")
        .hasMessageContaining("and by Clash2");
  }

  @HandlesEventsFor("thing")
  interface Clash1 {
    void happened(StreamTimestamp ts, String id, String why);
  }

  @HandlesEventsFor("thing")
  interface Clash2 {
    void happened(StreamTimestamp ts, String id, int why);
  }

  public static final class NoFactory {
    public void loadedOntoTruck(String truckId) {}
  }

  public static final class FactoryForNonInitial {
    public static FactoryForNonInitial loadedOntoTruck(String truckId) {
      return new FactoryForNonInitial();
    }
  }

  public static final class WrongParameters {
    public static WrongParameters receivedAtDepot(UUID depotId) {
      return new WrongParameters();
    }
  }

  public static final class WrongReturn {
    public static WrongReturn receivedAtDepot(String depotId) {
      return new WrongReturn();
    }

    public String delivered(String destinationId) {
      return destinationId;
    }
  }

  @Test
  void stateClassesAreCheckedWhenMapped() {
    assertThatThrownBy(() -> StateBuilder.of(NoFactory.class, ParcelEvents.class))
        .isInstanceOf(DeclarationException.class)
        .hasMessage(
            "NoFactory: has no public static factory method for an @Initial event of ParcelEvents, so no state can be built");
    assertThatThrownBy(() -> StateBuilder.of(FactoryForNonInitial.class, ParcelEvents.class))
        .hasMessageStartingWith(
            "FactoryForNonInitial.loadedOntoTruck: a static factory must handle an @Initial event");
    assertThatThrownBy(() -> StateBuilder.of(WrongParameters.class, ParcelEvents.class))
        .hasMessageStartingWith(
            "WrongParameters.receivedAtDepot: parameters must be [java.lang.String]");
    assertThatThrownBy(() -> StateBuilder.of(WrongReturn.class, ParcelEvents.class))
        .hasMessage(
            "WrongReturn.delivered: an update method must return void or WrongReturn, returns String");
  }

  @Test
  void wrongKindOfDeclarationForTheCallIsNamed() {
    assertThatThrownBy(() -> EventMapper.codec(ParcelEvents.class))
        .isInstanceOf(DeclarationException.class)
        .hasMessageContaining("is an event interface; use EventMapper.emitter/handler");
    assertThatThrownBy(() -> EventMapper.emitter(Initial.class, e -> {}))
        .isInstanceOf(DeclarationException.class)
        .hasMessageContaining("must be annotated @HandlesEventsFor");
  }

  private static void assertRejected(Class<?> declaration, String message) {
    assertThatThrownBy(() -> EventDeclaration.of(declaration))
        .isInstanceOf(DeclarationException.class)
        .hasMessageContaining(message);
  }
}
