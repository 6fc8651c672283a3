package io.cursus.kotlin

import io.cursus.api.EventCharacteristic.INITIAL
import io.cursus.api.EventCharacteristic.TERMINAL
import io.cursus.api.EventType
import io.cursus.api.HandlesEventsFor
import io.cursus.api.mapping.DeclarationException
import io.cursus.api.mapping.EventDeclaration
import io.cursus.api.mapping.EventTypeRegistry
import io.cursus.api.mapping.ParameterSchema
import io.cursus.kotlin.internal.JavaParameterizedType
import io.cursus.kotlin.internal.KotlinFamilyIntrospector
import io.cursus.kotlin.interop.JavaParcelEvents
import io.cursus.kotlin.interop.JavaParcelRecord
import io.cursus.kotlin.interop.JavaTypes
import java.lang.reflect.ParameterizedType
import java.math.BigDecimal
import java.time.Instant
import java.time.LocalDate
import java.util.UUID
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatThrownBy
import org.junit.jupiter.api.Test

class KotlinFamilyMappingTest {

  @Test
  fun mapsTheLeavesOfASealedClassToEventsThroughTheCore() {
    val declaration = EventDeclaration.of(ParcelEvent::class.java)

    assertThat(declaration.kind()).isEqualTo(EventDeclaration.Kind.FAMILY)
    assertThat(declaration.aggregateType()).isEqualTo("parcel")
    assertThat(declaration.events().map { it.type().name() to it.characteristics() })
      .containsExactlyInAnyOrder(
        "receivedAtDepot" to setOf(INITIAL),
        "loadedOntoTruck" to setOf(),
        "arrivedAtDepot" to setOf(),
        "delivered" to setOf(TERMINAL),
        "deliveryFailed" to setOf(TERMINAL),
      )
    assertThat(declaration.schema(EventType.of("parcel", "delivered")).orElseThrow().parameters())
      .containsExactly(ParameterSchema("destinationId", String::class.java))
    assertThat(
        declaration.schema(EventType.of("parcel", "deliveryFailed")).orElseThrow().parameters()
      )
      .isEmpty()
  }

  @Test
  fun listsLeavesOfNestedSealedLevelsInAStableOrder() {
    val members = KotlinFamilyIntrospector().members(ShipmentEvent::class.java)

    assertThat(members)
      .containsExactlyInAnyOrder(
        ShipmentEvent.Registered::class.java,
        ShipmentEvent.Priced::class.java,
        ShipmentEvent.Noted::class.java,
        ShipmentEvent.LabelChanged::class.java,
        ShipmentEvent.Closed.Cancelled::class.java,
        ShipmentEvent.Closed.Lost::class.java,
      )
    assertThat(KotlinFamilyIntrospector().members(ShipmentEvent::class.java)).isEqualTo(members)
  }

  @Test
  fun honoursNameAndVersionAndParameterOrder() {
    val declaration = EventDeclaration.of(ShipmentEvent::class.java)

    val priced = declaration.schema(EventType.of("shipment", "priced")).orElseThrow()
    assertThat(priced.parameters())
      .containsExactly(
        ParameterSchema("amount", BigDecimal::class.java),
        ParameterSchema("currency", String::class.java),
        ParameterSchema("due", LocalDate::class.java, true),
        ParameterSchema("weightKg", Double::class.javaPrimitiveType!!),
        ParameterSchema("fragile", Boolean::class.javaPrimitiveType!!),
        ParameterSchema("quotedAt", Instant::class.java),
        ParameterSchema("reference", Long::class.javaPrimitiveType!!),
      )
    assertThat(declaration.schema(EventType.of("shipment", "relabelled", "2"))).isPresent
    assertThat(declaration.schema(EventType.of("shipment", "labelChanged"))).isEmpty
    assertThat(declaration.schema(EventType.of("shipment", "lost")).orElseThrow().characteristics())
      .containsExactly(TERMINAL)
  }

