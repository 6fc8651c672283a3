/**
 * Extension points of the mapping core: {@link io.cursus.api.mapping.spi.EventFamilyIntrospector}
 * lets a module (the Kotlin DSL) describe event classes the core does not know, while the core
 * keeps checking every rule.
 */
@NullMarked
package io.cursus.api.mapping.spi;

import org.jspecify.annotations.NullMarked;
