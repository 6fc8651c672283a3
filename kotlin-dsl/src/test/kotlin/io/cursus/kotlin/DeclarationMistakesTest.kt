package io.cursus.kotlin

import io.cursus.api.HandlesEventsFor
import io.cursus.api.Name
import io.cursus.api.StreamTimestamp
import io.cursus.api.bus.EventBus
import io.cursus.api.mapping.DeclarationException
import io.cursus.api.mapping.EventMapper
import io.cursus.api.memory.InMemoryEventStore
import java.io.File
import java.time.Instant
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatThrownBy
import org.assertj.core.api.ThrowableAssert.ThrowingCallable
import org.junit.jupiter.api.Test

class DeclarationMistakesTest {

  @HandlesEventsFor("mistake") open class NotSealed

  @HandlesEventsFor("mistake") abstract class AbstractNotSealed

  @HandlesEventsFor("mistake") sealed class NoEvents

  @HandlesEventsFor("mistake")
  sealed class ParameterNotProperty {
    class Weighed(grams: Int) : ParameterNotProperty() {
      val kilograms: Double = grams / 1000.0
    }
  }

  @HandlesEventsFor("mistake")
  sealed class NoPrimaryConstructor {
    class Secondary : NoPrimaryConstructor {
      constructor(note: String) : super() {
        check(note.isNotEmpty())
      }
    }
  }

  @HandlesEventsFor("mistake")
  sealed class DuplicateName {
    @Name("same") data class First(val a: String) : DuplicateName()

    @Name("same") data class Second(val b: String) : DuplicateName()
  }

  @HandlesEventsFor("mistake")
  sealed class UnsupportedType {
    data class WithFile(val file: File) : UnsupportedType()
  }

  @HandlesEventsFor("mistake")
  sealed class WildcardType {
    data class Projected(val items: MutableList<out Number>) : WildcardType()
  }

  @HandlesEventsFor("mistake")
  sealed class UnsupportedValue {
    data class Boxed(val box: Box) : UnsupportedValue()
  }

  data class Box(val contents: Any)

  @HandlesEventsFor("mistake") sealed interface WithEnum

  enum class Constants : WithEnum {
    ONE
  }

  @Test
  fun aClassThatIsNotSealedIsRefused() {
    assertRefused(
      NotSealed::class.java,
      "io.cursus.kotlin.DeclarationMistakesTest\$NotSealed: a Kotlin event family must be a sealed" +
        " class or sealed interface, so that all its events are known; it is an open class",
    )
    assertRefused(
      AbstractNotSealed::class.java,
      "io.cursus.kotlin.DeclarationMistakesTest\$AbstractNotSealed: a Kotlin event family must be a" +
        " sealed class or sealed interface, so that all its events are known; it is an abstract class",
    )
  }

  @Test
  fun aSealedClassWithoutEventsIsRefused() {
    assertRefused(
      NoEvents::class.java,
      "io.cursus.kotlin.DeclarationMistakesTest\$NoEvents: a sealed event family needs at least" +
        " one subclass that is an event; it has none",
    )
  }

  @Test
  fun aConstructorParameterThatIsNotAPropertyIsRefused() {
    assertRefused(
      ParameterNotProperty::class.java,
      "ParameterNotProperty.Weighed: an event must be an object, or a class whose primary" +
        " constructor parameters are all properties (val); constructor parameter 'grams' is not a" +
        " property",
    )
  }

  @Test
  fun aSubclassWithoutAPrimaryConstructorIsRefused() {
    assertRefused(
      NoPrimaryConstructor::class.java,
      "NoPrimaryConstructor.Secondary: an event must be an object, or a class whose primary" +
        " constructor parameters are all properties (val); it has no primary constructor",
    )
  }

  @Test
  fun anEnumIsRefused() {
    assertRefused(
      WithEnum::class.java,
      "WithEnum.Constants: an event must be an object, or a class whose primary constructor" +
        " parameters are all properties (val); it is an enum class; declare an object per" +
        " constant instead",
    )
  }

  @Test
  fun aDuplicateEventNameIsRefusedByTheCore() {
    assertRefused(
      DuplicateName::class.java,
      "DuplicateName.Second: event 'same' version 1 is already declared by DuplicateName.First;" +
        " give one a different @Name or @Version",
    )
  }

  @Test
  fun anUnsupportedPropertyTypeIsRefusedByTheCore() {
    assertRefused(
      UnsupportedType::class.java,
      "UnsupportedType.WithFile: parameter 'file' is java.io.File, which is not supported;" +
        " supported: String, primitives and their boxes, UUID, Instant, LocalDate, LocalDateTime," +
        " Duration, BigDecimal, BigInteger, enums, records, and List/Set/Map/Optional of these",
    )
    assertRefused(
      WildcardType::class.java,
      "WildcardType.Projected: parameter 'items' its element type uses the wildcard ? extends" +
        " java.lang.Number; give an exact type such as List<String>",
    )
    assertRefused(
      UnsupportedValue::class.java,
      "UnsupportedValue.Boxed: parameter 'box' is Box whose component 'contents' is" +
        " java.lang.Object, which is not supported; supported: String, primitives and their boxes," +
        " UUID, Instant, LocalDate, LocalDateTime, Duration, BigDecimal, BigInteger, enums," +
        " records, and List/Set/Map/Optional of these",
    )
  }

  @Test
  fun aMistakeFailsWhenTheFirstEventIsDispatchedAndNothingIsWritten() {
    val store = InMemoryEventStore.empty()
    val event = DuplicateName.First("a") at StreamTimestamp.of(Instant.EPOCH)

    assertThatThrownBy { EventBus.writingTo(store).dispatchTo("id-1", event) }
      .isInstanceOf(DeclarationException::class.java)
      .hasMessageStartingWith("DuplicateName.Second: event 'same' version 1 is already declared")
    assertThat(store.size()).isZero()
  }

  private fun assertRefused(family: Class<*>, message: String) {
    val map = ThrowingCallable { EventMapper.codec(family) }
    assertThatThrownBy(map).isInstanceOf(DeclarationException::class.java).hasMessage(message)
  }
}
