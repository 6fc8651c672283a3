/**
 * The one mapping core: Java event interfaces, sealed interfaces of records and (through {@link
 * io.cursus.api.mapping.spi}) Kotlin sealed classes all become {@link io.cursus.api.Event}s here.
 *
 * <p>{@link io.cursus.api.mapping.EventMapper} makes emitters and handlers for interfaces and
 * {@link io.cursus.api.mapping.EventCodec codecs} for families; {@link
 * io.cursus.api.mapping.EventDeclaration} checks every rule when a declaration is first mapped;
 * {@link io.cursus.api.mapping.EventTypeRegistry} collects the schemas stores and serialisers read
 * with, and the size limit of one event; {@link io.cursus.api.mapping.EventValidator} checks events
 * against them before they are written.
 */
@NullMarked
package io.cursus.api.mapping;

import org.jspecify.annotations.NullMarked;
