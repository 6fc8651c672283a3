/**
 * JSON for events, with Jackson: {@link io.cursus.json.ParameterCodec} writes parameters and reads
 * them back as their declared types (stores use it), {@link io.cursus.json.EventJson} writes and
 * reads whole events as envelopes (the Kafka buffer uses it). No type names ever come from the
 * wire; {@link io.cursus.json.JsonMappers#strict()} is the configuration both use.
 */
@NullMarked
package io.cursus.json;

import org.jspecify.annotations.NullMarked;
