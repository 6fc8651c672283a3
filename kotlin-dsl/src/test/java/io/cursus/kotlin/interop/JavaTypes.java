package io.cursus.kotlin.interop;

import io.cursus.kotlin.Colour;
import io.cursus.kotlin.Dimensions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The Java spelling of the Kotlin types in {@code ShipmentEvent.Registered}: javac's generic types
 * for its components are what the Kotlin introspector must produce.
 */
public record JavaTypes(
    int count,
    Integer maybeCount,
    String label,
    List<Integer> numbers,
    List<Dimensions> boxes,
    Map<String, List<UUID>> groups,
    Set<Colour> colours) {}
