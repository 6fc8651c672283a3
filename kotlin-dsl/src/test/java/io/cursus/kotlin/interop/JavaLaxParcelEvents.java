package io.cursus.kotlin.interop;

import io.cursus.api.HandlesEventsFor;
import io.cursus.api.StreamTimestamp;
import io.cursus.api.Terminal;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A parcel's delivery as a Java interface that, unlike the Kotlin class, allows no destination. */
@HandlesEventsFor("parcel")
public interface JavaLaxParcelEvents {
  @Terminal
  void delivered(StreamTimestamp ts, UUID parcelId, @Nullable String destinationId);
}
