/** The configuration, registrar and lifecycle behind {@code @EnableCursus}; not a public API. */
@NullMarked
package io.cursus.spring.internal;

import org.jspecify.annotations.NullMarked;
