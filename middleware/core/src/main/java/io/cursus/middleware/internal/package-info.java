/**
 * Implementation of the middleware: not an API, may change in any release. Use the factories in
 * {@link io.cursus.middleware} instead.
 */
@NullMarked
package io.cursus.middleware.internal;

import org.jspecify.annotations.NullMarked;
