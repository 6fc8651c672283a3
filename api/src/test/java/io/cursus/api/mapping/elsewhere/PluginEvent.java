package io.cursus.api.mapping.elsewhere;

import io.cursus.api.HandlesEventsFor;
import io.cursus.api.Initial;

/** A public family, which tests also load in a loader of its own, as a plug-in's. */
@HandlesEventsFor("plugin")
public sealed interface PluginEvent {
  @Initial
  record Installed(String by, int version) implements PluginEvent {}
}