  @Test
  fun kotlinTypesBecomeTheJavaTypesJavacWrites() {
    val shape = KotlinFamilyIntrospector().shape(ShipmentEvent.Registered::class.java)
    val javaTypes = JavaTypes::class.java.recordComponents

    assertThat(shape.properties().map { it.name() }).isEqualTo(javaTypes.map { it.name })
    for ((property, component) in shape.properties().zip(javaTypes)) {
      // Both directions: our types equal the JDK's, and the JDK's equal ours, with equal hashes.
      assertThat(property.type()).describedAs(property.name()).isEqualTo(component.genericType)
      assertThat(component.genericType).describedAs(property.name()).isEqualTo(property.type())
      assertThat(property.type().hashCode())
        .describedAs(property.name())
        .isEqualTo(component.genericType.hashCode())
      assertThat(property.type().typeName).isEqualTo(component.genericType.typeName)
    }
    val groups = shape.properties().single { it.name() == "groups" }.type() as ParameterizedType
    assertThat(groups).isInstanceOf(JavaParameterizedType::class.java)
    assertThat(groups.typeName)
      .isEqualTo("java.util.Map<java.lang.String, java.util.List<java.util.UUID>>")
  }

  @Test
  fun nullabilityComesFromTheKotlinType() {
    val shape = KotlinFamilyIntrospector().shape(ShipmentEvent.Registered::class.java)

    assertThat(shape.properties().associate { it.name() to it.nullable() })
      .containsExactlyEntriesOf(
        linkedMapOf(
          "count" to false,
          "maybeCount" to true,
          "label" to false,
          "numbers" to false,
          "boxes" to false,
          "groups" to false,
          "colours" to false,
        )
      )
  }

  @Test
  fun dataClassesAreDescribedAsParameterValues() {
    val shape = KotlinFamilyIntrospector().valueShape(Dimensions::class.java).orElseThrow()

    assertThat(shape.properties().map { it.name() to it.type() })
      .containsExactly(
        "width" to Int::class.javaPrimitiveType!!,
        "height" to Int::class.javaPrimitiveType!!,
        "unit" to String::class.java,
      )
    assertThat(shape.factory().apply(arrayOf(2, 3, null))).isEqualTo(Dimensions(2, 3, null))
    assertThat(KotlinFamilyIntrospector().valueShape(String::class.java)).isEmpty
    assertThat(KotlinFamilyIntrospector().valueShape(Colour::class.java)).isEmpty
  }

  @Test
  fun kotlinJavaInterfaceAndJavaRecordsDeclareTheSameEvents() {
    val registry =
      EventTypeRegistry.of(
        JavaParcelEvents::class.java,
        ParcelEvent::class.java,
        JavaParcelRecord::class.java,
      )

    assertThat(registry.schemas()).hasSize(5)
    val kotlin = EventDeclaration.of(ParcelEvent::class.java).events().associateBy { it.type() }
    for (java in EventDeclaration.of(JavaParcelEvents::class.java).events()) {
      assertThat(kotlin[java.type()]!!.sameShapeAs(java)).describedAs(java.type().toString()).isTrue
    }
  }

  @Test
  fun registryRejectsAKotlinFamilyThatDisagreesWithTheJavaInterface() {
    assertThatThrownBy {
        EventTypeRegistry.of(JavaParcelEvents::class.java, OtherParcel::class.java)
      }
      .isInstanceOf(DeclarationException::class.java)
      .hasMessage(
        "event parcel/delivered_1 is declared differently by JavaParcelEvents" +
          " [destinationId: java.lang.String][TERMINAL] and by OtherParcel" +
          " [destinationId: java.util.UUID][TERMINAL]"
      )
  }

  @HandlesEventsFor("parcel")
  sealed class OtherParcel {
    @io.cursus.api.Terminal data class Delivered(val destinationId: UUID) : OtherParcel()
  }
}
